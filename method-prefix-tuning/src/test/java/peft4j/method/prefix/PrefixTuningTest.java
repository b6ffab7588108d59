package peft4j.method.prefix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import peft4j.api.Adapter;
import peft4j.api.AttachContext;
import peft4j.api.BackboneSpec;
import peft4j.api.EncoderOutput;
import peft4j.api.ForwardHooks;
import peft4j.api.NamedTensor;
import peft4j.api.TaskContext;
import peft4j.api.TokenBatch;
import peft4j.api.UserError;
import peft4j.backbone.Engines;
import peft4j.backbone.bert.BertConfig;
import peft4j.backbone.bert.BertMaskedLm;
import peft4j.backbone.bert.BertWeights;
import peft4j.backbone.bert.TinyBert;

/** Prefix tuning on a tiny random BERT: what the prefixes do inside attention, what trains, what it counts. */
class PrefixTuningTest {

    private static final List<String> SENTENCE = List.of("the", "cat", "sat", "on", "the", "mat", ".");

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = Engines.newManager("pytorch", "cpu");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private Adapter attach(BertMaskedLm bert, PrefixTuningConfig config) {
        return new PrefixTuning().attach(bert, config, new AttachContext(manager, 7, TaskContext.NONE));
    }

    private static PrefixTuningConfig plain(int length) {
        return new PrefixTuningConfig(length, null, null, null, null, null);
    }

    @Test
    void countsAreExactOnBertBaseAndFollowTheLayout() {
        BackboneSpec bertBase = BertConfig.of(30522, 768, 12, 12, 3072, 512).spec();
        PrefixTuning method = new PrefixTuning();
        assertThat(method.tunableParameterCount(bertBase, method.defaultConfig())).isEqualTo(368_640L)
                .isEqualTo(12L * 2 * 20 * 768);
        // Embedding(20, 768) + Linear(768, 768) + Linear(768, 12·2·768), PEFT's prefix_projection default.
        long reparameterised = 20L * 768 + (768L * 768 + 768) + (768L * 18_432 + 18_432);
        assertThat(reparameterised).isEqualTo(14_780_160L);
        assertThat(method.tunableParameterCount(bertBase, new PrefixTuningConfig(20, true, null, null, null, null)))
                .isEqualTo(reparameterised);
        assertThat(method.tunableParameterCount(bertBase, new PrefixTuningConfig(20, true, 512, null, null, null)))
                .isEqualTo(20L * 768 + (768L * 512 + 512) + (512L * 18_432 + 18_432));

        // An encoder-decoder (t5-small's shape): both stacks by default, the decoder only with peft_compat.
        BackboneSpec t5Small = new BackboneSpec("t5", 32128, 512, 6, 6, 8, 64, 512, 60_506_624L);
        assertThat(method.tunableParameterCount(t5Small, plain(20))).isEqualTo(20L * (6 + 6) * 2 * 512);
        assertThat(method.tunableParameterCount(t5Small, new PrefixTuningConfig(20, null, null, null, false, null)))
                .isEqualTo(20L * 6 * 2 * 512);
        assertThat(method.tunableParameterCount(t5Small, new PrefixTuningConfig(20, null, null, null, null, true)))
                .isEqualTo(20L * 6 * 2 * 512);
    }

    @Test
    void theAdapterTrainsExactlyWhatItCounts() {
        try (BertMaskedLm bert = TinyModels.bert(manager, 2, DataType.FLOAT32)) {
            for (PrefixTuningConfig config : List.of(plain(5), new PrefixTuningConfig(5, true, 8, null, null, null))) {
                try (Adapter adapter = attach(bert, config)) {
                    long sum = adapter.trainableTensors().stream().mapToLong(t -> t.array().size()).sum();
                    assertThat(sum).isEqualTo(new PrefixTuning().tunableParameterCount(bert.spec(), config));
                }
            }
        }
    }

