package peft4j.backbone.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds a T5-style Hugging Face {@code tokenizer.json} whose pieces are whole words: BERT's normaliser (lower case,
 * accents stripped) and pre-tokenizer (split on whitespace and around each punctuation character), a
 * {@code WordLevel} model over a fixed word list, and {@code </s>} appended to every text. Ids 0, 1, 2 are
 * {@code <pad>}, {@code </s>} and {@code <unk>}, T5's special-token ids. For tiny random models, where a
 * vocabulary of words makes the input carry meaning that a few character pieces cannot.
 */
public final class WordLevelTokenizerJson {

    public static final List<String> SPECIAL_TOKENS = List.of("<pad>", UnigramTokenizerJson.END_OF_SEQUENCE, "<unk>");

    private static final ObjectMapper JSON = new ObjectMapper();

    private WordLevelTokenizerJson() {
    }

    /** The tokenizer.json text: the special tokens, then {@code words} (ids 3, 4, ...). */
    public static String of(List<String> words) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int id = 0; id < SPECIAL_TOKENS.size(); id++) {
            added.addObject().put("id", id).put("content", SPECIAL_TOKENS.get(id)).put("single_word", false)
                    .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true);
        }
        root.putObject("normalizer").put("type", "BertNormalizer").put("clean_text", true)
                .put("handle_chinese_chars", true).put("lowercase", true).putNull("strip_accents");
        root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
        ObjectNode post = root.putObject("post_processor").put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        single.addObject().putObject("SpecialToken").put("id", UnigramTokenizerJson.END_OF_SEQUENCE).put("type_id", 0);
        ArrayNode pair = post.putArray("pair");
        for (String sequence : new String[] {"A", "B"}) {
            pair.addObject().putObject("Sequence").put("id", sequence).put("type_id", 0);
            pair.addObject().putObject("SpecialToken").put("id", UnigramTokenizerJson.END_OF_SEQUENCE)
                    .put("type_id", 0);
        }
        ObjectNode eos = post.putObject("special_tokens").putObject(UnigramTokenizerJson.END_OF_SEQUENCE);
        eos.put("id", UnigramTokenizerJson.END_OF_SEQUENCE);
        eos.putArray("ids").add(1);
        eos.putArray("tokens").add(UnigramTokenizerJson.END_OF_SEQUENCE);
        // Joins words with spaces and tidies the space before punctuation.
        root.putObject("decoder").put("type", "WordPiece").put("prefix", "##").put("cleanup", true);
        ObjectNode model = root.putObject("model").put("type", "WordLevel").put("unk_token", "<unk>");
        ObjectNode vocab = model.putObject("vocab");
        for (int id = 0; id < SPECIAL_TOKENS.size(); id++) {
            vocab.put(SPECIAL_TOKENS.get(id), id);
        }
        for (String word : words) {
            if (!vocab.has(word)) {
                vocab.put(word, vocab.size());
            }
        }
        return root.toString();
    }

    /**
     * The words this tokenizer looks up in {@code text}, computed in Java as its normaliser and pre-tokenizer do
     * (to choose a vocabulary before a tokenizer exists): lower case, accents stripped, split on whitespace, each
     * punctuation character a word of its own (CJK characters, which BERT also splits apart, are left in words).
     */
    public static List<String> words(String text) {
        String normal = Normalizer.normalize(text.toLowerCase(Locale.ROOT), Normalizer.Form.NFD)
                .replaceAll("\\p{Mn}", "");
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        normal.codePoints().forEach(c -> {
            if (Character.isWhitespace(c) || Character.isISOControl(c) || isPunctuation(c)) {
                if (!word.isEmpty()) {
                    words.add(word.toString());
                    word.setLength(0);
                }
                if (isPunctuation(c)) {
                    words.add(Character.toString(c));
                }
            } else {
                word.appendCodePoint(c);
            }
        });
        if (!word.isEmpty()) {
            words.add(word.toString());
        }
        return words;
    }

    /** BERT's rule: every ASCII non-alphanumeric symbol, and Unicode punctuation. */
    private static boolean isPunctuation(int c) {
        if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) {
            return true;
        }
        return switch (Character.getType(c)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }
}
