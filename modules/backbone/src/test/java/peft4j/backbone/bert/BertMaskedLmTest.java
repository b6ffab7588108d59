package peft4j.backbone.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import peft4j.api.EmbeddedInput;
import peft4j.api.ForwardHooks;
import peft4j.api.TokenBatch;
import peft4j.api.UserError;
import peft4j.backbone.Engines;
import peft4j.api.io.SafetensorsWriter;

/** Behaviour of the BERT forward pass on a tiny random model (exactness against HF is the golden test's job). */
class BertMaskedLmTest {

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

    private Path writeTinyModel(Map<String, float[]> weights, Map<String, long[]> shapes) throws Exception {
        Map<String, SafetensorsWriter.Tensor> tensors = new LinkedHashMap<>();
        weights.forEach((name, values) -> tensors.put(name, SafetensorsWriter.Tensor.ofFloats(values, shapes.get(name))));
        Path dir = Files.createDirectories(tmp.resolve("tiny"));
        SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors, Map.of());
        TinyBert.CONFIG.write(dir);
        return dir;
    }

    private BertMaskedLm tinyModel() throws Exception {
        Map<String, long[]> shapes = new HashMap<>();
        return BertMaskedLm.load(writeTinyModel(TinyBert.weights(1, shapes), shapes), manager);
    }

    private TokenBatch batch(long[][] rows) {
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
        return new TokenBatch(manager.create(ids, shape), manager.create(mask, shape),
                manager.zeros(shape, ai.djl.ndarray.types.DataType.INT64));
    }

    @Test
    void paddingDoesNotChangeRealTokens() throws Exception {
        try (BertMaskedLm model = tinyModel()) {
            long[] shortRow = {2, 5, 7, 4, 3};
            NDArray alone = model.encode(batch(new long[][] {shortRow}), ForwardHooks.NONE).hiddenStates();
            NDArray padded = model.encode(batch(new long[][] {shortRow, {2, 6, 8, 9, 10, 11, 12, 3}}),
                    ForwardHooks.NONE).hiddenStates();
            NDArray firstRow = padded.get(new NDIndex("0:1, 0:5, :"));
            assertThat(firstRow.allClose(alone, 1e-5, 1e-5, false)).isTrue();
        }
    }

    @Test
    void anInputHookCanInsertRowsAndTheMaskAndPositionsFollow() throws Exception {
        try (BertMaskedLm model = tinyModel()) {
            TokenBatch input = batch(new long[][] {{2, 5, 7, 3}});
            // Insert the [CLS] embedding again after [CLS]: same as feeding ids [CLS] [CLS] the cat [SEP].
            ForwardHooks duplicateCls = ForwardHooks.inputEmbedding(in -> {
                NDArray words = in.wordEmbeddings();
                NDArray cls = words.get(new NDIndex(":, 0:1, :"));
                NDArray longer = cls.concat(cls, 1).concat(words.get(new NDIndex(":, 1:, :")), 1);
                NDArray types = in.tokenTypeIds().get(new NDIndex(":, 0:1")).concat(in.tokenTypeIds(), 1);
                NDArray mask = in.attentionMask().get(new NDIndex(":, 0:1")).concat(in.attentionMask(), 1);
                return new EmbeddedInput(longer, types, mask, (row, p) -> p == 0 ? 0 : p + 1);
            });
            var hooked = model.encode(input, duplicateCls);
            NDArray direct = model.encode(batch(new long[][] {{2, 2, 5, 7, 3}}), ForwardHooks.NONE).hiddenStates();
            assertThat(hooked.hiddenStates().allClose(direct, 1e-5, 1e-5, false)).isTrue();
            assertThat(hooked.positions().outputPosition(0, 2)).isEqualTo(3);
            assertThat(hooked.attentionMask().getShape()).isEqualTo(new Shape(1, 5));
        }
    }

    @Test
    void specCountsEveryWeightOnce() throws Exception {
        try (BertMaskedLm model = tinyModel()) {
            long loaded = model.weights().values().stream().mapToLong(NDArray::size).sum();
            assertThat(model.spec().parameterCount()).isEqualTo(loaded);
        }
        assertThat(BertConfig.of(30522, 768, 12, 12, 3072, 512).spec().parameterCount()).isEqualTo(109_514_298L);
    }

    @Test
    void tooLongInputIsAClearError() throws Exception {
        try (BertMaskedLm model = tinyModel()) {
            long[] row = new long[TinyBert.CONFIG.maxPositions() + 1];
            assertThatThrownBy(() -> model.encode(batch(new long[][] {row}), ForwardHooks.NONE))
                    .isInstanceOf(UserError.class).hasMessageContaining("accepts at most 24");
        }
    }

    @Test
    void missingTensorsAreListed() throws Exception {
        Map<String, long[]> shapes = new HashMap<>();
        Map<String, float[]> weights = TinyBert.weights(1, shapes);
        weights.remove("bert.encoder.layer.1.output.dense.weight");
        weights.remove(BertWeights.HEAD_BIAS);
        Path dir = writeTinyModel(weights, shapes);
        assertThatThrownBy(() -> BertMaskedLm.load(dir, manager)).isInstanceOf(UserError.class)
                .hasMessageContaining("lacks 2 tensor(s)")
                .hasMessageContaining("bert.encoder.layer.1.output.dense.weight")
                .hasMessageContaining("cls.predictions.bias");
    }

    @Test
    void acceptsOldGammaBetaNamesAndAPrefixlessModel() throws Exception {
        Map<String, long[]> shapes = new HashMap<>();
        Map<String, float[]> weights = TinyBert.weights(1, shapes);
        Map<String, float[]> renamed = new LinkedHashMap<>();
        Map<String, long[]> renamedShapes = new HashMap<>();
        weights.forEach((name, values) -> {
            String old = name.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta")
                    .replaceFirst("^bert\\.", "");
            renamed.put(old, values);
            renamedShapes.put(old, shapes.get(name));
        });
        try (BertMaskedLm model = BertMaskedLm.load(writeTinyModel(renamed, renamedShapes), manager)) {
            assertThat(model.weights()).containsKey("bert.embeddings.LayerNorm.weight");
        }
    }

    @Test
    void aShapeThatContradictsConfigIsAClearError() throws Exception {
        Map<String, long[]> shapes = new HashMap<>();
        Map<String, float[]> weights = TinyBert.weights(1, shapes);
        shapes.put(BertWeights.HEAD_BIAS, new long[] {TinyBert.CONFIG.vocabSize() - 1});
        weights.put(BertWeights.HEAD_BIAS, new float[TinyBert.CONFIG.vocabSize() - 1]);
        Path dir = writeTinyModel(weights, shapes);
        assertThatThrownBy(() -> BertMaskedLm.load(dir, manager)).isInstanceOf(UserError.class)
                .hasMessageContaining("cls.predictions.bias").hasMessageContaining("config.json implies");
    }

    @Test
    void aTruncatedCheckpointIsAClearError() throws Exception {
        Map<String, long[]> shapes = new HashMap<>();
        Path dir = writeTinyModel(TinyBert.weights(1, shapes), shapes);
        try (FileChannel channel = FileChannel.open(dir.resolve("model.safetensors"), StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() / 2);
        }
        assertThatThrownBy(() -> BertMaskedLm.load(dir, manager)).isInstanceOf(UserError.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void unknownActivationAndMissingConfigAreClearErrors() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("bad"));
        assertThatThrownBy(() -> BertConfig.read(dir)).isInstanceOf(UserError.class)
                .hasMessageContaining("no config.json");
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"bert\", \"hidden_act\": \"swish\"}");
        assertThatThrownBy(() -> BertConfig.read(dir)).isInstanceOf(UserError.class)
                .hasMessageContaining("hidden_act 'swish'");

    }
}
