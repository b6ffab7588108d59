package peft4j.backbone.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import peft4j.api.AttentionStack;
import peft4j.api.Scalars;
import peft4j.api.EmbeddedInput;
import peft4j.api.EncoderOutput;
import peft4j.api.ForwardHooks;
import peft4j.api.KeyValuePrefix;
import peft4j.api.PositionMap;
import peft4j.api.TokenBatch;
import peft4j.api.UserError;
import peft4j.backbone.StateDictBackbone;
import peft4j.backbone.SafetensorsCheckpoint;

/**
 * BERT with its masked-language-model head, as Hugging Face's {@code BertForMaskedLM} computes it (Devlin et al. 2019):
 *
 * <pre>
 *   h0 = LayerNorm(word[ids] + position[0..T) + token_type[segments])
 *   h  = LayerNorm(h + Wo·Attention(h))            post-norm, scores / sqrt(head size), additive padding mask
 *   h  = LayerNorm(h + W2·gelu(W1·h))              gelu is the exact erf form
 *   logits = LayerNorm(gelu(Wt·h))·wordᵀ + bias     the decoder is tied to the word embeddings
 * </pre>
 *
 * Intermediate arrays are created in the managers of their inputs; callers wrap a forward pass in an
 * {@link ai.djl.ndarray.NDScope} (or a sub-manager) to free them.
 */
public final class BertMaskedLm extends StateDictBackbone {

    private final BertConfig config;

    private BertMaskedLm(BertConfig config, NDManager manager, Map<String, NDArray> weights) {
        super(config.spec(), manager, weights);
        this.config = config;
    }

    /**
     * Loads a Hugging Face BERT directory ({@code config.json} + {@code model.safetensors} or its shards) into a new sub-manager of
     * {@code parent}. Unused tensors (pooler, next-sentence head) are ignored; missing ones are listed in the error.
     */
    public static BertMaskedLm load(Path dir, NDManager parent) {
        BertConfig config = BertConfig.read(dir);
        SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(dir);
        Path file = checkpoint.location();
        List<String> missing = new ArrayList<>();
        Map<String, String> sources = new LinkedHashMap<>();
        for (String name : BertWeights.maskedLmNames(config.layers())) {
            BertWeights.aliases(name).stream().filter(checkpoint::contains).findFirst()
                    .ifPresentOrElse(found -> sources.put(name, found), () -> missing.add(name));
        }
        if (!missing.isEmpty()) {
            throw new UserError(file + " lacks " + missing.size() + " tensor(s) a BERT masked LM needs, first: "
                    + String.join(", ", missing.subList(0, Math.min(3, missing.size())))
                    + (missing.stream().anyMatch(n -> n.startsWith("cls.")) ? " (a checkpoint without MLM head?)" : ""));
        }
        NDManager weightsManager = parent.newSubManager();
        try {
            Map<String, NDArray> weights = new LinkedHashMap<>();
            sources.forEach((name, source) -> {
                NDArray array = checkpoint.toNDArray(source, weightsManager);
                array.setName(name);
                weights.put(name, array);
            });
            checkShapes(config, weights, file);
            return new BertMaskedLm(config, weightsManager, weights);
        } catch (RuntimeException e) {
            weightsManager.close();
            throw e;
        }
    }

    /** Builds a model around weights that already live in {@code manager} (tests, conversions). */
    public static BertMaskedLm of(BertConfig config, NDManager manager, Map<String, NDArray> weights) {
        checkShapes(config, weights, Path.of("(in memory)"));
        return new BertMaskedLm(config, manager, new LinkedHashMap<>(weights));
    }

    private static void checkShapes(BertConfig config, Map<String, NDArray> weights, Path file) {
        int h = config.hiddenSize();
        Map<String, Shape> expected = new LinkedHashMap<>();
        expected.put(BertWeights.WORD_EMBEDDINGS, new Shape(config.vocabSize(), h));
        expected.put(BertWeights.POSITION_EMBEDDINGS, new Shape(config.maxPositions(), h));
        expected.put(BertWeights.TOKEN_TYPE_EMBEDDINGS, new Shape(config.typeVocabSize(), h));
        expected.put(BertWeights.HEAD_BIAS, new Shape(config.vocabSize()));
        for (int i = 0; i < config.layers(); i++) {
            expected.put(BertWeights.layer(i) + "attention.self.query.weight", new Shape(h, h));
            expected.put(BertWeights.layer(i) + "intermediate.dense.weight", new Shape(config.intermediateSize(), h));
            expected.put(BertWeights.layer(i) + "output.dense.weight", new Shape(h, config.intermediateSize()));
        }
        expected.forEach((name, shape) -> {
            Shape actual = weights.get(name).getShape();
            if (!actual.equals(shape)) {
                throw new UserError(file + ": tensor '" + name + "' has shape " + actual + " but config.json implies "
                        + shape + " (config and weights from different models?)");
            }
        });
    }

    public BertConfig config() {
        return config;
    }

    @Override
    public NDArray inputEmbeddings() {
        return w(BertWeights.WORD_EMBEDDINGS);
    }

