package peft4j.backbone.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import peft4j.api.UserError;

/**
 * How many ids the tokenizer files of a model directory can produce, read from the files without building the
 * tokenizer, so that a loader can refuse a tokenizer that belongs to another model before any id goes out of range.
 */
public final class TokenizerVocabulary {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TokenizerVocabulary() {
    }

    /**
     * Refuses tokenizer files whose ids reach past the embedding table. Fewer ids than the table is normal: T5 pads its
     * 32,100-id vocabulary to 32,128 rows.
     */
    public static void requireWithin(Path dir, int embeddingRows) {
        OptionalLong ids = idCount(dir);
        if (ids.isPresent() && ids.getAsLong() > embeddingRows) {
            throw new UserError(dir + ": the tokenizer files give " + ids.getAsLong() + " ids but config.json's "
                    + "vocab_size is " + embeddingRows + "; tokenizer and weights come from different models (copy "
                    + "the checkpoint's own tokenizer files)");
        }
    }

    /**
     * One more than the largest id of {@code tokenizer.json} (model vocabulary and added tokens), else of
     * {@code spiece.model} (its pieces plus {@code tokenizer_config.json}'s {@code extra_ids}, 100 by default, as
     * Hugging Face's T5Tokenizer), else of {@code vocab.json}; empty when the directory has none of them.
     */
    public static OptionalLong idCount(Path dir) {
        Path tokenizerJson = dir.resolve("tokenizer.json");
        if (Files.isRegularFile(tokenizerJson)) {
            JsonNode root = json(tokenizerJson);
            long max = -1;
            JsonNode vocab = root.path("model").path("vocab");
            if (vocab.isArray()) {
                max = vocab.size() - 1;
            } else {
                for (JsonNode id : vocab) {
                    max = Math.max(max, id.asLong());
                }
            }
            for (JsonNode added : root.path("added_tokens")) {
                max = Math.max(max, added.path("id").asLong());
            }
            return OptionalLong.of(max + 1);
        }
        Path spiece = dir.resolve("spiece.model");
        if (Files.isRegularFile(spiece)) {
            Path config = dir.resolve("tokenizer_config.json");
            int extraIds = Files.isRegularFile(config) ? json(config).path("extra_ids").asInt(100) : 100;
            return OptionalLong.of(SentencePieceModel.read(spiece).pieces().size() + (long) extraIds);
        }
        Path vocabJson = dir.resolve("vocab.json");
        if (Files.isRegularFile(vocabJson)) {
            long max = -1;
            for (JsonNode id : json(vocabJson)) {
                max = Math.max(max, id.asLong());
            }
            return OptionalLong.of(max + 1);
        }
        return OptionalLong.empty();
    }

    private static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UserError("cannot parse " + file + ": " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }
}
