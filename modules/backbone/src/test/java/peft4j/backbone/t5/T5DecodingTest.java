package peft4j.backbone.t5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import peft4j.api.AttentionPrefixHook;
import peft4j.api.AttentionStack;
import peft4j.api.EncoderOutput;
import peft4j.api.ForwardHooks;
import peft4j.api.KeyValuePrefix;
import peft4j.api.Seq2SeqBackbone;
import peft4j.api.TokenBatch;
import peft4j.api.UserError;
import peft4j.backbone.Engines;
import peft4j.backbone.Golden;

/** Behaviour of decoding, scoring and prefix checks on t5-tiny-v1_1 (exactness against HF is the golden tests' job). */
class T5DecodingTest {

    @TempDir
    Path tmp;

    private NDManager manager;
    private final T5Fixture fixture = new T5Fixture("t5-tiny-v1_1");

    private void open(String engine) {
        manager = Engines.newManager(engine, "cpu");
    }

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pytorch", "mxnet"})
    void greedyDecodingWithDecoderPrefixesAgreesWithTheUncachedDecoder(String engine) {
        open(engine);
        try (T5Model model = T5Model.load(Golden.dir("t5-tiny-v1_1"), manager)) {
            NDArray keys = manager.randomNormal(new Shape(1, 4, 3, 16));
            NDArray values = manager.randomNormal(new Shape(1, 4, 3, 16));
            AttentionPrefixHook hook = (stack, layer, batch) -> stack == AttentionStack.DECODER
                    ? new KeyValuePrefix(keys.broadcast(batch, 4, 3, 16), values.broadcast(batch, 4, 3, 16))
                    : null;
            ForwardHooks hooks = ForwardHooks.attentionPrefix(hook);
            EncoderOutput encoded = model.encode(fixture.batch(manager), hooks);
            Seq2SeqBackbone.Greedy greedy;
            try (NDScope scope = new NDScope()) {
                greedy = model.greedyDecode(encoded, 6, hooks);
                NDScope.unregister(greedy.ids(), greedy.stepLogits());
            }
            assertThat(keys.isReleased()).as("the caller's prefix survives the decoding scope").isFalse();
            for (int step = 0; step < 6; step++) {
                NDArray prefix = greedy.ids().get(new NDIndex(":, :{}", step + 1));
                NDArray uncached = model.decoderLogits(encoded, prefix, hooks).get(new NDIndex(":, -1, :"));
                NDArray cached = greedy.stepLogits().get(new NDIndex(":, {}, :", step));
                assertThat(cached.sub(uncached).abs().max().getFloat()).as("step %d", step).isLessThan(1e-4f);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pytorch", "mxnet"})
    void rowsStopAtEosAndContinueWithPad(String engine) throws IOException {
        open(engine);
        // The golden greedy row 0 starts 0 26 ...: with 26 as EOS that row finishes after one token.
        Path dir = Files.createDirectories(tmp.resolve("eos26"));
        Files.copy(Golden.dir("t5-tiny-v1_1").resolve("model.safetensors"), dir.resolve("model.safetensors"));
        Files.writeString(dir.resolve("config.json"), Files.readString(Golden.dir("t5-tiny-v1_1")
                .resolve("config.json")).replace("\"eos_token_id\": 1", "\"eos_token_id\": 26"));
        try (T5Model model = T5Model.load(dir, manager)) {
            EncoderOutput encoded = model.encode(fixture.batch(manager), ForwardHooks.NONE);
            long[] ids = model.greedyDecode(encoded, 8, ForwardHooks.NONE).ids().toLongArray();
            long[] golden = fixture.io.longs("greedy_ids");
            assertThat(Arrays.copyOfRange(ids, 0, 9)).containsExactly(0, 26, 0, 0, 0, 0, 0, 0, 0);
            assertThat(Arrays.copyOfRange(ids, 9, 18)).containsExactly(Arrays.copyOfRange(golden, 9, 18));

            // When every row has finished, decoding stops.
            TokenBatch first = new TokenBatch(fixture.array("input_ids", manager).get("0:1"),
                    fixture.array("attention_mask", manager).get("0:1"), manager.zeros(new Shape(1, 9)));
            Seq2SeqBackbone.Greedy alone = model.greedyDecode(model.encode(first, ForwardHooks.NONE), 8,
                    ForwardHooks.NONE);
            assertThat(alone.ids().toLongArray()).containsExactly(0, 26);
            assertThat(alone.stepLogits().getShape()).isEqualTo(new Shape(1, 1, 128));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pytorch", "mxnet"})
    void candidateScoresAreSummedAndAveragedTokenLogLikelihoods(String engine) {
        open(engine);
        try (T5Model model = T5Model.load(Golden.dir("t5-tiny-v1_1"), manager)) {
            EncoderOutput encoded = model.encode(fixture.batch(manager), ForwardHooks.NONE);
            NDArray labels = fixture.array("labels", manager); // row 1 ends with two -100
            Seq2SeqBackbone.CandidateScores scores = model.scoreCandidates(encoded, labels, ForwardHooks.NONE);
            assertThat(scores.logLikelihood().getShape()).isEqualTo(new Shape(2, 2));
            float[] sums = scores.logLikelihood().toFloatArray();
            float[] means = scores.meanLogLikelihood().toFloatArray();
            // Input i with its own labels: together they are −(loss × 10 counted tokens).
            float loss = fixture.floats("loss")[0];
            assertThat(sums[0] + sums[3]).isCloseTo(-loss * 10, within(1e-3f));
            assertThat(means[1]).isCloseTo(sums[1] / 4, within(1e-5f));
            assertThat(means[2]).isCloseTo(sums[2] / 6, within(1e-5f));
            // Each pair scored alone gives the same number as in the batch.
            NDArray alone = model.scoreCandidates(new EncoderOutput(encoded.hiddenStates().get("1:2"),
                    encoded.attentionMask().get("1:2"), encoded.positions()), labels.get("0:1"), ForwardHooks.NONE)
                    .logLikelihood();
            assertThat(alone.getFloat(0, 0)).isCloseTo(sums[2], within(1e-4f));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pytorch"})
    void aPrefixOfTheWrongShapeIsAClearError(String engine) {
        open(engine);
        try (T5Model model = T5Model.load(Golden.dir("t5-tiny-v1_1"), manager)) {
            NDArray wide = manager.zeros(new Shape(2, 4, 3, 32)); // d_kv is 16
            ForwardHooks hooks = ForwardHooks.attentionPrefix((stack, layer, batch) -> new KeyValuePrefix(wide, wide));
            assertThatThrownBy(() -> model.encode(fixture.batch(manager), hooks)).isInstanceOf(UserError.class)
                    .hasMessageContaining("input prefix of layer 0").hasMessageContaining("(2, 4, 3, 16)");
        }
    }
}