    @Override
    public EncoderOutput encode(TokenBatch batch, ForwardHooks hooks) {
        NDArray words = Embedding.embedding(batch.inputIds(), w(BertWeights.WORD_EMBEDDINGS), SparseFormat.DENSE).singletonOrThrow();
        EmbeddedInput input = new EmbeddedInput(words, batch.tokenTypeIds(), batch.attentionMask(),
                PositionMap.IDENTITY);
        if (hooks.inputEmbedding().isPresent()) {
            input = hooks.inputEmbedding().get().apply(input);
        }
        long length = input.wordEmbeddings().getShape().get(1);
        if (length > config.maxPositions()) {
            throw new UserError("the input has " + length + " positions (prompt included) but this model accepts at most "
                    + config.maxPositions() + "; shorten the text or the prompt");
        }
        NDArray hidden = input.wordEmbeddings()
                .add(w(BertWeights.POSITION_EMBEDDINGS).get(new NDIndex(":{}", length)))
                .add(Embedding.embedding(input.tokenTypeIds(), w(BertWeights.TOKEN_TYPE_EMBEDDINGS), SparseFormat.DENSE)
                        .singletonOrThrow());
        hidden = layerNorm(hidden, BertWeights.EMBEDDINGS_NORM);
        NDArray maskBias = additiveMask(input.attentionMask());
        long batchSize = hidden.getShape().get(0);
        for (int i = 0; i < config.layers(); i++) {
            int layer = i;
            KeyValuePrefix prefix = hooks.attentionPrefix().map(p -> p.prefix(AttentionStack.INPUT, layer, batchSize)).orElse(null);
            hidden = layer(i, hidden, maskBias, prefix);
        }
        return new EncoderOutput(hidden, input.attentionMask(), input.positions());
    }

    /** {@code (1 - mask) * float32.min}, shaped {@code [batch, 1, 1, length]} to broadcast over heads and queries. */
    private static NDArray additiveMask(NDArray attentionMask) {
        Shape shape = attentionMask.getShape();
        return attentionMask.toType(DataType.FLOAT32, false).neg().add(1f).mul(-Float.MAX_VALUE)
                .reshape(shape.get(0), 1, 1, shape.get(1));
    }

    private NDArray layer(int index, NDArray hidden, NDArray maskBias, KeyValuePrefix prefix) {
        String p = BertWeights.layer(index);
        NDArray attention = selfAttention(p + "attention.self.", hidden, maskBias, prefix);
        NDArray attended = layerNorm(linear(attention, p + "attention.output.dense").add(hidden),
                p + "attention.output.LayerNorm");
        NDArray intermediate = activation(linear(attended, p + "intermediate.dense"));
        return layerNorm(linear(intermediate, p + "output.dense").add(attended), p + "output.LayerNorm");
    }

    private NDArray selfAttention(String p, NDArray hidden, NDArray maskBias, KeyValuePrefix prefix) {
        Shape shape = hidden.getShape();
        long batch = shape.get(0);
        long length = shape.get(1);
        NDArray query = heads(linear(hidden, p + "query"), batch, length);
        NDArray key = heads(linear(hidden, p + "key"), batch, length);
        NDArray value = heads(linear(hidden, p + "value"), batch, length);
        if (prefix != null) {
            // Prefix rows are attended to by every token and are never masked out.
            key = prefix.keys().concat(key, 2);
            value = prefix.values().concat(value, 2);
            NDArray open = maskBias.getManager().zeros(new Shape(batch, 1, 1, prefix.length()));
            maskBias = open.concat(maskBias, 3);
        }
        NDArray scores = Scalars.div(query.matMul(key.transpose(0, 1, 3, 2)), Math.sqrt(spec().headSize()))
                .add(maskBias);
        NDArray context = scores.softmax(-1).matMul(value);
        return context.transpose(0, 2, 1, 3).reshape(batch, length, config.hiddenSize());
    }

    /** {@code [batch, length, hidden] -> [batch, heads, length, headSize]}. */
    private NDArray heads(NDArray x, long batch, long length) {
        return x.reshape(batch, length, config.attentionHeads(), spec().headSize()).transpose(0, 2, 1, 3);
    }

    @Override
    public NDArray lmLogits(NDArray hiddenRows) {
        NDArray transformed = layerNorm(activation(linear(hiddenRows, BertWeights.HEAD_TRANSFORM)),
                BertWeights.HEAD_NORM);
        return Linear.linear(transformed, w(BertWeights.WORD_EMBEDDINGS), w(BertWeights.HEAD_BIAS)).singletonOrThrow();
    }

    private NDArray linear(NDArray x, String name) {
        return Linear.linear(x, w(name + ".weight"), w(name + ".bias")).singletonOrThrow();
    }

    private NDArray layerNorm(NDArray x, String name) {
        return LayerNorm.layerNorm(x, new Shape(config.hiddenSize()), w(name + ".weight"), w(name + ".bias"),
                (float) config.layerNormEps()).get(0);
    }

    private NDArray activation(NDArray x) {
        return config.hiddenAct().equals("relu") ? Activation.relu(x) : Activation.gelu(x);
    }

    /** Rows of {@code matrix} ({@code [n, d]}) picked by int64 {@code rows}; differentiable. */
    public static NDArray selectRows(NDArray matrix, NDArray rows) {
        return Embedding.embedding(rows, matrix, SparseFormat.DENSE).singletonOrThrow();
    }

    /** All hidden states flattened to {@code [batch * length, hidden]}, then rows picked: e.g. the [MASK] rows. */
    public static NDArray gatherPositions(NDArray hiddenStates, long[] flatRows) {
        Shape shape = hiddenStates.getShape();
        NDArray flat = hiddenStates.reshape(shape.get(0) * shape.get(1), shape.get(2));
        NDArray rows = hiddenStates.getManager().create(flatRows);
        return selectRows(flat, rows);
    }


}