    /**
     * Self-consistency: give every layer, as its prefix, the keys and values that this very sentence produces in that
     * layer. Each query then sees every key twice, with the same value; softmax over the doubled scores gives each
     * copy half the weight, so attention and hence every hidden state are unchanged. This fixes the layout (slot 2l =
     * key and 2l+1 = value of layer l, head h at columns h·headSize...) without trusting the code under test.
     */
    @Test
    void prefixesMadeOfTheSentencesOwnKeysAndValuesLeaveTheOutputUnchanged() {
        try (BertMaskedLm bert = TinyModels.bert(manager, 2, DataType.FLOAT32);
                BertMaskedLm firstLayer = TinyModels.bert(manager, 1, DataType.FLOAT32)) {
            TokenBatch batch = TinyModels.batch(manager, List.of(SENTENCE));
            NDArray h0 = embeddings(bert, batch.inputIds().get(0));
            NDArray h1 = firstLayer.encode(batch, ForwardHooks.NONE).hiddenStates().get(0);
            NDArray table = NDArrays.concat(new NDList(project(bert, h0, 0, "key"), project(bert, h0, 0, "value"),
                    project(bert, h1, 1, "key"), project(bert, h1, 1, "value")), 1);
            int length = (int) batch.length();
            try (Adapter adapter = attach(bert, plain(length))) {
                adapter.trainableTensors().get(0).array().set(table.toFloatArray());
                float[] plainOut = bert.encode(batch, ForwardHooks.NONE).hiddenStates().toFloatArray();
                float[] withPrefix = bert.encode(batch, adapter.hooks()).hiddenStates().toFloatArray();
                assertThat(maxAbsDiff(withPrefix, plainOut)).isLessThan(2e-5f);

                // The order of prefix rows does not matter (attention is a set operation over keys)...
                adapter.trainableTensors().get(0).array().set(table.flip(0).toFloatArray());
                float[] reordered = bert.encode(batch, adapter.hooks()).hiddenStates().toFloatArray();
                assertThat(maxAbsDiff(reordered, plainOut)).isLessThan(2e-5f);
                // ...but other keys and values do change the output.
                adapter.trainableTensors().get(0).array().set(table.flip(1).toFloatArray());
                float[] other = bert.encode(batch, adapter.hooks()).hiddenStates().toFloatArray();
                assertThat(maxAbsDiff(other, plainOut)).isGreaterThan(1e-2f);
            }
        }
    }

    /** LayerNorm(word + position + segment 0), the input of layer 0. */
    private static NDArray embeddings(BertMaskedLm bert, NDArray ids) {
        var w = bert.weights();
        long length = ids.getShape().get(0);
        NDArray sum = BertMaskedLm.selectRows(w.get(BertWeights.WORD_EMBEDDINGS), ids)
                .add(w.get(BertWeights.POSITION_EMBEDDINGS).get(new NDIndex(":{}", length)))
                .add(w.get(BertWeights.TOKEN_TYPE_EMBEDDINGS).get(0));
        return LayerNorm.layerNorm(sum, new Shape(TinyBert.CONFIG.hiddenSize()),
                w.get(BertWeights.EMBEDDINGS_NORM + ".weight"), w.get(BertWeights.EMBEDDINGS_NORM + ".bias"),
                (float) TinyBert.CONFIG.layerNormEps()).get(0);
    }

    /** {@code hidden · Wᵀ + b} of layer {@code layer}'s key or value projection: {@code [T, heads·headSize]}. */
    private static NDArray project(BertMaskedLm bert, NDArray hidden, int layer, String which) {
        String name = BertWeights.layer(layer) + "attention.self." + which;
        return Linear.linear(hidden, bert.weights().get(name + ".weight"), bert.weights().get(name + ".bias"))
                .singletonOrThrow();
    }

