package peft4j.backbone.t5;

import static peft4j.backbone.t5.T5Weights.DECODER;
import static peft4j.backbone.t5.T5Weights.ENCODER;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import peft4j.api.AttentionStack;
import peft4j.api.Scalars;
import peft4j.api.EmbeddedInput;
import peft4j.api.EncoderOutput;
import peft4j.api.ForwardHooks;
import peft4j.api.KeyValuePrefix;
import peft4j.api.PositionMap;
import peft4j.api.Seq2SeqBackbone;
import peft4j.api.TokenBatch;
import peft4j.api.UserError;
import peft4j.backbone.StateDictBackbone;
import peft4j.backbone.SafetensorsCheckpoint;
import peft4j.backbone.tokenizer.TokenizerVocabulary;

/**
 * T5 (Raffel et al. 2020) as Hugging Face's {@code T5ForConditionalGeneration} computes it, for the original
 * checkpoints (ReLU, tied embeddings), v1.1 and the LM-adapted ones (gated-GELU, untied head):
 *
 * <pre>
 *   h = shared[ids]                                  no scaling; encoder and decoder share the table
 *   h = h + Wo·Attention(RMSNorm(h))                 pre-norm; scores = Q·Kᵀ (no 1/√d) + relative bias + mask
 *   h = h + Cross(RMSNorm(h), encoder output)        decoder only; no position bias
 *   h = h + FF(RMSNorm(h))                           wo(act(wi·h)) or wo(act(wi_0·h) ⊙ wi_1·h)
 *   out = RMSNorm(h)                                 each stack's final_layer_norm
 *   logits = out·lm_headᵀ, or (out·d_model^-½)·sharedᵀ when tied
 * </pre>
 *
 * The relative bias comes from block 0 of each stack and is shared by all its blocks; masks are additive
 * {@code (1 − mask)·float32.min}. Attention prefixes (prefix tuning) occupy key positions {@code 0..P-1}, so the
 * first token's query stands at P, as in Hugging Face's {@code past_key_values} path.
 *
 * <p>Intermediate arrays are created in the managers of their inputs; callers wrap a forward pass in an
 * {@link NDScope} (or a sub-manager) to free them.
 */
public final class T5Model extends StateDictBackbone implements Seq2SeqBackbone {

    private final T5Config config;
    private final FeedForwardActivation activation;
    private final RelativePositionBias encoderBias;
    private final RelativePositionBias decoderBias;

    private T5Model(T5Config config, NDManager manager, Map<String, NDArray> weights) {
        super(config.spec(), manager, weights);
        this.config = config;
        this.activation = config.activation();
        this.encoderBias = new RelativePositionBias(w(T5Weights.relativeBias(ENCODER)), true,
                config.relativeBuckets(), config.relativeMaxDistance());
        this.decoderBias = new RelativePositionBias(w(T5Weights.relativeBias(DECODER)), false,
                config.relativeBuckets(), config.relativeMaxDistance());
    }

