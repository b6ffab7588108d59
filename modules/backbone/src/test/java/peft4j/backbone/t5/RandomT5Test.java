package peft4j.backbone.t5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import peft4j.api.EncoderOutput;
import peft4j.api.ForwardHooks;
import peft4j.api.TokenBatch;
import peft4j.api.UserError;
import peft4j.api.io.Safetensors;
import peft4j.backbone.Engines;
import peft4j.backbone.tokenizer.TextTokenizer;
import peft4j.backbone.tokenizer.Tokenizers;

class RandomT5Test {

    private static final RandomT5.Size SIZE = new RandomT5.Size(32, 8, 64, 2, 4);

    @TempDir
    Path tmp;

    @Test
    void vocabularyIsTheMostFrequentWordsThenAlphabetical() {
        List<String> texts = List.of("sentence: a good film.", "sentence: a bad film", "sentence: bad, bad bad");
        // bad 4; ":" and sentence 3; a and film 2: ties in alphabetical order
        assertThat(RandomT5.vocabulary(texts, List.of(), 5)).containsExactly("bad", ":", "sentence", "a", "film");
        // the label targets come first, whatever their counts
        assertThat(RandomT5.vocabulary(texts, List.of("positive", "negative"), 4))
                .containsExactly("positive", "negative", "bad", ":");
        assertThat(RandomT5.vocabulary(List.of("</s> x"), List.of(), 10)).doesNotContain("</s>");
    }

    @Test
    void writesADirectoryThatLoadsAndRuns() throws IOException {
        List<String> words = List.of("sentence", ":", "a", "good", "bad", "film", "positive", "negative");
        Path dir = RandomT5.write(tmp.resolve("random-t5"), words, SIZE, 7);

        T5Config config = T5Config.read(dir);
        assertThat(config.vocabSize()).isEqualTo(3 + words.size());
        assertThat(config.activation().gated()).isTrue();
        assertThat(config.tieWordEmbeddings()).isFalse();
        long values = Safetensors.open(dir.resolve("model.safetensors")).tensors().values().stream()
                .mapToLong(Safetensors.TensorInfo::elementCount).sum();
        assertThat(values).isEqualTo(config.spec().parameterCount());
        try (TextTokenizer tokenizer = Tokenizers.forModel(dir); NDManager manager = Engines.newManager("pytorch",
                "cpu"); T5Model model = T5Model.load(dir, manager)) {
            long[] ids = tokenizer.ids("sentence: a good film");
            assertThat(ids).containsExactly(3, 4, 5, 6, 8, 1);
            NDArray input = manager.create(ids).reshape(1, ids.length);
            TokenBatch batch = new TokenBatch(input, manager.ones(input.getShape(), DataType.INT64),
                    manager.zeros(input.getShape(), DataType.INT64));
            EncoderOutput encoded = model.encode(batch, ForwardHooks.NONE);
            NDArray logits = model.decoderLogits(encoded, manager.create(new long[][] {{0}}), ForwardHooks.NONE);
            assertThat(logits.getShape().getShape()).containsExactly(1, 1, 3 + words.size());
            assertThat(logits.isInfinite().any().getBoolean() || logits.isNaN().any().getBoolean()).isFalse();
        }
    }

    @Test
    void weightsFollowHuggingFacesInitialisationAndTheSeed() throws IOException {
        List<String> words = java.util.stream.IntStream.range(0, 2000).mapToObj(i -> "w" + i).toList();
        Path first = RandomT5.write(tmp.resolve("a"), words, SIZE, 3);
        Path again = RandomT5.write(tmp.resolve("b"), words, SIZE, 3);
        assertThat(Files.mismatch(first.resolve("model.safetensors"), again.resolve("model.safetensors")))
                .isEqualTo(-1L);
        Safetensors weights = Safetensors.open(first.resolve("model.safetensors"));
        assertThat(std(weights.floats(T5Weights.SHARED))).isCloseTo(1.0, within(0.02));
        assertThat(std(weights.floats(T5Weights.selfAttention(T5Weights.ENCODER, 0) + "q.weight")))
                .isCloseTo(Math.pow(32 * 8, -0.5), within(0.01));
        assertThat(std(weights.floats(T5Weights.feedForward(T5Weights.DECODER, 1) + "wo.weight")))
                .isCloseTo(Math.pow(64, -0.5), within(0.01));
        assertThat(weights.floats(T5Weights.finalNorm(T5Weights.ENCODER))).containsOnly(1f);
    }

    @Test
    void refusesAnExistingDirectory() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("taken"));
        assertThatThrownBy(() -> RandomT5.write(dir, List.of("a"), SIZE, 0)).isInstanceOf(UserError.class)
                .hasMessageContaining("already exists");
    }

    private static double std(float[] values) {
        double mean = 0;
        for (float v : values) {
            mean += v;
        }
        mean /= values.length;
        double sum = 0;
        for (float v : values) {
            sum += (v - mean) * (v - mean);
        }
        return Math.sqrt(sum / values.length);
    }
}
