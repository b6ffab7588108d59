package peft4j.backbone.gpt2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import peft4j.api.AttentionStack;
import peft4j.api.EmbeddedInput;
import peft4j.api.ForwardHooks;
import peft4j.api.KeyValuePrefix;
import peft4j.api.TokenBatch;
import peft4j.api.UserError;
import peft4j.api.io.Safetensors;
import peft4j.api.io.SafetensorsWriter;
import peft4j.backbone.Engines;
import peft4j.backbone.Golden;

/**
 * Behaviour of the GPT-2 forward pass on the tiny golden model: the hook points (prefix and prompt rows) checked
 * against running the same tokens as plain input, padding, loading variants and errors.
 */
class Gpt2ModelTest {

    private static final long[] PROMPT = {127, 17, 45};
    private static final long[] TEXT = {99, 3, 64, 8};

    @TempDir
    Path tmp;

    private NDManager manager;
    private Gpt2Model model;

    @BeforeEach
    void open() {
        open("pytorch");
    }

    /** Reopens the model on {@code engine} (the hook tests run on both). */
    private void open(String engine) {
        if (manager != null) {
            close();
        }
        manager = Engines.newManager(engine, "cpu");
        model = Gpt2Model.load(Golden.dir("gpt2-tiny"), manager);
    }

    @AfterEach
    void close() {
        model.close();
        manager.close();
        manager = null;
    }

    private TokenBatch batch(long[]... rows) {
        int length = 0;
        for (long[] r : rows) {
            length = Math.max(length, r.length);
        }
        long[] ids = new long[rows.length * length];
        long[] mask = new long[ids.length];
        for (int r = 0; r < rows.length; r++) {
            for (int c = 0; c < rows[r].length; c++) {
                ids[r * length + c] = rows[r][c];
                mask[r * length + c] = 1;
            }
        }
        Shape shape = new Shape(rows.length, length);
        return new TokenBatch(manager.create(ids, shape), manager.create(mask, shape), manager.zeros(shape, DataType.INT64));
    }

