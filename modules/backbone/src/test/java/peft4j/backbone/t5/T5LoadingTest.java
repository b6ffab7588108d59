package peft4j.backbone.t5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import peft4j.api.BackboneSpec;
import peft4j.api.UserError;
import peft4j.api.io.Safetensors;
import peft4j.api.io.SafetensorsWriter;
import peft4j.backbone.Engines;
import peft4j.backbone.Golden;

/** Reading T5 directories: config defaults and activations, sharded and half-precision weights, and clear errors. */
class T5LoadingTest {

    @TempDir
    Path tmp;

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = Engines.newManager("pytorch", "cpu");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** The golden model's tensors, each passed through {@code edit} (which may drop it by returning null). */
    private static Map<String, SafetensorsWriter.Tensor> goldenTensors(String version,
            UnaryOperator<SafetensorsWriter.Tensor> edit, Map<String, String> rename) {
        Safetensors file = Safetensors.open(Golden.dir(version).resolve("model.safetensors"));
        Map<String, SafetensorsWriter.Tensor> tensors = new LinkedHashMap<>();
        file.tensors().forEach((name, info) -> {
            SafetensorsWriter.Tensor tensor = edit.apply(SafetensorsWriter.Tensor.ofFloats(file.floats(name), info.shape()));
            if (tensor != null) {
                tensors.put(rename.getOrDefault(name, name), tensor);
            }
        });
        return tensors;
    }

