package peft4j.backbone.t5;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import peft4j.api.EncoderOutput;
import peft4j.api.ForwardHooks;
import peft4j.api.Seq2SeqBackbone;
import peft4j.api.TokenBatch;
import peft4j.backbone.Engines;

/**
 * The tiny random T5 v1.0 (ReLU, tied and rescaled head) and v1.1 (gated-GELU, untied head) against Hugging Face's
 * {@code T5ForConditionalGeneration} outputs in ../shared/golden/t5-tiny-v1_*, on both engines. Tolerances are the
 * fixtures' README's.
 */
class T5GoldenTest {

    private static final int STEPS = 8;

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"t5-tiny-v1_0, pytorch", "t5-tiny-v1_0, mxnet", "t5-tiny-v1_1, pytorch", "t5-tiny-v1_1, mxnet"})
    void hiddenStatesLogitsAndLossMatchHuggingFace(String version, String engine) {
        T5Fixture fixture = new T5Fixture(version);
        try (NDManager manager = Engines.newManager(engine, "cpu");
                T5Model model = T5Model.load(T5Fixture.modelDir(version), manager)) {
            TokenBatch batch = fixture.batch(manager);
            List<NDArray> encoderStates = model.encoderHiddenStates(batch, ForwardHooks.NONE);
            // HF exposes the embeddings, block 0's output and the normed output of the last block.
            fixture.assertClose(engine, "encoder_hidden_states.0", encoderStates.get(0), "encoder_hidden_states.0",
                    T5Fixture.HIDDEN_ATOL, T5Fixture.HIDDEN_RTOL);
            fixture.assertClose(engine, "encoder_hidden_states.1", encoderStates.get(1), "encoder_hidden_states.1",
                    T5Fixture.HIDDEN_ATOL, T5Fixture.HIDDEN_RTOL);
            EncoderOutput encoded = model.encode(batch, ForwardHooks.NONE);
            fixture.assertClose(engine, "encoder_last_hidden_state", encoded.hiddenStates(),
                    "encoder_last_hidden_state", T5Fixture.HIDDEN_ATOL, T5Fixture.HIDDEN_RTOL);
            fixture.assertClose(engine, "encoder_hidden_states.2", encoderStates.get(encoderStates.size() - 1),
                    "encoder_hidden_states.2", T5Fixture.HIDDEN_ATOL, T5Fixture.HIDDEN_RTOL);

            NDArray labels = fixture.array("labels", manager);
            NDArray decoderInputs = model.shiftRight(labels);
            assertThat(decoderInputs.toLongArray()).containsExactly(fixture.io.longs("decoder_input_ids"));
            List<NDArray> decoderStates = model.decoderHiddenStates(encoded, decoderInputs, ForwardHooks.NONE);
            fixture.assertClose(engine, "decoder_hidden_states.0", decoderStates.get(0), "decoder_hidden_states.0",
                    T5Fixture.HIDDEN_ATOL, T5Fixture.HIDDEN_RTOL);
            fixture.assertClose(engine, "decoder_hidden_states.1", decoderStates.get(1), "decoder_hidden_states.1",
                    T5Fixture.HIDDEN_ATOL, T5Fixture.HIDDEN_RTOL);
            fixture.assertClose(engine, "decoder_last_hidden_state", model.decode(encoded, decoderInputs,
                    ForwardHooks.NONE), "decoder_last_hidden_state", T5Fixture.HIDDEN_ATOL, T5Fixture.HIDDEN_RTOL);

            NDArray logits = model.decoderLogits(encoded, decoderInputs, ForwardHooks.NONE);
            fixture.assertClose(engine, "logits", logits, "logits", T5Fixture.LOGIT_ATOL, T5Fixture.LOGIT_RTOL);
            fixture.assertClose(engine, "loss", Seq2SeqBackbone.tokenLoss(logits, labels).reshape(1), "loss",
                    T5Fixture.LOSS_ATOL, T5Fixture.LOSS_RTOL);
        }
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"t5-tiny-v1_0, pytorch", "t5-tiny-v1_0, mxnet", "t5-tiny-v1_1, pytorch", "t5-tiny-v1_1, mxnet"})
    void greedyDecodingWithTheCacheMatchesHuggingFaceAndTheUncachedDecoder(String version, String engine) {
        T5Fixture fixture = new T5Fixture(version);
        try (NDManager manager = Engines.newManager(engine, "cpu");
                T5Model model = T5Model.load(T5Fixture.modelDir(version), manager)) {
            EncoderOutput encoded = model.encode(fixture.batch(manager), ForwardHooks.NONE);
            Seq2SeqBackbone.Greedy greedy = model.greedyDecode(encoded, STEPS, ForwardHooks.NONE);
            assertThat(greedy.ids().toLongArray()).containsExactly(fixture.io.longs("greedy_ids"));
            fixture.assertClose(engine, "greedy_step_logits", greedy.stepLogits(), "greedy_step_logits",
                    T5Fixture.LOGIT_ATOL, T5Fixture.LOGIT_RTOL);

            // Without the cache: the whole prefix of ids again at every step, the last position's logits.
            float[] cached = greedy.stepLogits().toFloatArray();
            int vocab = model.spec().vocabSize();
            for (int step = 0; step < STEPS; step++) {
                NDArray prefix = greedy.ids().get(new NDIndex(":, :{}", step + 1));
                NDArray last = model.decoderLogits(encoded, prefix, ForwardHooks.NONE).get(new NDIndex(":, -1, :"));
                float[] uncached = last.toFloatArray();
                for (int row = 0; row < 2; row++) {
                    for (int v = 0; v < vocab; v++) {
                        float expected = uncached[row * vocab + v];
                        assertThat(cached[(row * STEPS + step) * vocab + v]).as("step %d row %d id %d", step, row, v)
                                .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-4f));
                    }
                }
            }
        }
    }
}
