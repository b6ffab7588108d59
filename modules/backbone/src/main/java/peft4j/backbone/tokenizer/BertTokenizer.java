package peft4j.backbone.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import peft4j.api.UserError;

/**
 * WordPiece tokenisation of a BERT model directory through DJL's binding of Hugging Face {@code tokenizers}: the
 * directory's {@code tokenizer.json} when it has one, otherwise one built from {@code vocab.txt} and
 * {@code tokenizer_config.json}'s {@code do_lower_case}.
 */
public final class BertTokenizer implements TextTokenizer {

    /** The ids of one encoded text: [CLS] ... [SEP] (... [SEP]). */
    public record Encoded(long[] ids, long[] typeIds, String[] tokens) {
        public int length() {
            return ids.length;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HuggingFaceTokenizer tokenizer;
    private final String[] vocabulary;
    private final long maskId;
    private final long padId;

    private BertTokenizer(HuggingFaceTokenizer tokenizer, String[] vocabulary) {
        this.tokenizer = tokenizer;
        this.vocabulary = vocabulary;
        this.maskId = requireId(tokenizer, "[MASK]");
        this.padId = requireId(tokenizer, "[PAD]");
    }

    public static BertTokenizer load(Path modelDir) {
        Path tokenizerJson = modelDir.resolve("tokenizer.json");
        Path vocab = modelDir.resolve("vocab.txt");
        try {
            String json;
            if (Files.isRegularFile(tokenizerJson)) {
                json = Files.readString(tokenizerJson);
            } else if (Files.isRegularFile(vocab)) {
                json = WordPieceTokenizerJson.of(Files.readAllLines(vocab, StandardCharsets.UTF_8), lowerCase(modelDir));
            } else {
                throw new UserError("no tokenizer.json or vocab.txt in " + modelDir
                        + ": copy the tokenizer files of the checkpoint into that directory");
            }
            return fromJson(json);
        } catch (IOException e) {
            throw new UserError("cannot read the tokenizer in " + modelDir + ": " + e.getMessage(), e);
        }
    }

    /** A tokenizer from tokenizer.json text. */
    public static BertTokenizer fromJson(String tokenizerJson) throws IOException {
        Map<String, String> options = Map.of("addSpecialTokens", "true", "padding", "false", "truncation", "false");
        JsonNode vocab = JSON.readTree(tokenizerJson).path("model").path("vocab");
        if (!vocab.isObject() || vocab.isEmpty()) {
            throw new UserError("tokenizer.json has no WordPiece vocabulary (model.vocab); a BERT tokenizer needs one");
        }
        String[] vocabulary = new String[vocab.size()];
        vocab.fields().forEachRemaining(e -> {
            int id = e.getValue().asInt(-1);
            if (id < 0 || id >= vocabulary.length) {
                throw new UserError("tokenizer.json maps '" + e.getKey() + "' to id " + id + ", outside 0.."
                        + (vocabulary.length - 1));
            }
            vocabulary[id] = e.getKey();
        });
        try (InputStream in = new ByteArrayInputStream(tokenizerJson.getBytes(StandardCharsets.UTF_8))) {
            return new BertTokenizer(HuggingFaceTokenizer.newInstance(in, options), vocabulary);
        }
    }

    private static boolean lowerCase(Path modelDir) throws IOException {
        Path config = modelDir.resolve("tokenizer_config.json");
        if (!Files.isRegularFile(config)) {
            return true;
        }
        JsonNode lower = JSON.readTree(config.toFile()).get("do_lower_case");
        return lower == null || lower.asBoolean(true);
    }

    private static long requireId(HuggingFaceTokenizer tokenizer, String token) {
        long[] ids = tokenizer.encode(List.of(token), false, false).getIds();
        if (ids.length != 1) {
            throw new UserError("the tokenizer has no single id for " + token);
        }
        return ids[0];
    }

    public Encoded encode(String text) {
        return of(tokenizer.encode(text));
    }

    public Encoded encode(String first, String second) {
        return of(tokenizer.encode(first, second));
    }

    private static Encoded of(Encoding encoding) {
        return new Encoded(encoding.getIds(), encoding.getTypeIds(), encoding.getTokens());
    }

    @Override
    public long[] ids(String text) {
        return encode(text).ids();
    }

    @Override
    public String decode(long[] ids) {
        return tokenizer.decode(ids, true);
    }

    @Override
    public long id(String token) {
        for (int i = 0; i < vocabulary.length; i++) {
            if (token.equals(vocabulary[i])) {
                return i;
            }
        }
        throw new UserError("the tokenizer's vocabulary has no '" + token + "'");
    }

    /** Word pieces without special tokens, as {@code BertTokenizer.tokenize} gives them. */
    @Override
    public List<String> tokenize(String text) {
        return List.of(tokenizer.encode(text, false, false).getTokens());
    }

    public long maskId() {
        return maskId;
    }

    @Override
    public long padId() {
        return padId;
    }

    /** The vocabulary entry of {@code id}, e.g. {@code ##ing}. */
    public String token(long id) {
        return vocabulary[Math.toIntExact(id)];
    }

    @Override
    public int vocabularySize() {
        return vocabulary.length;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
