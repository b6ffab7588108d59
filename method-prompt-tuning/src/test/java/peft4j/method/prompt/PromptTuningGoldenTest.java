package peft4j.method.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import peft4j.api.Adapter;
import peft4j.api.AttachContext;
import peft4j.api.EmbeddedInput;
import peft4j.api.EncoderOutput;
import peft4j.api.ForwardHooks;
import peft4j.api.TaskContext;
import peft4j.api.TokenBatch;
import peft4j.api.io.Safetensors;
import peft4j.api.io.SafetensorsWriter;
import peft4j.backbone.Engines;
import peft4j.backbone.bert.BertMaskedLm;
import peft4j.backbone.models.ModelStore;

/**
 * A 4-vector prompt on the real BERT-base against ../shared/golden/bert-base-uncased-prompt-tuning (Hugging Face
 * BertForMaskedLM + torch autograd): the embedded input, the logits at [MASK], the loss and dLoss/dPrompt, for both
 * placements.
 */
@Tag("real-model")
@EnabledIfSystemProperty(named = "peft4j.realModel", matches = "true")
class PromptTuningGoldenTest {

    private static Safetensors io;
    private static NDManager manager;
    private static BertMaskedLm bert;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() {
        io = Safetensors.open(Path.of(System.getProperty("peft4j.golden", "../shared/golden"))
                .resolve("bert-base-uncased-prompt-tuning/io.safetensors"));
        manager = Engines.newManager("pytorch", "cpu");
        Path model = ModelStore.fromEnvironment().resolve(ModelStore.DEFAULT_MODEL, peft4j.api.Progress.Factory.SILENT);
        bert = BertMaskedLm.load(model, manager);
    }

    @AfterAll
    static void close() {
        bert.close();
        manager.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"after_cls", "front"})
    void matchesHuggingFaceLogitsLossAndPromptGradient(String variant) throws Exception {
        // The golden prompt enters through the file: initialisation, as a user's saved prompt would.
        Path promptFile = tmp.resolve("prompt.safetensors");
        SafetensorsWriter.write(promptFile, Map.of(PromptTuning.TENSOR_NAME,
                SafetensorsWriter.Tensor.ofFloats(io.floats("prompt"), io.info("prompt").shape())), Map.of());
        PromptPlacement placement = variant.equals("front") ? PromptPlacement.FRONT : PromptPlacement.AFTER_CLS;
        var config = new PromptTuningConfig(4, placement, "file:" + promptFile);
        try (NDManager step = manager.newSubManager();
                Adapter adapter = new PromptTuning().attach(bert, config, new AttachContext(step, 0, TaskContext.NONE))) {
            Shape shape = new Shape(io.info("input_ids").shape());
            TokenBatch batch = new TokenBatch(step.create(io.longs("input_ids"), shape),
                    step.create(io.longs("attention_mask"), shape), step.zeros(shape, ai.djl.ndarray.types.DataType.INT64));
            EmbeddedInput[] seen = new EmbeddedInput[1];
            var prompt = adapter.hooks().inputEmbedding().orElseThrow();
            ForwardHooks recording = ForwardHooks.inputEmbedding(in -> seen[0] = prompt.apply(in));
            long[] targets = io.longs("target_ids");
            long[] maskColumns = {6, 6};
            NDArray vectors = adapter.trainableTensors().get(0).array();
            float loss;
            float[] logits;
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                EncoderOutput out = bert.encode(batch, recording);
                long length = out.hiddenStates().getShape().get(1);
                long[] rows = new long[2];
                for (int r = 0; r < 2; r++) {
                    rows[r] = r * length + out.positions().outputPosition(r, maskColumns[r]);
                }
                NDArray maskLogits = bert.lmLogits(BertMaskedLm.gatherPositions(out.hiddenStates(), rows));
                NDArray logProbs = maskLogits.logSoftmax(-1);
                NDArray picked = logProbs.mul(step.create(targets).oneHot(bert.spec().vocabSize())).sum(new int[] {1});
                NDArray lossArray = picked.mean().neg();
                collector.backward(lossArray);
                loss = lossArray.getFloat();
                logits = maskLogits.toFloatArray();
                long[] golden = io.longs(variant + ".mask_positions");
                assertThat(new long[] {golden[1], golden[3]}).containsExactly(
                        out.positions().outputPosition(0, 6), out.positions().outputPosition(1, 6));
            }
            assertClose("inputs_embeds", seen[0].wordEmbeddings().toFloatArray(), io.floats(variant + ".inputs_embeds"),
                    1e-6, 0);
            assertThat(seen[0].attentionMask().toLongArray()).containsExactly(io.longs(variant + ".attention_mask"));
            assertClose("mask_logits", logits, io.floats(variant + ".mask_logits"), 1e-3, 1e-4);
            assertClose("loss", new float[] {loss}, io.floats(variant + ".loss"), 1e-4, 1e-5);
            assertClose("grad_prompt", vectors.getGradient().toFloatArray(), io.floats(variant + ".grad_prompt"), 1e-4,
                    1e-3);
        }
    }

    static void assertClose(String what, float[] actual, float[] expected, double atol, double rtol) {
        assertThat(actual).as(what + " length").hasSize(expected.length);
        for (int i = 0; i < actual.length; i++) {
            double allowed = atol + rtol * Math.abs(expected[i]);
            if (Math.abs(actual[i] - expected[i]) > allowed) {
                throw new AssertionError(what + "[" + i + "]: " + actual[i] + " vs expected " + expected[i]
                        + " (allowed " + allowed + ")");
            }
        }
    }
}
