package peft4j.backbone.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Builds the Hugging Face {@code tokenizer.json} of a BERT WordPiece vocabulary, the same pipeline as
 * {@code BertTokenizerFast}: BertNormalizer (clean text, CJK spacing, accent stripping with lower-casing),
 * BertPreTokenizer, WordPiece with {@code ##} continuations, and {@code [CLS] A [SEP] (B [SEP])} post-processing.
 * Special tokens are matched case-sensitively before normalisation, as {@code BertTokenizer} does.
 */
public final class WordPieceTokenizerJson {

    static final List<String> SPECIAL_TOKENS = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");

    private static final ObjectMapper JSON = new ObjectMapper();

    private WordPieceTokenizerJson() {
    }

    /** The tokenizer.json text for {@code vocab} (one token per line of vocab.txt, id = line number). */
    public static String of(List<String> vocab, boolean lowerCase) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (String special : SPECIAL_TOKENS) {
            int id = vocab.indexOf(special);
            if (id < 0) {
                throw new IllegalArgumentException("vocabulary lacks the special token " + special);
            }
            added.addObject().put("id", id).put("content", special).put("single_word", false).put("lstrip", false)
                    .put("rstrip", false).put("normalized", false).put("special", true);
        }
        ObjectNode normalizer = root.putObject("normalizer");
        normalizer.put("type", "BertNormalizer").put("clean_text", true).put("handle_chinese_chars", true)
                .putNull("strip_accents");
        normalizer.put("lowercase", lowerCase);
        root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        special(single, "[CLS]", 0);
        sequence(single, "A", 0);
        special(single, "[SEP]", 0);
        ArrayNode pair = post.putArray("pair");
        special(pair, "[CLS]", 0);
        sequence(pair, "A", 0);
        special(pair, "[SEP]", 0);
        sequence(pair, "B", 1);
        special(pair, "[SEP]", 1);
        ObjectNode specials = post.putObject("special_tokens");
        for (String token : List.of("[CLS]", "[SEP]")) {
            ObjectNode node = specials.putObject(token);
            node.put("id", token);
            node.putArray("ids").add(vocab.indexOf(token));
            node.putArray("tokens").add(token);
        }
        root.putObject("decoder").put("type", "WordPiece").put("prefix", "##").put("cleanup", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "WordPiece").put("unk_token", "[UNK]").put("continuing_subword_prefix", "##")
                .put("max_input_chars_per_word", 100);
        ObjectNode ids = model.putObject("vocab");
        for (int i = 0; i < vocab.size(); i++) {
            ids.put(vocab.get(i), i);
        }
        return root.toString();
    }

    private static void special(ArrayNode template, String token, int typeId) {
        template.addObject().putObject("SpecialToken").put("id", token).put("type_id", typeId);
    }

    private static void sequence(ArrayNode template, String id, int typeId) {
        template.addObject().putObject("Sequence").put("id", id).put("type_id", typeId);
    }
}
