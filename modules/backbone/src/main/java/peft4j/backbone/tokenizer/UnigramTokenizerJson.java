package peft4j.backbone.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import peft4j.api.UserError;

/**
 * Builds the Hugging Face {@code tokenizer.json} of a T5 SentencePiece unigram model, following
 * {@code convert_slow_tokenizer.T5Converter}: the model's precompiled normaliser (nmt_nfkc), whitespace split and
 * Metaspace ({@code ▁}, a dummy prefix on every word), the unigram model with its scores, {@code <extra_id_N>}
 * sentinels appended (N counting down), and {@code </s>} appended to every text.
 *
 * <p>The whitespace split stands in for SentencePiece's {@code remove_extra_whitespaces}, so leading, trailing and
 * repeated spaces vanish as they do in the slow {@code T5Tokenizer} that produced the golden ids.
 */
public final class UnigramTokenizerJson {

    static final String END_OF_SEQUENCE = "</s>";
    private static final String SPACE = "\u2581";
    private static final ObjectMapper JSON = new ObjectMapper();

    private UnigramTokenizerJson() {
    }

    /** @param extraIds how many {@code <extra_id_N>} sentinels T5 adds (tokenizer_config.json's extra_ids, 100 by default) */
    public static String of(SentencePieceModel spm, int extraIds) {
        if (spm.modelType() != SentencePieceModel.UNIGRAM) {
            throw new UserError("the SentencePiece model has type " + spm.modelType() + "; only unigram models (T5) "
                    + "are supported");
        }
        List<SentencePieceModel.Piece> pieces = new ArrayList<>(spm.pieces());
        for (int i = extraIds - 1; i >= 0; i--) {
            pieces.add(new SentencePieceModel.Piece("<extra_id_" + i + ">", 0f, SentencePieceModel.Piece.CONTROL));
        }
        int eos = -1;
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        ArrayNode vocab = JSON.createArrayNode();
        for (int id = 0; id < pieces.size(); id++) {
            SentencePieceModel.Piece piece = pieces.get(id);
            vocab.addArray().add(piece.piece()).add(piece.score());
            if (piece.type() == SentencePieceModel.Piece.CONTROL || piece.type() == SentencePieceModel.Piece.UNKNOWN) {
                added.addObject().put("id", id).put("content", piece.piece()).put("single_word", false)
                        .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true);
            }
            if (piece.piece().equals(END_OF_SEQUENCE)) {
                eos = id;
            }
        }
        if (eos < 0) {
            throw new UserError("the SentencePiece model has no " + END_OF_SEQUENCE + " piece; T5 appends it to every "
                    + "text");
        }
        normalizer(root, spm);
        ObjectNode preTokenizer = root.putObject("pre_tokenizer").put("type", "Sequence");
        ArrayNode preTokenizers = preTokenizer.putArray("pretokenizers");
        if (spm.removeExtraWhitespaces()) {
            preTokenizers.addObject().put("type", "WhitespaceSplit");
        }
        metaspace(preTokenizers.addObject(), spm.addDummyPrefix());
        postProcessor(root.putObject("post_processor"), eos);
        metaspace(root.putObject("decoder"), spm.addDummyPrefix());
        ObjectNode model = root.putObject("model");
        model.put("type", "Unigram").put("unk_id", spm.unknownId());
        model.set("vocab", vocab);
        model.put("byte_fallback", spm.byteFallback());
        return root.toString();
    }

    private static void normalizer(ObjectNode root, SentencePieceModel spm) {
        if (spm.precompiledCharsmap().length == 0) {
            root.putNull("normalizer");
            return;
        }
        root.putObject("normalizer").put("type", "Precompiled")
                .put("precompiled_charsmap", Base64.getEncoder().encodeToString(spm.precompiledCharsmap()));
    }

    private static void metaspace(ObjectNode node, boolean addDummyPrefix) {
        node.put("type", "Metaspace").put("replacement", SPACE).put("prepend_scheme", addDummyPrefix ? "always" : "never")
                .put("split", true);
    }

    private static void postProcessor(ObjectNode post, int eos) {
        post.put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        sequence(single, "A");
        special(single);
        ArrayNode pair = post.putArray("pair");
        sequence(pair, "A");
        special(pair);
        sequence(pair, "B");
        special(pair);
        ObjectNode node = post.putObject("special_tokens").putObject(END_OF_SEQUENCE);
        node.put("id", END_OF_SEQUENCE);
        node.putArray("ids").add(eos);
        node.putArray("tokens").add(END_OF_SEQUENCE);
    }

    private static void sequence(ArrayNode template, String id) {
        template.addObject().putObject("Sequence").put("id", id).put("type_id", 0);
    }

    private static void special(ArrayNode template) {
        template.addObject().putObject("SpecialToken").put("id", END_OF_SEQUENCE).put("type_id", 0);
    }
}
