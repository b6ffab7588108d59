package peft4j.backbone.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import peft4j.api.UserError;

/**
 * Loads the tokenizer of a Hugging Face model directory: BERT WordPiece, GPT-2 byte-level BPE or T5 SentencePiece,
 * chosen by {@code config.json}'s {@code model_type} (else {@code tokenizer_config.json}'s {@code tokenizer_class},
 * else the files present). A {@code tokenizer.json} is used as it is; otherwise one is built from the original files
 * ({@code vocab.txt}; {@code vocab.json} + {@code merges.txt}; {@code spiece.model}).
 */
public final class Tokenizers {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GPT2_END_OF_TEXT = "<|endoftext|>";

    private Tokenizers() {
    }

    public static TextTokenizer forModel(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserError("model directory " + dir + " does not exist");
        }
        String family = family(dir);
        return switch (family) {
            case "bert" -> BertTokenizer.load(dir);
            case "gpt2" -> gpt2(dir);
            case "t5" -> t5(dir);
            default -> Files.isRegularFile(dir.resolve("tokenizer.json"))
                    ? JsonTokenizer.of(read(dir.resolve("tokenizer.json")), dir.toString())
                    : failNoFiles(dir, family);
        };
    }

    private static TextTokenizer failNoFiles(Path dir, String family) {
        throw new UserError("no tokenizer in " + dir + (family.isEmpty() ? "" : " (model type " + family + ")")
                + ": add tokenizer.json, or the original files (vocab.txt; vocab.json + merges.txt; spiece.model)");
    }

    /** bert, gpt2, t5, another model type, or empty when nothing says. */
    static String family(Path dir) {
        String modelType = json(dir.resolve("config.json")).path("model_type").asText("");
        if (!modelType.isEmpty()) {
            return switch (modelType) {
                case "mt5" -> "t5";
                default -> modelType;
            };
        }
        String tokenizerClass = json(dir.resolve("tokenizer_config.json")).path("tokenizer_class").asText("")
                .toLowerCase(Locale.ROOT);
        for (String family : new String[] {"bert", "gpt2", "t5"}) {
            if (tokenizerClass.startsWith(family)) {
                return family;
            }
        }
        if (Files.isRegularFile(dir.resolve("spiece.model"))) {
            return "t5";
        }
        if (Files.isRegularFile(dir.resolve("merges.txt"))) {
            return "gpt2";
        }
        return Files.isRegularFile(dir.resolve("vocab.txt")) ? "bert" : "";
    }

    /** GPT-2's byte-level BPE from tokenizer.json, or vocab.json + merges.txt. */
    public static JsonTokenizer gpt2(Path dir) {
        Path tokenizerJson = dir.resolve("tokenizer.json");
        if (Files.isRegularFile(tokenizerJson)) {
            return JsonTokenizer.of(read(tokenizerJson), tokenizerJson.toString());
        }
        Path vocab = dir.resolve("vocab.json");
        Path merges = dir.resolve("merges.txt");
        if (!Files.isRegularFile(vocab) || !Files.isRegularFile(merges)) {
            throw new UserError("no tokenizer.json, or vocab.json and merges.txt, in " + dir
                    + ": copy the GPT-2 tokenizer files of the checkpoint into that directory");
        }
        JsonNode vocabulary = json(vocab);
        if (!vocabulary.isObject() || vocabulary.isEmpty()) {
            throw new UserError(vocab + " is not a token → id JSON object");
        }
        JsonNode config = json(dir.resolve("tokenizer_config.json"));
        String built = ByteLevelBpeTokenizerJson.of(vocabulary, read(merges).lines().toList(), specialTokens(dir),
                config.path("add_prefix_space").asBoolean(false));
        return JsonTokenizer.of(built, dir.toString());
    }

    /** {@code <|endoftext|>} and the bos/eos/unk/pad tokens the tokenizer configs name. */
    private static Set<String> specialTokens(Path dir) {
        Set<String> tokens = new LinkedHashSet<>();
        tokens.add(GPT2_END_OF_TEXT);
        for (String file : new String[] {"special_tokens_map.json", "tokenizer_config.json"}) {
            JsonNode node = json(dir.resolve(file));
            for (String key : new String[] {"bos_token", "eos_token", "unk_token", "pad_token"}) {
                JsonNode token = node.path(key);
                String content = token.isObject() ? token.path("content").asText("") : token.asText("");
                if (!content.isEmpty()) {
                    tokens.add(content);
                }
            }
        }
        return tokens;
    }

    /** T5's SentencePiece unigram from tokenizer.json, or spiece.model (+ tokenizer_config.json's extra_ids). */
    public static JsonTokenizer t5(Path dir) {
        Path tokenizerJson = dir.resolve("tokenizer.json");
        if (Files.isRegularFile(tokenizerJson)) {
            return JsonTokenizer.of(read(tokenizerJson), tokenizerJson.toString());
        }
        Path spiece = dir.resolve("spiece.model");
        if (!Files.isRegularFile(spiece)) {
            throw new UserError("no tokenizer.json or spiece.model in " + dir
                    + ": copy the T5 tokenizer files of the checkpoint into that directory");
        }
        int extraIds = json(dir.resolve("tokenizer_config.json")).path("extra_ids").asInt(100);
        return JsonTokenizer.of(UnigramTokenizerJson.of(SentencePieceModel.read(spiece), extraIds), spiece.toString());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The file's JSON, or a missing node when there is no such file. */
    private static JsonNode json(Path file) {
        if (!Files.isRegularFile(file)) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UserError("cannot parse " + file + ": " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }
}