    @Test
    void paddedRowsSeeTheirOwnTokensAndThePrefixButNotThePadding() {
        try (BertMaskedLm bert = TinyModels.bert(manager, 2, DataType.FLOAT32);
                Adapter adapter = attach(bert, plain(3))) {
            List<String> longer = List.of("the", "dog", "is", "fun");
            List<String> shorter = List.of("bad", "movie");
            TokenBatch padded = TinyModels.batch(manager, List.of(longer, shorter));
            EncoderOutput together = bert.encode(padded, adapter.hooks());
            // No output rows for the prefix; the mask is the input's.
            assertThat(together.hiddenStates().getShape()).isEqualTo(new Shape(2, 6, 16));
            assertThat(together.attentionMask().toLongArray()).containsExactly(padded.attentionMask().toLongArray());
            float[] alone = bert.encode(TinyModels.batch(manager, List.of(shorter)), adapter.hooks()).hiddenStates()
                    .toFloatArray();
            float[] row = together.hiddenStates().get(new NDIndex("1, 0:4, :")).toFloatArray();
            assertThat(maxAbsDiff(row, alone)).isLessThan(1e-5f);
            float[] first = bert.encode(TinyModels.batch(manager, List.of(longer)), adapter.hooks()).hiddenStates()
                    .toFloatArray();
            assertThat(maxAbsDiff(together.hiddenStates().get(0).toFloatArray(), first)).isLessThan(1e-5f);
        }
    }