    /**
     * Loads a Hugging Face T5 directory ({@code config.json} + {@code model.safetensors} or its sharded index) into
     * a new sub-manager of {@code parent}. Tied aliases may be absent; extra tensors are ignored.
     */
    public static T5Model load(Path dir, NDManager parent) {
        T5Config config = T5Config.read(dir);
        TokenizerVocabulary.requireWithin(dir, config.vocabSize());
        SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(dir);
        Map<String, Shape> expected = T5Weights.expectedShapes(config);
        Map<String, String> sources = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String name : expected.keySet()) {
            List<String> candidates = name.equals(T5Weights.SHARED) ? T5Weights.SHARED_ALIASES : List.of(name);
            candidates.stream().filter(checkpoint::contains).findFirst()
                    .ifPresentOrElse(found -> sources.put(name, found), () -> missing.add(name));
        }
        if (!missing.isEmpty()) {
            String hint = missing.contains(T5Weights.LM_HEAD) && missing.size() == 1
                    ? " (config.json says tie_word_embeddings is false, so the model needs its own head)"
                    : " (config.json and weights from different models?)";
            throw new UserError(checkpoint.location() + " lacks " + missing.size() + " tensor(s) a T5 model needs, "
                    + "first: " + String.join(", ", missing.subList(0, Math.min(3, missing.size()))) + hint);
        }
        sources.forEach((name, source) -> {
            Shape found = new Shape(checkpoint.info(source).shape());
            if (!found.equals(expected.get(name))) {
                throw new UserError(checkpoint.location() + ": tensor '" + source + "' has shape " + found
                        + " but config.json implies " + expected.get(name) + " (config and weights from different "
                        + "models?)");
            }
        });
        NDManager weightsManager = parent.newSubManager();
        try {
            Map<String, NDArray> weights = new LinkedHashMap<>();
            sources.forEach((name, source) -> {
                NDArray array = checkpoint.toNDArray(source, weightsManager);
                array.setName(name);
                weights.put(name, array);
            });
            return new T5Model(config, weightsManager, weights);
        } catch (RuntimeException e) {
            weightsManager.close();
            throw e;
        }
    }

    public T5Config config() {
        return config;
    }

    @Override
    public NDArray inputEmbeddings() {
        return w(T5Weights.SHARED);
    }

    @Override
    public int decoderStartTokenId() {
        return config.decoderStartTokenId();
    }

    @Override
    public int eosTokenId() {
        return config.eosTokenId();
    }

    @Override
    public int padTokenId() {
        return config.padTokenId();
    }

    // ----------------------------------------------------------------------------------------------- encoder

    @Override
    public EncoderOutput encode(TokenBatch batch, ForwardHooks hooks) {
        return runEncoder(batch, hooks, null);
    }

    /** HF's {@code output_hidden_states} of the encoder: embeddings, each block's output, then the normed output. */
    List<NDArray> encoderHiddenStates(TokenBatch batch, ForwardHooks hooks) {
        List<NDArray> states = new ArrayList<>();
        runEncoder(batch, hooks, states);
        return states;
    }

    private EncoderOutput runEncoder(TokenBatch batch, ForwardHooks hooks, List<NDArray> states) {
        EmbeddedInput input = new EmbeddedInput(embed(batch.inputIds()), batch.tokenTypeIds(), batch.attentionMask(),
                PositionMap.IDENTITY);
        if (hooks.inputEmbedding().isPresent()) {
            input = hooks.inputEmbedding().get().apply(input);
        }
        NDArray hidden = input.wordEmbeddings();
        long batchSize = hidden.getShape().get(0);
        long length = hidden.getShape().get(1);
        NDArray mask = input.attentionMask();
        NDManager scratch = hidden.getManager();
        record(states, hidden);
        Map<Long, NDArray> biasByPrefix = new HashMap<>();
        for (int i = 0; i < config.layers(); i++) {
            KeyValuePrefix prefix = prefix(hooks, AttentionStack.INPUT, i, batchSize);
            long p = prefix == null ? 0 : prefix.length();
            // Prefix keys are always visible: the mask gains p leading ones, the tokens' queries start at p.
            NDArray biasAndMask = biasByPrefix.computeIfAbsent(p, key -> encoderBias
                    .forPositions(key, length, key + length, scratch)
                    .add(additiveMask(withLeadingOnes(mask, key))));
            String self = T5Weights.selfAttention(ENCODER, i);
            NDArray normed = rmsNorm(hidden, T5Weights.norm(ENCODER, i, 0));
            NDArray[] keyValue = keysAndValues(self, normed, prefix);
            hidden = hidden.add(attention(self, normed, keyValue[0], keyValue[1], biasAndMask));
            normed = rmsNorm(hidden, T5Weights.norm(ENCODER, i, 1));
            hidden = hidden.add(feedForward(T5Weights.feedForward(ENCODER, i), normed));
            record(states, hidden);
        }
        hidden = rmsNorm(hidden, T5Weights.finalNorm(ENCODER));
        record(states, hidden);
        return new EncoderOutput(hidden, mask, input.positions());
    }

    // ----------------------------------------------------------------------------------------------- decoder

    @Override
    public NDArray decode(EncoderOutput encoded, NDArray decoderInputIds, ForwardHooks hooks) {
        DecoderCache cache = DecoderCache.start(this, encoded, hooks);
        return runDecoder(decoderInputIds, cache, null);
    }

    /** HF's {@code output_hidden_states} of the decoder (teacher-forced), like {@link #encoderHiddenStates}. */
    List<NDArray> decoderHiddenStates(EncoderOutput encoded, NDArray decoderInputIds, ForwardHooks hooks) {
        List<NDArray> states = new ArrayList<>();
        runDecoder(decoderInputIds, DecoderCache.start(this, encoded, hooks), states);
        return states;
    }

    /**
     * Runs the decoder on {@code ids} ({@code [batch, T]}) after what {@code cache} holds, and appends their keys and
     * values to it. Query i stands at position past + i and sees every key at a position up to its own.
     */
    private NDArray runDecoder(NDArray ids, DecoderCache cache, List<NDArray> states) {
        NDArray hidden = embed(ids);
        long length = ids.getShape().get(1);
        NDManager scratch = hidden.getManager();
        record(states, hidden);
        NDArray crossMask = additiveMask(cache.encoderMask);
        Map<Long, NDArray> biasByPast = new HashMap<>();
        for (int i = 0; i < config.decoderLayers(); i++) {
            long past = cache.pastLength(i);
            NDArray biasAndMask = biasByPast.computeIfAbsent(past, p -> decoderBias
                    .forPositions(p, length, p + length, scratch).add(causalMask(p, length, scratch)));
            String self = T5Weights.selfAttention(DECODER, i);
            NDArray normed = rmsNorm(hidden, T5Weights.norm(DECODER, i, 0));
            NDArray[] keyValue = keysAndValues(self, normed, cache.selfPrefix(i));
            cache.keepSelf(i, keyValue[0], keyValue[1]);
            hidden = hidden.add(attention(self, normed, keyValue[0], keyValue[1], biasAndMask));
            normed = rmsNorm(hidden, T5Weights.norm(DECODER, i, 1));
            hidden = hidden.add(attention(T5Weights.crossAttention(i), normed, cache.crossKeys[i],
                    cache.crossValues[i], crossMask));
            normed = rmsNorm(hidden, T5Weights.norm(DECODER, i, 2));
            hidden = hidden.add(feedForward(T5Weights.feedForward(DECODER, i), normed));
            record(states, hidden);
        }
        hidden = rmsNorm(hidden, T5Weights.finalNorm(DECODER));
        record(states, hidden);
        return hidden;
    }

    /** {@code [1, 1, T, past + T]}: 0 where key position ≤ query position (past + i), float32.min elsewhere. */
    private static NDArray causalMask(long past, long length, NDManager scratch) {
        NDArray keys = scratch.arange(0f, past + length, 1f, DataType.FLOAT32).reshape(1, past + length);
        NDArray queries = scratch.arange(past, past + length, 1f, DataType.FLOAT32).reshape(length, 1);
        return additive(keys.lte(queries)).reshape(1, 1, length, past + length);
    }

    /**
     * Per decoder layer: the self-attention keys and values so far (prefix first, then the decoded tokens) and the
     * cross-attention keys and values of the encoder output, computed once.
     */
    private static final class DecoderCache {
        final NDArray encoderMask;
        final NDArray[] selfKeys;
        final NDArray[] selfValues;
        final NDArray[] crossKeys;
        final NDArray[] crossValues;

        private DecoderCache(int layers, NDArray encoderMask) {
            this.encoderMask = encoderMask;
            selfKeys = new NDArray[layers];
            selfValues = new NDArray[layers];
            crossKeys = new NDArray[layers];
            crossValues = new NDArray[layers];
        }

        static DecoderCache start(T5Model model, EncoderOutput encoded, ForwardHooks hooks) {
            int layers = model.config.decoderLayers();
            DecoderCache cache = new DecoderCache(layers, encoded.attentionMask());
            long batchSize = encoded.hiddenStates().getShape().get(0);
            for (int i = 0; i < layers; i++) {
                KeyValuePrefix prefix = model.prefix(hooks, AttentionStack.DECODER, i, batchSize);
                if (prefix != null) {
                    cache.selfKeys[i] = prefix.keys();
                    cache.selfValues[i] = prefix.values();
                }
                NDArray[] keyValue = model.keysAndValues(T5Weights.crossAttention(i), encoded.hiddenStates(), null);
                cache.crossKeys[i] = keyValue[0];
                cache.crossValues[i] = keyValue[1];
            }
            return cache;
        }

        long pastLength(int layer) {
            return selfKeys[layer] == null ? 0 : selfKeys[layer].getShape().get(2);
        }

        KeyValuePrefix selfPrefix(int layer) {
            return selfKeys[layer] == null ? null : new KeyValuePrefix(selfKeys[layer], selfValues[layer]);
        }

        void keepSelf(int layer, NDArray keys, NDArray values) {
            selfKeys[layer] = keys;
            selfValues[layer] = values;
        }

        /** The self-attention keys and values of every layer (the cross ones never change). */
        NDList selfArrays() {
            NDList all = new NDList();
            for (int i = 0; i < selfKeys.length; i++) {
                if (selfKeys[i] != null) {
                    all.add(selfKeys[i]);
                    all.add(selfValues[i]);
                }
            }
            return all;
        }
    }

    // ----------------------------------------------------------------------------------------------- greedy

    @Override
    public Greedy greedyDecode(EncoderOutput encoded, int maxNewTokens, ForwardHooks hooks) {
        long batchSize = encoded.hiddenStates().getShape().get(0);
        NDManager scratch = encoded.hiddenStates().getManager();
        DecoderCache cache = DecoderCache.start(this, encoded, hooks);
        NDArray next = scratch.full(new Shape(batchSize, 1), decoderStartTokenId(), DataType.INT64);
        NDArray finished = scratch.zeros(new Shape(batchSize, 1), DataType.BOOLEAN);
        NDArray pad = scratch.full(new Shape(batchSize, 1), padTokenId(), DataType.INT64);
        NDList ids = new NDList(next);
        NDList stepLogits = new NDList();
        for (int step = 0; step < maxNewTokens && !finished.all().getBoolean(); step++) {
            // After the first step the self-attention cache holds only arrays of the previous step: free them then.
            NDList previous = step == 0 ? new NDList() : cache.selfArrays();
            NDList carried;
            try (NDScope stepScope = new NDScope()) {
                stepScope.suppressNotUsedWarning();
                NDArray logits = lmLogits(runDecoder(next, cache, null)); // [batch, 1, vocab]
                NDArray chosen = NDArrays.where(finished, pad, logits.argMax(-1).toType(DataType.INT64, false));
                finished = finished.logicalOr(chosen.eq((long) eosTokenId()));
                next = chosen;
                carried = new NDList(logits, chosen, finished).addAll(cache.selfArrays());
                NDScope.unregister(carried);
            }
            // Whatever scope the caller opened owns the carried arrays from here on.
            carried.forEach(NDScope::register);
            previous.close();
            ids.add(next);
            stepLogits.add(carried.get(0));
        }
        NDArray logits = stepLogits.isEmpty()
                ? scratch.zeros(new Shape(batchSize, 0, spec().vocabSize()))
                : NDArrays.concat(stepLogits, 1);
        return new Greedy(NDArrays.concat(ids, 1), logits);
    }

    // ----------------------------------------------------------------------------------------------- layers

    @Override
    public NDArray lmLogits(NDArray hiddenRows) {
        if (config.tieWordEmbeddings()) {
            // Mesh TensorFlow's rescaling, kept by Hugging Face for tied checkpoints.
            return Linear.linear(Scalars.mul(hiddenRows, Math.pow(config.dModel(), -0.5)), w(T5Weights.SHARED))
                    .singletonOrThrow();
        }
        return Linear.linear(hiddenRows, w(T5Weights.LM_HEAD)).singletonOrThrow();
    }

    private NDArray embed(NDArray ids) {
        return Embedding.embedding(ids, w(T5Weights.SHARED), SparseFormat.DENSE).singletonOrThrow();
    }

    private KeyValuePrefix prefix(ForwardHooks hooks, AttentionStack stack, int layer, long batchSize) {
        KeyValuePrefix prefix = hooks.attentionPrefix().map(hook -> hook.prefix(stack, layer, batchSize)).orElse(null);
        if (prefix != null) {
            Shape shape = prefix.keys().getShape();
            Shape expected = new Shape(batchSize, config.heads(), shape.get(2), config.dKv());
            if (!shape.equals(expected) || !prefix.values().getShape().equals(expected)) {
                String stackName = stack.name().toLowerCase(Locale.ROOT);
                throw new UserError("the " + stackName + " prefix of layer " + layer + " has keys " + shape
                        + " and values " + prefix.values().getShape() + "; this T5 needs [batch, heads, length, d_kv] = "
                        + expected);
            }
        }
        return prefix;
    }

    /** Projected keys and values {@code [batch, heads, length, d_kv]} of {@code source}, after {@code prefix}. */
    private NDArray[] keysAndValues(String attention, NDArray source, KeyValuePrefix prefix) {
        NDArray keys = heads(linear(source, attention + "k"));
        NDArray values = heads(linear(source, attention + "v"));
        if (prefix != null) {
            keys = prefix.keys().concat(keys, 2);
            values = prefix.values().concat(values, 2);
        }
        return new NDArray[] {keys, values};
    }

    /** Softmax(Q·Kᵀ + bias) · V through the output projection; T5 does not scale the scores. */
    private NDArray attention(String attention, NDArray hidden, NDArray keys, NDArray values, NDArray biasAndMask) {
        Shape shape = hidden.getShape();
        NDArray queries = heads(linear(hidden, attention + "q"));
        NDArray scores = queries.matMul(keys.transpose(0, 1, 3, 2)).add(biasAndMask);
        NDArray context = scores.softmax(-1).matMul(values).transpose(0, 2, 1, 3)
                .reshape(shape.get(0), shape.get(1), config.innerDim());
        return linear(context, attention + "o");
    }

    private NDArray feedForward(String ff, NDArray x) {
        NDArray inner = activation.gated()
                ? activation.apply(linear(x, ff + "wi_0")).mul(linear(x, ff + "wi_1"))
                : activation.apply(linear(x, ff + "wi"));
        return linear(inner, ff + "wo");
    }

    /** T5's layer norm: {@code w · x / sqrt(mean(x²) + eps)}, no mean subtraction and no bias. */
    private NDArray rmsNorm(NDArray x, String weight) {
        int last = x.getShape().dimension() - 1;
        NDArray meanSquare = x.square().mean(new int[] {last}, true);
        return x.div(meanSquare.add((float) config.layerNormEpsilon().doubleValue()).sqrt()).mul(w(weight));
    }

    /** {@code [batch, length, heads·d_kv] -> [batch, heads, length, d_kv]}. */
    private NDArray heads(NDArray x) {
        Shape shape = x.getShape();
        return x.reshape(shape.get(0), shape.get(1), config.heads(), config.dKv()).transpose(0, 2, 1, 3);
    }

    private NDArray linear(NDArray x, String name) {
        return Linear.linear(x, w(name + ".weight")).singletonOrThrow();
    }

    /** A {@code [batch, length]} attention mask as additive bias {@code [batch, 1, 1, length]}. */
    private static NDArray additiveMask(NDArray mask) {
        Shape shape = mask.getShape();
        return additive(mask).reshape(shape.get(0), 1, 1, shape.get(1));
    }

    /** {@code (1 − visible)·float32.min}, Hugging Face's additive form of a 0/1 mask. */
    private static NDArray additive(NDArray visible) {
        return visible.toType(DataType.FLOAT32, false).neg().add(1f).mul(-Float.MAX_VALUE);
    }

    private static NDArray withLeadingOnes(NDArray mask, long count) {
        if (count == 0) {
            return mask;
        }
        NDArray ones = mask.getManager().ones(new Shape(mask.getShape().get(0), count), mask.getDataType());
        return ones.concat(mask, 1);
    }

    private static void record(List<NDArray> states, NDArray hidden) {
        if (states != null) {
            states.add(hidden);
        }
    }

}