    private Path writeModel(String name, String version, String configJson, Map<String, SafetensorsWriter.Tensor> tensors)
            throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.writeString(dir.resolve("config.json"), configJson);
        if (!tensors.isEmpty()) {
            SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors, Map.of());
        }
        return dir;
    }

    private static String goldenConfig(String version) throws IOException {
        return Files.readString(Golden.dir(version).resolve("config.json"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"t5-tiny-v1_0", "t5-tiny-v1_1"})
    void specDescribesTheModelAndCountsEveryUniqueWeightOnce(String version) {
        try (T5Model model = T5Model.load(Golden.dir(version), manager)) {
            BackboneSpec spec = model.spec();
            assertThat(spec).extracting(BackboneSpec::architecture, BackboneSpec::vocabSize, BackboneSpec::hiddenSize,
                    BackboneSpec::layers, BackboneSpec::decoderLayers, BackboneSpec::attentionHeads,
                    BackboneSpec::headSize).containsExactly("t5", 128, 64, 2, 2, 4, 16);
            long loaded = model.weights().values().stream().mapToLong(NDArray::size).sum();
            assertThat(spec.parameterCount()).isEqualTo(loaded);
            Safetensors file = Safetensors.open(Golden.dir(version).resolve("model.safetensors"));
            assertThat(model.weights().keySet()).containsExactlyInAnyOrderElementsOf(file.tensors().keySet());
        }
    }

    @Test
    void parameterCountsOfPublishedCheckpointsMatchHuggingFace() throws IOException {
        // Hugging Face's num_parameters() of t5-small (tied, ReLU) and google/t5-v1_1-small (untied, gated-GELU).
        Path small = writeModel("t5-small", "", "{\"model_type\": \"t5\", \"n_positions\": 512}", Map.of());
        assertThat(T5Config.read(small).spec().parameterCount()).isEqualTo(60_506_624L);
        Path v11 = writeModel("t5-v1_1-small", "", """
                {"model_type": "t5", "d_ff": 1024, "num_heads": 6, "num_layers": 8, "feed_forward_proj": "gated-gelu",
                 "tie_word_embeddings": false}""", Map.of());
        assertThat(T5Config.read(v11).spec().parameterCount()).isEqualTo(76_961_152L);
    }

    @Test
    void absentFieldsTakeHuggingFaceDefaults() throws IOException {
        Path dir = writeModel("defaults", "", "{\"num_layers\": 3, \"pad_token_id\": 5}", Map.of());
        T5Config config = T5Config.read(dir);
        assertThat(config.decoderLayers()).isEqualTo(3);
        assertThat(config.tieWordEmbeddings()).isTrue();
        assertThat(config.relativeMaxDistance()).isEqualTo(128);
        assertThat(config.decoderStartTokenId()).isEqualTo(5);
        assertThat(config.activation()).isEqualTo(new FeedForwardActivation("relu", false));
    }

    @Test
    void feedForwardProjIsParsedAsHuggingFaceDoes() throws IOException {
        assertThat(activationOf("\"feed_forward_proj\": \"gated-gelu\"")).isEqualTo(new FeedForwardActivation("gelu_new", true));
        assertThat(activationOf("\"feed_forward_proj\": \"gelu\"")).isEqualTo(new FeedForwardActivation("gelu", false));
        assertThat(activationOf("\"feed_forward_proj\": \"gated-relu\"")).isEqualTo(new FeedForwardActivation("relu", true));
        assertThat(activationOf("\"feed_forward_proj\": \"gated-silu\"")).isEqualTo(new FeedForwardActivation("silu", true));
        // An explicit dense_act_fn / is_gated_act wins, as in Hugging Face's PretrainedConfig.
        assertThat(activationOf("\"feed_forward_proj\": \"gated-gelu\", \"dense_act_fn\": \"gelu_pytorch_tanh\""))
                .isEqualTo(new FeedForwardActivation("gelu_pytorch_tanh", true));
    }

    private FeedForwardActivation activationOf(String fields) throws IOException {
        return T5Config.read(writeModel("act" + fields.hashCode(), "", "{" + fields + "}", Map.of())).activation();
    }

    @ParameterizedTest
    @ValueSource(strings = {"swiglu", "gated-gelu-x", "fast-gelu"})
    void anUnknownFeedForwardProjIsAOneLineError(String value) throws IOException {
        Path dir = writeModel("bad-" + value, "", "{\"feed_forward_proj\": \"" + value + "\"}", Map.of());
        assertThatThrownBy(() -> T5Config.read(dir)).isInstanceOf(UserError.class)
                .hasMessageContaining("feed_forward_proj '" + value + "'")
                .hasMessageContaining("relu").hasMessageContaining("gated-gelu")
                .hasMessageNotContaining("\n");
    }

    @Test
    void missingTensorsAreListed() throws IOException {
        Map<String, SafetensorsWriter.Tensor> tensors = goldenTensors("t5-tiny-v1_1", t -> t, Map.of());
        tensors.remove("decoder.block.1.layer.1.EncDecAttention.k.weight");
        tensors.remove("encoder.final_layer_norm.weight");
        Path dir = writeModel("missing", "t5-tiny-v1_1", goldenConfig("t5-tiny-v1_1"), tensors);
        assertThatThrownBy(() -> T5Model.load(dir, manager)).isInstanceOf(UserError.class)
                .hasMessageContaining("lacks 2 tensor(s)")
                .hasMessageContaining("decoder.block.1.layer.1.EncDecAttention.k.weight")
                .hasMessageContaining("encoder.final_layer_norm.weight");
    }

    @Test
    void anUntiedModelWithoutItsHeadSaysWhy() throws IOException {
        Map<String, SafetensorsWriter.Tensor> tensors = goldenTensors("t5-tiny-v1_1", t -> t, Map.of());
        tensors.remove("lm_head.weight");
        Path dir = writeModel("headless", "t5-tiny-v1_1", goldenConfig("t5-tiny-v1_1"), tensors);
        assertThatThrownBy(() -> T5Model.load(dir, manager)).isInstanceOf(UserError.class)
                .hasMessageContaining("lm_head.weight").hasMessageContaining("tie_word_embeddings is false");
    }

    @Test
    void aShapeThatContradictsTheConfigNamesTensorAndShapes() throws IOException {
        String name = "encoder.block.0.layer.1.DenseReluDense.wo.weight";
        Map<String, SafetensorsWriter.Tensor> tensors = goldenTensors("t5-tiny-v1_1", t -> t, Map.of());
        tensors.put(name, SafetensorsWriter.Tensor.ofFloats(new float[64 * 96], 64, 96));
        Path dir = writeModel("shape", "t5-tiny-v1_1", goldenConfig("t5-tiny-v1_1"), tensors);
        assertThatThrownBy(() -> T5Model.load(dir, manager)).isInstanceOf(UserError.class)
                .hasMessageContaining(name).hasMessageContaining("(64, 96)").hasMessageContaining("(64, 128)");
    }

    @Test
    void aPytorchPickleOnlyDirectoryAsksForSafetensors() throws IOException {
        Path dir = writeModel("pickle", "t5-tiny-v1_1", goldenConfig("t5-tiny-v1_1"), Map.of());
        Files.write(dir.resolve("pytorch_model.bin"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> T5Model.load(dir, manager)).isInstanceOf(UserError.class)
                .hasMessageContaining("pytorch_model.bin").hasMessageContaining("safe_serialization=True")
                .hasMessageNotContaining("\n");
    }

    @Test
    void shardedCheckpointsLoadLikeASingleFile() throws IOException {
        Map<String, SafetensorsWriter.Tensor> tensors = goldenTensors("t5-tiny-v1_1", t -> t, Map.of());
        Path dir = Files.createDirectories(tmp.resolve("sharded"));
        Files.writeString(dir.resolve("config.json"), goldenConfig("t5-tiny-v1_1"));
        Map<String, SafetensorsWriter.Tensor> first = new LinkedHashMap<>();
        Map<String, SafetensorsWriter.Tensor> second = new LinkedHashMap<>();
        StringBuilder weightMap = new StringBuilder();
        tensors.forEach((name, tensor) -> {
            boolean decoder = name.startsWith("decoder.") || name.equals("lm_head.weight");
            (decoder ? second : first).put(name, tensor);
            String shard = decoder ? "model-00002-of-00002.safetensors" : "model-00001-of-00002.safetensors";
            weightMap.append(weightMap.length() == 0 ? "" : ", ").append('"').append(name).append("\": \"")
                    .append(shard).append('"');
        });
        SafetensorsWriter.write(dir.resolve("model-00001-of-00002.safetensors"), first, Map.of());
        SafetensorsWriter.write(dir.resolve("model-00002-of-00002.safetensors"), second, Map.of());
        Files.writeString(dir.resolve("model.safetensors.index.json"),
                "{\"metadata\": {\"total_size\": 0}, \"weight_map\": {" + weightMap + "}}");
        try (T5Model sharded = T5Model.load(dir, manager);
                T5Model single = T5Model.load(Golden.dir("t5-tiny-v1_1"), manager)) {
            assertThat(sharded.weights().keySet()).containsExactlyElementsOf(single.weights().keySet());
            single.weights().forEach((name, array) ->
                    assertThat(sharded.weights().get(name).contentEquals(array)).as(name).isTrue());
        }
    }

    @Test
    void tiedAliasesAndAnExtraHeadAreAccepted() throws IOException {
        // Written by torch.save-style code: the table under encoder.embed_tokens, plus a redundant lm_head.
        Map<String, SafetensorsWriter.Tensor> tensors = goldenTensors("t5-tiny-v1_0", t -> t,
                Map.of("shared.weight", "encoder.embed_tokens.weight"));
        tensors.put("lm_head.weight", tensors.get("encoder.embed_tokens.weight"));
        Path dir = writeModel("aliases", "t5-tiny-v1_0", goldenConfig("t5-tiny-v1_0"), tensors);
        try (T5Model aliased = T5Model.load(dir, manager);
                T5Model golden = T5Model.load(Golden.dir("t5-tiny-v1_0"), manager)) {
            assertThat(aliased.weights()).doesNotContainKey("lm_head.weight");
            assertThat(aliased.inputEmbeddings().contentEquals(golden.inputEmbeddings())).isTrue();
        }
    }

    @Test
    void bfloat16WeightsAreWidenedToFloat32() throws IOException {
        Map<String, SafetensorsWriter.Tensor> tensors = goldenTensors("t5-tiny-v1_1", T5LoadingTest::toBfloat16,
                Map.of());
        Path dir = writeModel("bf16", "t5-tiny-v1_1", goldenConfig("t5-tiny-v1_1"), tensors);
        try (T5Model model = T5Model.load(dir, manager)) {
            Safetensors golden = Safetensors.open(Golden.dir("t5-tiny-v1_1").resolve("model.safetensors"));
            float[] expected = golden.floats("shared.weight");
            for (int i = 0; i < expected.length; i++) {
                expected[i] = Float.intBitsToFloat(Float.floatToIntBits(expected[i]) & 0xffff0000);
            }
            assertThat(model.inputEmbeddings().toFloatArray()).containsExactly(expected);
        }
    }

    /** Truncates float32 to bfloat16 (its upper 16 bits). */
    private static SafetensorsWriter.Tensor toBfloat16(SafetensorsWriter.Tensor tensor) {
        ByteBuffer source = tensor.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        source.rewind();
        ByteBuffer target = ByteBuffer.allocate(source.remaining() / 2).order(ByteOrder.LITTLE_ENDIAN);
        while (source.remaining() >= 4) {
            target.putShort((short) (Float.floatToIntBits(source.getFloat()) >>> 16));
        }
        return new SafetensorsWriter.Tensor("BF16", tensor.shape(), target.flip());
    }
}