    @Test
    void gradientsReachEveryPrefixSlotAndNoBackboneWeight() {
        try (BertMaskedLm bert = TinyModels.bert(manager, 2, DataType.FLOAT32)) {
            for (PrefixTuningConfig config : List.of(plain(4), new PrefixTuningConfig(4, true, 8, null, null, null))) {
                try (Adapter adapter = attach(bert, config)) {
                    TokenBatch batch = TinyModels.batch(manager, List.of(SENTENCE, List.of("good")));
                    try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                        NDArray hidden = bert.encode(batch, adapter.hooks()).hiddenStates();
                        collector.backward(hidden.mul(weights(hidden.getShape(), 3)).sum());
                    }
                    for (NamedTensor t : adapter.trainableTensors()) {
                        assertThat(t.array().getGradient().abs().sum().getFloat()).as(t.name()).isGreaterThan(0f);
                    }
                    if (!config.reparameterize()) {
                        NDArray gradient = adapter.trainableTensors().get(0).array().getGradient();
                        for (int slot = 0; slot < 4; slot++) {
                            float slotSum = gradient.get(new NDIndex(":, {}:{}", slot * 16, slot * 16 + 16)).abs()
                                    .sum().getFloat();
                            assertThat(slotSum).as("slot " + slot).isGreaterThan(0f);
                        }
                    }
                    bert.weights().forEach((name, w) -> assertThat(w.hasGradient()).as(name).isFalse());
                }
            }
        }
    }

    /**
     * Autograd's dLoss/dTable against central differences, all in float64 (PyTorch runs TinyBert in double): with
     * step 1e-5 the truncation error is about 1e-10 · |f'''| and rounding about 1e-16 / 1e-5, so 1e-7 + 1e-5·|g|
     * leaves a wide margin while a wrong slot, head or sign would miss by orders of magnitude.
     */
    @Test
    void prefixGradientMatchesFiniteDifferencesInDoublePrecision() {
        try (BertMaskedLm bert = TinyModels.bert(manager, 2, DataType.FLOAT64)) {
            PrefixLayout layout = PrefixLayout.of(bert.spec(), plain(3));
            TokenBatch batch = TinyModels.batch(manager, List.of(SENTENCE, List.of("very", "boring")));
            Random random = new Random(17);
            double[] values = new double[3 * layout.width()];
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextGaussian();
            }
            NDArray probe = weights(new Shape(2, batch.length(), 16), 9).toType(DataType.FLOAT64, false);
            NDArray table = manager.create(values, new Shape(3, layout.width()));
            table.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                collector.backward(loss(bert, batch, layout, table, probe));
            }
            double[] gradient = table.getGradient().toDoubleArray();
            double epsilon = 1e-5;
            int checked = 0;
            double worst = 0;
            for (int i = 1; i < values.length; i += 8) {
                double[] up = values.clone();
                double[] down = values.clone();
                up[i] += epsilon;
                down[i] -= epsilon;
                double numeric = (loss(bert, batch, layout, manager.create(up, table.getShape()), probe).getDouble()
                        - loss(bert, batch, layout, manager.create(down, table.getShape()), probe).getDouble())
                        / (2 * epsilon);
                assertThat(Math.abs(numeric - gradient[i])).as("entry " + i + " (autograd " + gradient[i] + ")")
                        .isLessThanOrEqualTo(1e-7 + 1e-5 * Math.abs(gradient[i]));
                worst = Math.max(worst, Math.abs(numeric - gradient[i]));
                checked++;
            }
            System.out.printf("prefix gradient vs central differences (float64): %d entries, max |diff| %.2e%n",
                    checked, worst);
            assertThat(checked).isEqualTo(24);
            assertThat(java.util.Arrays.stream(gradient).map(Math::abs).max().orElseThrow()).isGreaterThan(1e-3);
        }
    }

    private static NDArray loss(BertMaskedLm bert, TokenBatch batch, PrefixLayout layout, NDArray table,
            NDArray probe) {
        ForwardHooks hooks = ForwardHooks.attentionPrefix(new PrefixKeyValues(layout, () -> table));
        NDArray hidden = bert.encode(batch, hooks).hiddenStates();
        return hidden.mul(probe).sum();
    }

    private NDArray weights(Shape shape, long seed) {
        Random random = new Random(seed);
        float[] values = new float[(int) shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return manager.create(values, shape);
    }

    @Test
    void reparameterisedAdaptersSaveTheMlpAndTheMaterialisedPrefixes() {
        try (BertMaskedLm bert = TinyModels.bert(manager, 2, DataType.FLOAT32);
                Adapter adapter = attach(bert, new PrefixTuningConfig(4, true, 8, null, null, null))) {
            List<NamedTensor> saved = adapter.savedTensors();
            assertThat(saved.stream().map(NamedTensor::name)).containsExactly("prefix_encoder.embedding.weight",
                    "prefix_encoder.transform.0.weight", "prefix_encoder.transform.0.bias",
                    "prefix_encoder.transform.2.weight", "prefix_encoder.transform.2.bias", "prompt_embeddings");
            NDArray materialised = saved.get(5).array();
            assertThat(materialised.getShape()).isEqualTo(new Shape(4, 2 * 2 * 16));
            var p = saved.stream().map(NamedTensor::array).toList();
            NDArray expected = p.get(0).matMul(p.get(1).transpose()).add(p.get(2)).tanh().matMul(p.get(3).transpose())
                    .add(p.get(4));
            assertThat(maxAbsDiff(materialised.toFloatArray(), expected.toFloatArray())).isLessThan(1e-5f);
            assertThat(adapter.peftConfig().orElseThrow().fields()).containsEntry("prefix_projection", true)
                    .containsEntry("encoder_hidden_size", 8).containsEntry("num_layers", 2);
        }
    }

    @Test
    void trainingDefaultsFollowTheVariant() {
        PrefixTuning method = new PrefixTuning();
        var json = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        assertThat(method.trainingDefaultsFor(json)).isEqualTo(new peft4j.api.TrainingDefaults("adamw", 1e-2));
        assertThat(method.trainingDefaultsFor(json.put("reparameterize", "true")))
                .isEqualTo(new peft4j.api.TrainingDefaults("adamw", 5e-5));
    }

    @Test
    void contradictorySettingsAreOneLineErrors() {
        assertThatThrownBy(() -> new PrefixTuningConfig(20, true, null, true, null, null))
                .isInstanceOf(UserError.class).hasMessageContaining("deep_prompt");
        assertThatThrownBy(() -> new PrefixTuningConfig(0, null, null, null, null, null))
                .isInstanceOf(UserError.class).hasMessageContaining("between 1 and");
        assertThatThrownBy(() -> new PrefixTuningConfig(20, null, 64, null, null, null))
                .isInstanceOf(UserError.class).hasMessageContaining("reparameterize");
        assertThat(new PrefixTuningConfig(20, null, null, true, null, null).reparameterize()).isFalse();
    }

    static float maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
