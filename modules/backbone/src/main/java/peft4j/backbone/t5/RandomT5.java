package peft4j.backbone.t5;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import peft4j.api.UserError;
import peft4j.api.io.FileTrees;
import peft4j.api.io.SafetensorsWriter;
import peft4j.backbone.tokenizer.WordLevelTokenizerJson;

/**
 * Writes a T5 v1.1 (gated-GELU, untied LM head) Hugging Face directory with random weights and a word-level
 * tokenizer: {@code config.json}, {@code model.safetensors}, {@code tokenizer.json}. The weights are drawn as
 * Hugging Face's {@code T5PreTrainedModel._init_weights} draws them (factor 1), so the model behaves like a freshly
 * initialised T5 of that size. For pipeline checks and teaching on a laptop: a frozen random model with real words.
 */
public final class RandomT5 {

    /** The shape of the model; {@code layers} each in the encoder and the decoder. */
    public record Size(int dModel, int dKv, int dFf, int layers, int heads) {
        public Size {
            if (dModel <= 0 || dKv <= 0 || dFf <= 0 || layers <= 0 || heads <= 0) {
                throw new UserError("random T5 sizes must be positive (d_model " + dModel + ", d_kv " + dKv + ", d_ff "
                        + dFf + ", layers " + layers + ", heads " + heads + ")");
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private RandomT5() {
    }

    /**
     * The words of {@code required} (e.g. the label targets, which must never read as {@code <unk>}), then the most
     * frequent other words of {@code texts} as the tokenizer splits them, {@code size} in all (ties in alphabetical
     * order, so the list depends only on the texts).
     */
    public static List<String> vocabulary(Iterable<String> texts, Iterable<String> required, int size) {
        Map<String, Integer> counts = new HashMap<>();
        for (String text : texts) {
            for (String word : WordLevelTokenizerJson.words(text)) {
                counts.merge(word, 1, Integer::sum);
            }
        }
        LinkedHashSet<String> words = new LinkedHashSet<>();
        for (String text : required) {
            words.addAll(WordLevelTokenizerJson.words(text));
        }
        List<String> others = new ArrayList<>(counts.keySet());
        others.removeAll(WordLevelTokenizerJson.SPECIAL_TOKENS);
        others.sort(Comparator.comparing((String w) -> -counts.get(w)).thenComparing(Comparator.naturalOrder()));
        for (String word : others) {
            if (words.size() >= size) {
                break;
            }
            words.add(word);
        }
        return List.copyOf(words);
    }

    /** Writes the model directory {@code dir} (created; it must not exist yet). */
    public static Path write(Path dir, List<String> words, Size size, long seed) throws IOException {
        if (Files.exists(dir)) {
            throw new UserError(dir + " already exists; choose a new directory for the random model");
        }
        String tokenizer = WordLevelTokenizerJson.of(words);
        int vocabSize = WordLevelTokenizerJson.SPECIAL_TOKENS.size() + words.size();
        ObjectNode config = config(size, vocabSize);
        T5Config parsed = JSON.treeToValue(config, T5Config.class);
        Path tmp = Files.createDirectories(dir.toAbsolutePath().resolveSibling(dir.getFileName() + ".tmp-"
                + ProcessHandle.current().pid()));
        try {
            Files.writeString(tmp.resolve("config.json"), JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(config) + "\n", StandardCharsets.UTF_8);
            Files.writeString(tmp.resolve("tokenizer.json"), tokenizer, StandardCharsets.UTF_8);
            SafetensorsWriter.write(tmp.resolve("model.safetensors"), weights(parsed, seed),
                    Map.of("format", "pt", "peft4j", "random T5, seed " + seed));
            Files.move(tmp, dir);
            return dir;
        } catch (IOException | RuntimeException e) {
            FileTrees.deleteRecursively(tmp); // a half-written model must not stay beside the one asked for
            throw e;
        }
    }

    static ObjectNode config(Size size, int vocabSize) {
        ObjectNode config = JSON.createObjectNode();
        config.putArray("architectures").add("T5ForConditionalGeneration");
        config.put("model_type", "t5").put("vocab_size", vocabSize).put("d_model", size.dModel())
                .put("d_kv", size.dKv()).put("d_ff", size.dFf()).put("num_layers", size.layers())
                .put("num_decoder_layers", size.layers()).put("num_heads", size.heads())
                .put("relative_attention_num_buckets", 32).put("relative_attention_max_distance", 128)
                .put("feed_forward_proj", "gated-gelu").put("tie_word_embeddings", false)
                .put("layer_norm_epsilon", 1e-6).put("initializer_factor", 1.0).put("dropout_rate", 0.1)
                .put("pad_token_id", 0).put("eos_token_id", 1).put("decoder_start_token_id", 0);
        return config;
    }

    /** Every weight of {@code config}, drawn with the standard deviations Hugging Face's initialisation uses. */
    static Map<String, SafetensorsWriter.Tensor> weights(T5Config config, long seed) {
        Random random = new Random(seed);
        Map<String, SafetensorsWriter.Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Shape> entry : T5Weights.expectedShapes(config).entrySet()) {
            String name = entry.getKey();
            long[] shape = entry.getValue().getShape();
            float[] values = new float[Math.toIntExact(entry.getValue().size())];
            double std = standardDeviation(name, config);
            for (int i = 0; i < values.length; i++) {
                values[i] = std == 0 ? 1f : (float) (std * random.nextGaussian());
            }
            tensors.put(name, SafetensorsWriter.Tensor.ofFloats(values, shape));
        }
        return tensors;
    }

    /** Hugging Face's rule per weight (factor 1); 0 marks the RMSNorm scales, which start at 1. */
    static double standardDeviation(String name, T5Config config) {
        double d = config.dModel();
        if (name.endsWith("layer_norm.weight")) {
            return 0;
        } else if (name.equals(T5Weights.SHARED) || name.equals(T5Weights.LM_HEAD)) {
            return 1.0;
        } else if (name.endsWith("wo.weight")) {
            return Math.pow(config.dFf(), -0.5);
        } else if (name.contains(".wi")) {
            return Math.pow(d, -0.5);
        } else if (name.endsWith(".q.weight")) {
            return Math.pow(d * config.dKv(), -0.5);
        } else if (name.endsWith(".o.weight")) {
            return Math.pow(config.innerDim(), -0.5);
        } else if (name.endsWith(".k.weight") || name.endsWith(".v.weight")
                || name.endsWith("relative_attention_bias.weight")) {
            return Math.pow(d, -0.5);
        }
        throw new IllegalStateException("no initialisation rule for " + name);
    }
}
