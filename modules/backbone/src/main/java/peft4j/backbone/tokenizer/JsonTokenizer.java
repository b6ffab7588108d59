package peft4j.backbone.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import peft4j.api.UserError;

/**
 * A Hugging Face {@code tokenizer.json} run by DJL's binding of the {@code tokenizers} library: the tokenizer of
 * GPT-2 and T5 directories, whether the file came with the model or was built from its original vocabulary files.
 */
public final class JsonTokenizer implements TextTokenizer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HuggingFaceTokenizer tokenizer;
    private final Map<String, Long> ids;
    private final int vocabularySize;

    private JsonTokenizer(HuggingFaceTokenizer tokenizer, Map<String, Long> ids) {
        this.tokenizer = tokenizer;
        this.ids = ids;
        this.vocabularySize = Math.toIntExact(ids.values().stream().mapToLong(Long::longValue).max().orElse(-1) + 1);
    }

    /** @param source where the text came from, for error messages */
    public static JsonTokenizer of(String tokenizerJson, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(tokenizerJson);
        } catch (IOException e) {
            throw new UserError("cannot parse the tokenizer of " + source + ": " + e.getMessage().lines().findFirst()
                    .orElse(""), e);
        }
        Map<String, Long> ids = vocabulary(root.path("model"));
        root.path("added_tokens").forEach(t -> ids.put(t.path("content").asText(), t.path("id").asLong()));
        if (ids.isEmpty()) {
            throw new UserError("the tokenizer of " + source + " has an empty vocabulary");
        }
        Map<String, String> options = Map.of("addSpecialTokens", "true", "padding", "false", "truncation", "false");
        try (InputStream in = new ByteArrayInputStream(tokenizerJson.getBytes(StandardCharsets.UTF_8))) {
            return new JsonTokenizer(HuggingFaceTokenizer.newInstance(in, options), ids);
        } catch (IOException | RuntimeException e) {
            throw new UserError("the tokenizer of " + source + " cannot be loaded: " + e.getMessage(), e);
        }
    }

    /** {@code model.vocab}: an object token → id (BPE, WordPiece) or a list of [token, score] (Unigram). */
    private static Map<String, Long> vocabulary(JsonNode model) {
        Map<String, Long> ids = new HashMap<>();
        JsonNode vocab = model.path("vocab");
        if (vocab.isArray()) {
            for (int i = 0; i < vocab.size(); i++) {
                ids.put(vocab.get(i).get(0).asText(), (long) i);
            }
        } else {
            vocab.fields().forEachRemaining(e -> ids.put(e.getKey(), e.getValue().asLong()));
        }
        return ids;
    }

    @Override
    public long[] ids(String text) {
        return tokenizer.encode(text).getIds();
    }

    @Override
    public List<String> tokenize(String text) {
        return List.of(tokenizer.encode(text, false, false).getTokens());
    }

    @Override
    public String decode(long[] ids) {
        return tokenizer.decode(ids, true);
    }

    @Override
    public long id(String token) {
        Long id = ids.get(token);
        if (id == null) {
            throw new UserError("the tokenizer's vocabulary has no '" + token + "'");
        }
        return id;
    }

    /** {@code <pad>} (T5), {@code [PAD]}, else {@code <|endoftext|>} (GPT-2), else id 0. */
    @Override
    public long padId() {
        for (String token : new String[] {"<pad>", "[PAD]", "<|endoftext|>"}) {
            Long id = ids.get(token);
            if (id != null) {
                return id;
            }
        }
        return 0;
    }

    @Override
    public int vocabularySize() {
        return vocabularySize;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