    private static long[] concat(long[] a, long[] b) {
        long[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void assertClose(NDArray actual, NDArray expected) {
        assertThat(actual.getShape()).isEqualTo(expected.getShape());
        float diff = actual.sub(expected).abs().max().getFloat();
        assertThat(diff).as("max |a-b|").isLessThan(1e-5f);
    }

    /** Key and value of the first {@code p} tokens in every layer, recomputed from a plain run's hidden states. */
    private List<KeyValuePrefix> keysAndValuesOfFirstTokens(Gpt2Model.Forward run, int p) {
        Gpt2Config config = model.config();
        int h = config.hiddenSize();
        List<KeyValuePrefix> prefixes = new ArrayList<>();
        for (int i = 0; i < config.layers(); i++) {
            String block = Gpt2Weights.block(i);
            NDArray input = run.hiddenStates().get(i).get(new NDIndex(":, 0:{}, :", p));
            NDArray normed = LayerNorm.layerNorm(input, new Shape(h), model.weights().get(block + "ln_1.weight"),
                    model.weights().get(block + "ln_1.bias"), (float) config.layerNormEps()).get(0);
            NDArray qkv = normed.matMul(model.weights().get(block + "attn.c_attn.weight"))
                    .add(model.weights().get(block + "attn.c_attn.bias"));
            UnaryOperator<NDArray> heads = x -> x.reshape(input.getShape().get(0), p, config.attentionHeads(),
                    config.headSize()).transpose(0, 2, 1, 3);
            prefixes.add(new KeyValuePrefix(heads.apply(qkv.get(new NDIndex(":, :, {}:{}", h, 2 * h))),
                    heads.apply(qkv.get(new NDIndex(":, :, {}:", 2 * h)))));
        }
        return prefixes;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pytorch", "mxnet"})
    void aPrefixOfRealTokensKeysAndValuesEqualsFeedingThoseTokensFirst(String engine) {
        open(engine);
        Gpt2Model.Forward whole = model.forward(batch(concat(PROMPT, TEXT)), ForwardHooks.NONE);
        List<KeyValuePrefix> prefixes = keysAndValuesOfFirstTokens(whole, PROMPT.length);
        List<String> asked = new ArrayList<>();
        Gpt2Model.Forward prefixed = model.forward(batch(TEXT), ForwardHooks.attentionPrefix((stack, layer, size) -> {
            asked.add(stack + " " + layer + " " + size);
            return prefixes.get(layer);
        }));
        assertThat(asked).containsExactly("INPUT 0 1", "INPUT 1 1");
        NDIndex textRows = new NDIndex(":, {}:, :", PROMPT.length);
        for (int i = 0; i < whole.hiddenStates().size(); i++) {
            assertClose(prefixed.hiddenStates().get(i), whole.hiddenStates().get(i).get(textRows));
        }
        assertThat(prefixed.output().attentionMask().getShape()).isEqualTo(new Shape(1, TEXT.length));

        NDArray plain = model.encode(batch(TEXT), ForwardHooks.NONE).hiddenStates();
        assertThat(plain.sub(prefixed.output().hiddenStates()).abs().max().getFloat())
                .as("the prefix changes the output").isGreaterThan(1e-2f);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pytorch", "mxnet"})
    void aPrefixIsVisibleToPaddedRowsAndTokensStayCausal(String engine) {
        open(engine);
        Gpt2Model.Forward whole = model.forward(batch(concat(PROMPT, TEXT), concat(PROMPT, new long[] {5, 6})),
                ForwardHooks.NONE);
        List<KeyValuePrefix> prefixes = keysAndValuesOfFirstTokens(whole, PROMPT.length);
        NDArray prefixed = model.encode(batch(TEXT, new long[] {5, 6}),
                ForwardHooks.attentionPrefix((stack, layer, size) -> prefixes.get(layer))).hiddenStates();
        // Row 1 is padded after two tokens; its real rows match running prompt + those two tokens.
        assertClose(prefixed.get(new NDIndex("1:2, 0:2, :")),
                whole.output().hiddenStates().get(new NDIndex("1:2, {}:{}, :", PROMPT.length, PROMPT.length + 2)));
        assertClose(prefixed.get(new NDIndex("0:1")), whole.output().hiddenStates().get(
                new NDIndex("0:1, {}:, :", PROMPT.length)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pytorch", "mxnet"})
    void promptRowsOfRealTokenEmbeddingsEqualFeedingThoseTokens(String engine) {
        open(engine);
        NDArray whole = model.encode(batch(concat(PROMPT, TEXT)), ForwardHooks.NONE).hiddenStates();
        ForwardHooks prepend = ForwardHooks.inputEmbedding(in -> {
            NDArray prompt = model.inputEmbeddings().get(manager.create(PROMPT)).expandDims(0);
            NDArray ones = manager.ones(new Shape(1, PROMPT.length), DataType.INT64);
            return new EmbeddedInput(prompt.concat(in.wordEmbeddings(), 1), ones.concat(in.tokenTypeIds(), 1),
                    ones.concat(in.attentionMask(), 1), (row, position) -> position + PROMPT.length);
        });
        var hooked = model.encode(batch(TEXT), prepend);
        assertClose(hooked.hiddenStates(), whole);
        assertThat(hooked.positions().outputPosition(0, 1)).isEqualTo(1 + PROMPT.length);
        assertThat(hooked.attentionMask().getShape()).isEqualTo(new Shape(1, PROMPT.length + TEXT.length));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pytorch", "mxnet"})
    void gradientsReachPromptRowsAndPrefixesThroughPaddedBatches(String engine) {
        open(engine);
        int p = 2;
        NDArray prompt = manager.randomNormal(new Shape(p, 64)).mul(0.1f);
        NDArray keys = manager.randomNormal(new Shape(1, 4, 3, 16)).mul(0.1f);
        prompt.setRequiresGradient(true);
        keys.setRequiresGradient(true);
        TokenBatch input = batch(TEXT, new long[] {5, 6});
        ForwardHooks hooks = new ForwardHooks(Optional.of(in -> {
            NDArray rows = prompt.expandDims(0).repeat(0, 2);
            NDArray ones = manager.ones(new Shape(2, p), DataType.INT64);
            return new EmbeddedInput(rows.concat(in.wordEmbeddings(), 1), ones.concat(in.tokenTypeIds(), 1),
                    ones.concat(in.attentionMask(), 1), (row, position) -> position + p);
        }), Optional.of((stack, layer, size) -> new KeyValuePrefix(keys.repeat(0, size),
                keys.repeat(0, size).mul(-1f))));
        long[] labels = {-100, -100, 99, 3, 64, 8, -100, -100, 5, 6, -100, -100};
        try (var collector = manager.getEngine().newGradientCollector()) {
            NDArray logits = model.lmLogits(model.encode(input, hooks).hiddenStates());
            NDArray loss = CausalLmLoss.of(logits, manager.create(labels, new Shape(2, 6)));
            assertThat(Float.isFinite(loss.getFloat())).isTrue();
            collector.backward(loss);
        }
        for (NDArray gradient : List.of(prompt.getGradient(), keys.getGradient())) {
            float[] values = gradient.toFloatArray();
            float max = 0;
            for (float v : values) {
                assertThat(Float.isFinite(v)).isTrue();
                max = Math.max(max, Math.abs(v));
            }
            assertThat(max).isGreaterThan(0f);
        }
    }

    @Test
    void rightPaddingDoesNotChangeRealTokens() {
        NDArray alone = model.encode(batch(TEXT), ForwardHooks.NONE).hiddenStates();
        NDArray padded = model.encode(batch(concat(PROMPT, TEXT), TEXT), ForwardHooks.NONE).hiddenStates();
        assertClose(padded.get(new NDIndex("1:2, 0:{}, :", TEXT.length)), alone);
    }

    @Test
    void lossIgnoresMinus100AndAveragesTheShiftedTargets() {
        TokenBatch input = batch(concat(PROMPT, TEXT));
        NDArray logits = model.lmLogits(model.encode(input, ForwardHooks.NONE).hiddenStates());
        long[] labels = concat(PROMPT, TEXT);
        labels[2] = CausalLmLoss.IGNORE;
        float loss = CausalLmLoss.of(logits, manager.create(labels, new Shape(1, labels.length))).getFloat();
        // By hand: -log softmax(logits[t])[labels[t+1]] averaged over the targets that are not ignored.
        float[][] rows = new float[labels.length][];
        for (int t = 0; t < labels.length; t++) {
            rows[t] = logits.get(new NDIndex("0, {}, :", t)).toFloatArray();
        }
        double sum = 0;
        int count = 0;
        for (int t = 0; t + 1 < labels.length; t++) {
            if (labels[t + 1] == CausalLmLoss.IGNORE) {
                continue;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (float v : rows[t]) {
                max = Math.max(max, v);
            }
            double z = 0;
            for (float v : rows[t]) {
                z += Math.exp(v - max);
            }
            sum += -(rows[t][(int) labels[t + 1]] - max - Math.log(z));
            count++;
        }
        assertThat(count).isEqualTo(labels.length - 2);
        assertThat((double) loss).isCloseTo(sum / count, org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void specCountsEveryWeightOnceAndMatchesGpt2Small() {
        long loaded = model.weights().values().stream().mapToLong(NDArray::size).sum();
        assertThat(model.spec().parameterCount()).isEqualTo(loaded);
        var spec = model.spec();
        assertThat(List.of(spec.architecture(), spec.layers(), spec.decoderLayers(), spec.attentionHeads(),
                spec.headSize(), spec.maxPositions())).containsExactly("gpt2", 2, 0, 4, 16, 64);
        Gpt2Config small = new Gpt2Config("gpt2", 0, 0, 0, 0, 0, null, null, 0, null, null, null);
        assertThat(small.spec().parameterCount()).isEqualTo(124_439_808L);
    }

    @Test
    void tooLongInputIsAClearError() {
        long[] row = new long[model.config().maxPositions() - 1];
        ForwardHooks twoRowPrefix = ForwardHooks.attentionPrefix((stack, layer, size) -> new KeyValuePrefix(
                manager.zeros(new Shape(size, 4, 2, 16)), manager.zeros(new Shape(size, 4, 2, 16))));
        assertThatThrownBy(() -> model.encode(batch(row), twoRowPrefix)).isInstanceOf(UserError.class)
                .hasMessageContaining("65 positions").hasMessageContaining("at most 64");
    }

    /** The golden checkpoint's tensors, renamed/filtered, written to a new directory with the golden config. */
    private Path rewrittenModel(String name, Map<String, String> renames) throws Exception {
        Path golden = Golden.dir("gpt2-tiny");
        Safetensors source = Safetensors.open(golden.resolve("model.safetensors"));
        Map<String, SafetensorsWriter.Tensor> tensors = new LinkedHashMap<>();
        for (var info : source.tensors().values()) {
            String target = renames.getOrDefault(info.name(), info.name().replaceFirst("^transformer\\.", ""));
            if (!target.isEmpty()) {
                tensors.put(target, SafetensorsWriter.Tensor.ofFloats(source.floats(info.name()), info.shape()));
            }
        }
        Path dir = Files.createDirectories(tmp.resolve(name));
        SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors, Map.of());
        Files.copy(golden.resolve("config.json"), dir.resolve("config.json"));
        return dir;
    }

    @Test
    void acceptsBareGpt2ModelNamesAndGivesTheSameOutput() throws Exception {
        Path dir = rewrittenModel("bare", Map.of());
        try (Gpt2Model bare = Gpt2Model.load(dir, manager)) {
            assertThat(bare.weights()).containsKey("transformer.h.1.mlp.c_fc.weight");
            assertClose(bare.encode(batch(TEXT), ForwardHooks.NONE).hiddenStates(),
                    model.encode(batch(TEXT), ForwardHooks.NONE).hiddenStates());
        }
    }

    @Test
    void readsAShardedCheckpoint() throws Exception {
        Path dir = rewrittenModel("sharded", Map.of());
        Safetensors whole = Safetensors.open(dir.resolve("model.safetensors"));
        Map<String, SafetensorsWriter.Tensor> first = new LinkedHashMap<>();
        Map<String, SafetensorsWriter.Tensor> second = new LinkedHashMap<>();
        StringBuilder index = new StringBuilder("{\"metadata\": {}, \"weight_map\": {");
        for (var info : whole.tensors().values()) {
            boolean early = info.name().startsWith("wte") || info.name().startsWith("h.0.");
            (early ? first : second).put(info.name(), SafetensorsWriter.Tensor.ofFloats(whole.floats(info.name()),
                    info.shape()));
            index.append(first.isEmpty() && second.size() == 1 ? "" : ", ").append('"').append(info.name())
                    .append("\": \"").append(early ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors")
                    .append('"');
        }
        index.append("}}");
        SafetensorsWriter.write(dir.resolve("model-00001-of-00002.safetensors"), first, Map.of());
        SafetensorsWriter.write(dir.resolve("model-00002-of-00002.safetensors"), second, Map.of());
        Files.writeString(dir.resolve("model.safetensors.index.json"), index.toString().replace("{, ", "{"));
        Files.delete(dir.resolve("model.safetensors"));
        try (Gpt2Model sharded = Gpt2Model.load(dir, manager)) {
            assertClose(sharded.encode(batch(TEXT), ForwardHooks.NONE).hiddenStates(),
                    model.encode(batch(TEXT), ForwardHooks.NONE).hiddenStates());
        }
    }

    @Test
    void missingTensorsAreListed() throws Exception {
        Path dir = rewrittenModel("missing", Map.of("transformer.h.1.mlp.c_proj.weight", "",
                "transformer.ln_f.bias", ""));
        assertThatThrownBy(() -> Gpt2Model.load(dir, manager)).isInstanceOf(UserError.class)
                .hasMessageContaining("lacks 2 tensor(s)").hasMessageContaining("transformer.h.1.mlp.c_proj.weight")
                .hasMessageContaining("transformer.ln_f.bias");
    }

    @Test
    void anUntiedConfigNeedsTheLmHead() throws Exception {
        Path dir = rewrittenModel("untied", Map.of());
        String config = Files.readString(dir.resolve("config.json"));
        Files.writeString(dir.resolve("config.json"), config.replace("\"vocab_size\"", "\"tie_word_embeddings\": false, \"vocab_size\""));
        assertThatThrownBy(() -> Gpt2Model.load(dir, manager)).isInstanceOf(UserError.class)
                .hasMessageContaining("lm_head.weight").hasMessageContaining("tie_word_embeddings false");
    }

    @Test
    void aShapeThatContradictsConfigIsAClearError() throws Exception {
        Path dir = rewrittenModel("shape", Map.of());
        String config = Files.readString(dir.resolve("config.json"));
        Files.writeString(dir.resolve("config.json"), config.replace("\"n_inner\": null", "\"n_inner\": 128"));
        assertThatThrownBy(() -> Gpt2Model.load(dir, manager)).isInstanceOf(UserError.class)
                .hasMessageContaining("transformer.h.0.mlp.c_fc.weight").hasMessageContaining("config.json implies");
    }

    @Test
    void aPytorchPickleAloneAsksForConversion() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("pickle"));
        Files.copy(Golden.dir("gpt2-tiny").resolve("config.json"), dir.resolve("config.json"));
        Files.write(dir.resolve("pytorch_model.bin"), new byte[16]);
        assertThatThrownBy(() -> Gpt2Model.load(dir, manager)).isInstanceOf(UserError.class)
                .hasMessageContaining("only pytorch_model.bin").hasMessageContaining("safe_serialization=True")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void otherModelTypesAndActivationsAreClearErrors() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("bert"));
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"bert\"}");
        assertThatThrownBy(() -> Gpt2Config.read(dir)).isInstanceOf(UserError.class)
                .hasMessageContaining("model_type 'bert'");
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"gpt2\", \"activation_function\": \"swish\"}");
        assertThatThrownBy(() -> Gpt2Config.read(dir)).isInstanceOf(UserError.class)
                .hasMessageContaining("activation_function 'swish'");
    }

    @Test
    void theHooksAskOnlyForTheInputStack() {
        List<AttentionStack> stacks = new ArrayList<>();
        model.encode(batch(TEXT), ForwardHooks.attentionPrefix((stack, layer, size) -> {
            stacks.add(stack);
            return null;
        }));
        assertThat(stacks).containsOnly(AttentionStack.INPUT).hasSize(2);
    }
}
