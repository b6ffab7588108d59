package peft4j.backbone.bert;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import peft4j.api.io.SafetensorsWriter;

/**
 * A tiny BERT with random weights (2 layers, 16 hidden, 2 heads, a 40-word vocabulary): a complete Hugging Face
 * directory in milliseconds, for pipeline checks and unit tests that must not wait for BERT-base.
 */
public final class TinyBert {

    public static final List<String> VOCAB = vocabulary();
    public static final BertConfig CONFIG = BertConfig.of(VOCAB.size(), 16, 2, 2, 32, 24);

    private TinyBert() {
    }

    private static List<String> vocabulary() {
        List<String> vocab = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        vocab.addAll(List.of("the", "a", "cat", "dog", "sat", "on", "mat", "was", "great", "terrible", "it", "movie",
                "good", "bad", ".", ",", "!", "?", "and", "is", "##s", "##ing", "play", "run", "fun", "boring", "very",
                "not", "i", "you", "he", "she", "we", "they", "love"));
        return List.copyOf(vocab);
    }

    /** Hugging Face names to (shape, values), drawn from N(0, 0.5) with {@code seed}; LayerNorm weights near 1. */
    public static Map<String, float[]> weights(long seed, Map<String, long[]> shapesOut) {
        Random random = new Random(seed);
        Map<String, float[]> weights = new LinkedHashMap<>();
        for (String name : BertWeights.maskedLmNames(CONFIG.layers())) {
            long[] shape = shapeOf(name);
            int size = 1;
            for (long d : shape) {
                size *= (int) d;
            }
            float[] values = new float[size];
            boolean normScale = name.contains("LayerNorm.weight");
            for (int i = 0; i < size; i++) {
                values[i] = (float) (normScale ? 1 + 0.1 * random.nextGaussian() : 0.5 * random.nextGaussian());
            }
            weights.put(name, values);
            shapesOut.put(name, shape);
        }
        return weights;
    }

    /** Writes a complete model directory (config.json, model.safetensors, vocab.txt) with weights from {@code seed}. */
    public static Path writeModel(Path dir, long seed) throws IOException {
        Map<String, long[]> shapes = new HashMap<>();
        Map<String, float[]> weights = weights(seed, shapes);
        Map<String, SafetensorsWriter.Tensor> tensors = new LinkedHashMap<>();
        weights.forEach((name, values) -> tensors.put(name, SafetensorsWriter.Tensor.ofFloats(values, shapes.get(name))));
        Files.createDirectories(dir);
        SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors, Map.of());
        CONFIG.write(dir);
        Files.write(dir.resolve("vocab.txt"), VOCAB);
        return dir;
    }

    /** The Hugging Face shape of a weight of {@link #CONFIG}. */
    public static long[] shapeOf(String name) {
        int h = CONFIG.hiddenSize();
        int i = CONFIG.intermediateSize();
        if (name.equals(BertWeights.WORD_EMBEDDINGS)) {
            return new long[] {CONFIG.vocabSize(), h};
        } else if (name.equals(BertWeights.POSITION_EMBEDDINGS)) {
            return new long[] {CONFIG.maxPositions(), h};
        } else if (name.equals(BertWeights.TOKEN_TYPE_EMBEDDINGS)) {
            return new long[] {CONFIG.typeVocabSize(), h};
        } else if (name.equals(BertWeights.HEAD_BIAS)) {
            return new long[] {CONFIG.vocabSize()};
        } else if (name.endsWith("intermediate.dense.weight")) {
            return new long[] {i, h};
        } else if (name.endsWith("intermediate.dense.bias")) {
            return new long[] {i};
        } else if (name.endsWith("output.dense.weight") && !name.contains("attention")) {
            return new long[] {h, i};
        } else if (name.endsWith(".weight") && !name.contains("LayerNorm")) {
            return new long[] {h, h};
        }
        return new long[] {h};
    }
}
