package peft4j.train.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import peft4j.api.AdaptationMethod;
import peft4j.api.Adapter;
import peft4j.api.AttachContext;
import peft4j.api.MethodConfig;
import peft4j.api.Methods;
import peft4j.api.TaskContext;
import peft4j.api.UserError;
import peft4j.api.io.Safetensors;
import peft4j.api.io.SafetensorsWriter;
import peft4j.backbone.Engines;

/**
 * Adapter files against ../shared/golden/peft-adapter-format (written by PEFT 0.6.2 itself): what we write for the
 * same settings must be byte-identical, and what PEFT wrote must load as the right method with the same values.
 */
class AdapterFilesTest {

    private static final Path FORMAT = Path.of(System.getProperty("peft4j.golden", "../shared/golden"))
            .resolve("peft-adapter-format");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private NDManager manager;
    private ShapeOnlyBackbone t5;

    @BeforeEach
    void open() {
        manager = Engines.newManager("pytorch", "cpu");
        t5 = new ShapeOnlyBackbone(ShapeOnlyBackbone.T5_TINY, manager);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private Adapter attach(String method, ObjectNode settings) {
        AdaptationMethod<?> found = Methods.require(method);
        return attachUnchecked(found, found.readConfig(settings));
    }

    @SuppressWarnings("unchecked")
    private Adapter attachUnchecked(AdaptationMethod<?> method, MethodConfig config) {
        return ((AdaptationMethod<MethodConfig>) method).attach(t5, config, new AttachContext(manager, 3,
                TaskContext.NONE));
    }

    @Test
    void promptTuningAdapterConfigIsByteIdenticalToPefts() throws Exception {
        ObjectNode settings = JSON.createObjectNode().put("length", 5).put("placement", "front")
                .put("init", "random-uniform");
        try (Adapter adapter = attach("prompt-tuning", settings)) {
            AdapterFiles.save(tmp, adapter, Map.of("model", "t5-tiny-v1_1"));
        }
        assertThat(Files.readAllBytes(tmp.resolve("adapter_config.json")))
                .isEqualTo(Files.readAllBytes(FORMAT.resolve("prompt_tuning_random/adapter_config.json")));
        Safetensors saved = Safetensors.open(tmp.resolve("adapter_model.safetensors"));
        assertThat(saved.tensors().keySet()).containsExactly("prompt_embeddings");
        assertThat(saved.info("prompt_embeddings").shape()).containsExactly(10, 64);
        assertThat(saved.metadata()).containsEntry("format", "pt");
        assertThat(JSON.readTree(tmp.resolve("peft4j.json").toFile()).path("tensors_sha256").asText())
                .isEqualTo(AdapterFiles.sha256(tmp.resolve("adapter_model.safetensors")));
    }

    @Test
    void prefixTuningAdapterConfigIsByteIdenticalToPefts() throws Exception {
        ObjectNode settings = JSON.createObjectNode().put("length", 3).put("peft_compat", true);
        try (Adapter adapter = attach("prefix-tuning", settings)) {
            AdapterFiles.save(tmp, adapter, Map.of("model", "t5-tiny-v1_1"));
        }
        assertThat(Files.readString(tmp.resolve("adapter_config.json")))
                .isEqualTo(Files.readString(FORMAT.resolve("prefix_tuning/adapter_config.json")));
        Safetensors saved = Safetensors.open(tmp.resolve("adapter_model.safetensors"));
        assertThat(saved.info("prompt_embeddings").shape()).containsExactly(3, 256);
    }

    @Test
    void aPrefixLayoutPeftCannotReadGetsNoAdapterConfig() throws Exception {
        // Encoder and decoder prefixes on T5 are peft4j's own: PEFT would misread the table, so no adapter_config.json.
        Files.writeString(tmp.resolve("adapter_config.json"), "stale");
        try (Adapter adapter = attach("prefix-tuning", JSON.createObjectNode().put("length", 3))) {
            AdapterFiles.save(tmp, adapter, Map.of());
        }
        assertThat(tmp.resolve("adapter_config.json")).doesNotExist();
        assertThat(Safetensors.open(tmp.resolve("adapter_model.safetensors")).info("prompt_embeddings").shape())
                .containsExactly(3, 2 * 2 * 2 * 64);
    }

    @Test
    void peftWrittenAdaptersLoadAsTheRightMethodWithTheirValues() {
        Path prefixDir = FORMAT.resolve("prefix_tuning");
        AdapterFiles.Description prefix = AdapterFiles.describe(prefixDir, t5.spec());
        assertThat(prefix.method().name()).isEqualTo("prefix-tuning");
        assertThat(prefix.writtenByPeft()).isTrue();
        assertThat(JSON.valueToTree(prefix.config()).path("peft_compat").asBoolean()).isTrue();
        try (Adapter adapter = AdapterFiles.attach(prefixDir, t5, new AttachContext(manager, 1, TaskContext.NONE))) {
            float[] golden = Safetensors.open(prefixDir.resolve("adapter_model.safetensors")).floats("prompt_embeddings");
            assertThat(adapter.trainableTensors().get(0).array().toFloatArray()).containsExactly(golden);
            assertThat(adapter.tunableParameterCount()).isEqualTo(3 * 256);
        }
        for (String variant : new String[] {"prompt_tuning_random", "prompt_tuning_text"}) {
            Path dir = FORMAT.resolve(variant);
            AdapterFiles.Description prompt = AdapterFiles.describe(dir, t5.spec());
            assertThat(prompt.method().name()).isEqualTo("prompt-tuning");
            assertThat(JSON.valueToTree(prompt.config()).path("length").asInt()).isEqualTo(5);
            assertThat(JSON.valueToTree(prompt.config()).path("placement").asText()).isEqualTo("front");
            try (Adapter adapter = AdapterFiles.attach(dir, t5, new AttachContext(manager, 1, TaskContext.NONE))) {
                float[] golden = Safetensors.open(dir.resolve("adapter_model.safetensors")).floats("prompt_embeddings");
                // PEFT's [10, 64] table: the encoder reads rows 0..4, the second block is never used.
                assertThat(adapter.trainableTensors().get(0).array().toFloatArray())
                        .containsExactly(Arrays.copyOf(golden, 5 * 64));
            }
        }
    }

    @Test
    void aPeftAdapterForAnotherShapeFailsWithOneLine() {
        var bertBase = peft4j.backbone.bert.BertConfig.of(30522, 768, 12, 12, 3072, 512).spec();
        ShapeOnlyBackbone bert = new ShapeOnlyBackbone(bertBase, manager);
        for (String variant : new String[] {"prefix_tuning", "prompt_tuning_random"}) {
            assertThatThrownBy(() -> AdapterFiles.attach(FORMAT.resolve(variant), bert,
                    new AttachContext(manager, 1, TaskContext.NONE))).isInstanceOf(UserError.class)
                    .hasMessageContaining("token_dim 64").hasMessageContaining("768")
                    .hasMessageContaining("load it onto the model it was trained for")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }

    @Test
    void olderPeft4jAdaptersStillLoad() throws Exception {
        // The layout before adapter_config.json: the tensors and peft4j.json with method and config.
        float[] values = new float[4 * 64];
        for (int i = 0; i < values.length; i++) {
            values[i] = i / 100f;
        }
        SafetensorsWriter.write(tmp.resolve("adapter_model.safetensors"), Map.of("prompt_embeddings",
                SafetensorsWriter.Tensor.ofFloats(values, 4, 64)), Map.of("format", "pt"));
        Files.writeString(tmp.resolve("peft4j.json"), "{\"task\": \"polarity\", \"method\": \"prompt-tuning\", "
                + "\"config\": {\"length\": 4, \"placement\": \"after-cls\", \"init\": \"random-uniform\"}, "
                + "\"tunable_parameters\": 256, \"tensors_sha256\": \"x\"}\n");
        try (Adapter adapter = AdapterFiles.attach(tmp, new ShapeOnlyBackbone(
                new peft4j.api.BackboneSpec("bert", 40, 64, 2, 0, 4, 16, 64, 0), manager),
                new AttachContext(manager, 1, TaskContext.NONE))) {
            assertThat(adapter.trainableTensors().get(0).array().toFloatArray()).containsExactly(values);
        }
    }

    @Test
    void encoderOnlyAdaptersNameFeatureExtractionAndAfterClsPromptsGetNoPeftConfig() throws Exception {
        ShapeOnlyBackbone bert = new ShapeOnlyBackbone(new peft4j.api.BackboneSpec("bert", 40, 16, 2, 0, 2, 8, 24, 0),
                manager);
        AttachContext context = new AttachContext(manager, 1, TaskContext.NONE);
        AdaptationMethod<?> prompt = Methods.require("prompt-tuning");
        for (String placement : new String[] {"front", "after-cls"}) {
            Path dir = tmp.resolve(placement);
            MethodConfig config = prompt.readConfig(JSON.createObjectNode().put("length", 2).put("placement", placement)
                    .put("init", "random-uniform"));
            try (Adapter adapter = attachTo(prompt, config, bert, context)) {
                AdapterFiles.save(dir, adapter, Map.of("model", "bert-base-uncased"));
            }
        }
        assertThat(JSON.readTree(tmp.resolve("front/adapter_config.json").toFile()).path("task_type").asText())
                .isEqualTo("FEATURE_EXTRACTION");
        assertThat(tmp.resolve("after-cls/adapter_config.json")).doesNotExist();
        // Either way peft4j reads its own adapter back.
        assertThat(AdapterFiles.describe(tmp.resolve("after-cls"), bert.spec()).method().name())
                .isEqualTo("prompt-tuning");
    }

    @SuppressWarnings("unchecked")
    private static Adapter attachTo(AdaptationMethod<?> method, MethodConfig config, ShapeOnlyBackbone backbone,
            AttachContext context) {
        return ((AdaptationMethod<MethodConfig>) method).attach(backbone, config, context);
    }

    @Test
    void pythonStyleStringEscapes() {
        assertThat(PeftAdapterConfig.string("classify the review: \"é\"\n")).isEqualTo(
                "\"classify the review: \\\"\\u00e9\\\"\\n\"");
    }
}
