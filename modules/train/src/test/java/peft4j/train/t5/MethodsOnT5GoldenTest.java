package peft4j.train.t5;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import peft4j.api.AdaptationMethod;
import peft4j.api.Adapter;
import peft4j.api.AttachContext;
import peft4j.api.MethodConfig;
import peft4j.api.Methods;
import peft4j.api.TaskContext;
import peft4j.api.io.Safetensors;
import peft4j.api.io.SafetensorsWriter;
import peft4j.backbone.Engines;
import peft4j.backbone.t5.T5Model;

/**
 * The prompt-tuning and prefix-tuning METHODS (found through the SPI, configured from JSON as a run configures them)
 * attached to the golden t5-tiny-v1_1, against PEFT 0.6.2 / Hugging Face: logits, loss and the gradient of the
 * method's own trainable tensor, on PyTorch and MXNet.
 */
class MethodsOnT5GoldenTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @SuppressWarnings("unchecked")
    private static Adapter attach(String method, ObjectNode settings, T5Model model, NDManager manager) {
        AdaptationMethod<MethodConfig> found = (AdaptationMethod<MethodConfig>) Methods.require(method);
        return found.attach(model, found.readConfig(settings), new AttachContext(manager, 0, TaskContext.NONE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pytorch", "mxnet"})
    void promptTuningPrependsThePromptAsPeftDoes(String engine) throws Exception {
        Safetensors io = GoldenT5.fixture("t5-tiny-v1_1-prompt-tuning");
        Path promptFile = tmp.resolve("prompt.safetensors");
        SafetensorsWriter.write(promptFile, Map.of("prompt_embeddings",
                SafetensorsWriter.Tensor.ofFloats(io.floats("prompt"), io.info("prompt").shape())), Map.of());
        // No placement: on a backbone without [CLS] the prompt goes in front, as PEFT puts it.
        ObjectNode settings = JSON.createObjectNode().put("length", 5).put("init", "file:" + promptFile);
        try (NDManager manager = Engines.newManager(engine, "cpu");
                T5Model model = T5Model.load(GoldenT5.MODEL, manager);
                Adapter adapter = attach("prompt-tuning", settings, model, manager)) {
            assertThat(JSON.valueToTree(adapter.config()).path("placement").asText()).isEqualTo("front");
            GoldenT5.Pass pass = GoldenT5.forwardBackward(model, io, manager, adapter.hooks());
            GoldenT5.assertClose("prompt-tuning [" + engine + "] logits", pass.logits().toFloatArray(),
                    io.floats("logits"), GoldenT5.LOGIT_ATOL, GoldenT5.LOGIT_RTOL);
            GoldenT5.assertClose("prompt-tuning [" + engine + "] loss", pass.loss().toFloatArray(),
                    io.floats("loss"), GoldenT5.LOSS_ATOL, GoldenT5.LOSS_RTOL);
            NDArray prompt = adapter.trainableTensors().get(0).array();
            GoldenT5.assertClose("prompt-tuning [" + engine + "] dLoss/dPrompt", prompt.getGradient().toFloatArray(),
                    io.floats("grad_prompt"), GoldenT5.GRAD_ATOL, GoldenT5.GRAD_RTOL);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pytorch", "mxnet"})
    void prefixTuningWithPeftCompatReproducesPeftsDecoderPrefixes(String engine) {
        Safetensors io = GoldenT5.fixture("t5-tiny-v1_1-prefix-tuning");
        ObjectNode settings = JSON.createObjectNode().put("length", 3).put("peft_compat", true);
        try (NDManager manager = Engines.newManager(engine, "cpu");
                T5Model model = T5Model.load(GoldenT5.MODEL, manager);
                Adapter adapter = attach("prefix-tuning", settings, model, manager)) {
            NDArray table = adapter.trainableTensors().get(0).array();
            assertThat(table.getShape().getShape()).containsExactly(3, 256);
            table.set(io.floats("peft_prefix_embedding"));
            GoldenT5.Pass pass = GoldenT5.forwardBackward(model, io, manager, adapter.hooks());
            GoldenT5.assertClose("prefix-tuning peft_compat [" + engine + "] logits", pass.logits().toFloatArray(),
                    io.floats("logits"), GoldenT5.LOGIT_ATOL, GoldenT5.LOGIT_RTOL);
            GoldenT5.assertClose("prefix-tuning peft_compat [" + engine + "] loss", pass.loss().toFloatArray(),
                    io.floats("loss"), GoldenT5.LOSS_ATOL, GoldenT5.LOSS_RTOL);
            GoldenT5.assertClose("prefix-tuning peft_compat [" + engine + "] dLoss/dTable",
                    table.getGradient().toFloatArray(), io.floats("grad_peft_prefix_embedding"), GoldenT5.GRAD_ATOL,
                    GoldenT5.GRAD_RTOL);
        }
    }

    /**
     * The default layout prefixes every encoder and decoder self-attention layer from one table {@code [P, 8·64]}:
     * encoder layer l reads key slot 2l and value slot 2l+1, decoder layer l slots 2(2+l) and 2(2+l)+1; slot s, head
     * h, position p, dimension d is {@code table[p, s·64 + h·16 + d]}. The fixture's {@code [layer, head, P, d_kv]}
     * tensors go into those slots, and the table's gradient comes back out of them.
     */
    @ParameterizedTest
    @ValueSource(strings = {"pytorch", "mxnet"})
    void prefixTuningDefaultLayoutMatchesEncoderAndDecoderPastKeyValues(String engine) {
        Safetensors io = GoldenT5.fixture("t5-tiny-v1_1-prefix-tuning-encdec-variant");
        String[] names = {"encoder_prefix_key", "encoder_prefix_value", "decoder_prefix_key", "decoder_prefix_value"};
        try (NDManager manager = Engines.newManager(engine, "cpu");
                T5Model model = T5Model.load(GoldenT5.MODEL, manager);
                Adapter adapter = attach("prefix-tuning", JSON.createObjectNode().put("length", 3), model, manager)) {
            NDArray table = adapter.trainableTensors().get(0).array();
            assertThat(table.getShape().getShape()).containsExactly(3, 8 * 64);
            float[] values = new float[3 * 8 * 64];
            for (int n = 0; n < names.length; n++) {
                float[] perLayer = io.floats(names[n]);
                for (int layer = 0; layer < 2; layer++) {
                    scatter(perLayer, layer, slot(n, layer), values);
                }
            }
            table.set(values);
            GoldenT5.Pass pass = GoldenT5.forwardBackward(model, io, manager, adapter.hooks());
            GoldenT5.assertClose("prefix-tuning enc+dec [" + engine + "] logits", pass.logits().toFloatArray(),
                    io.floats("logits"), GoldenT5.LOGIT_ATOL, GoldenT5.LOGIT_RTOL);
            GoldenT5.assertClose("prefix-tuning enc+dec [" + engine + "] loss", pass.loss().toFloatArray(),
                    io.floats("loss"), GoldenT5.LOSS_ATOL, GoldenT5.LOSS_RTOL);
            float[] gradient = table.getGradient().toFloatArray();
            for (int n = 0; n < names.length; n++) {
                float[] ours = new float[2 * 4 * 3 * 16];
                for (int layer = 0; layer < 2; layer++) {
                    gather(gradient, layer, slot(n, layer), ours);
                }
                GoldenT5.assertClose("prefix-tuning enc+dec [" + engine + "] grad_" + names[n], ours,
                        io.floats("grad_" + names[n]), GoldenT5.GRAD_ATOL, GoldenT5.GRAD_RTOL);
            }
        }
    }

    /** Tensor n (encoder key, encoder value, decoder key, decoder value) of a layer: its slot in the table. */
    private static int slot(int n, int layer) {
        int firstLayer = n < 2 ? 0 : 2;
        return 2 * (firstLayer + layer) + n % 2;
    }

    /** {@code perLayer[layer, h, p, d]} into {@code table[p, slot·64 + h·16 + d]}. */
    private static void scatter(float[] perLayer, int layer, int slot, float[] table) {
        for (int h = 0; h < 4; h++) {
            for (int p = 0; p < 3; p++) {
                System.arraycopy(perLayer, ((layer * 4 + h) * 3 + p) * 16, table, p * 512 + slot * 64 + h * 16, 16);
            }
        }
    }

    /** The inverse of {@link #scatter}. */
    private static void gather(float[] table, int layer, int slot, float[] perLayer) {
        for (int h = 0; h < 4; h++) {
            for (int p = 0; p < 3; p++) {
                System.arraycopy(table, p * 512 + slot * 64 + h * 16, perLayer, ((layer * 4 + h) * 3 + p) * 16, 16);
            }
        }
    }
}
