package peft4j.method.prefix;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import peft4j.api.TokenBatch;
import peft4j.backbone.bert.BertConfig;
import peft4j.backbone.bert.BertMaskedLm;
import peft4j.backbone.bert.TinyBert;

/** TinyBert built in memory (any float type, any number of its layers) and token batches from its vocabulary. */
final class TinyModels {

    private TinyModels() {
    }

    /** TinyBert with seed 5, its first {@code layers} layers, in {@code type}. */
    static BertMaskedLm bert(NDManager manager, int layers, DataType type) {
        Map<String, long[]> shapes = new HashMap<>();
        Map<String, float[]> values = TinyBert.weights(5, shapes);
        BertConfig full = TinyBert.CONFIG;
        BertConfig config = BertConfig.of(full.vocabSize(), full.hiddenSize(), layers, full.attentionHeads(),
                full.intermediateSize(), full.maxPositions());
        Map<String, NDArray> weights = new LinkedHashMap<>();
        for (String name : peft4j.backbone.bert.BertWeights.maskedLmNames(layers)) {
            weights.put(name, manager.create(values.get(name), new Shape(shapes.get(name))).toType(type, false));
        }
        return BertMaskedLm.of(config, manager, weights);
    }

    /** Right-padded rows of TinyBert words, each wrapped in [CLS] ... [SEP]. */
    static TokenBatch batch(NDManager manager, List<List<String>> rows) {
        int length = rows.stream().mapToInt(List::size).max().orElseThrow() + 2;
        long[] ids = new long[rows.size() * length];
        long[] mask = new long[ids.length];
        for (int r = 0; r < rows.size(); r++) {
            List<String> words = rows.get(r);
            for (int i = 0; i < words.size() + 2; i++) {
                String token = i == 0 ? "[CLS]" : i == words.size() + 1 ? "[SEP]" : words.get(i - 1);
                ids[r * length + i] = TinyBert.VOCAB.indexOf(token);
                mask[r * length + i] = 1;
            }
        }
        Shape shape = new Shape(rows.size(), length);
        return new TokenBatch(manager.create(ids, shape), manager.create(mask, shape),
                manager.zeros(shape, DataType.INT64));
    }
}
