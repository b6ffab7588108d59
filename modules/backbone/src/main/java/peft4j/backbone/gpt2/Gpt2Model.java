package peft4j.backbone.gpt2;

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
import java.util.Arrays;
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
import peft4j.backbone.tokenizer.TokenizerVocabulary;

/**
 * GPT-2 with its tied LM head, as Hugging Face's {@code GPT2LMHeadModel} computes it (Radford et al. 2019):
 *
 * <pre>
 *   h = wte[ids] + wpe[past .. past+T)                 learned positions; past = prefix length (0 without one)
 *   h = h + c_proj(Attention(ln_1(h)))                 pre-norm; causal + padding mask; scores / sqrt(head size)
 *   h = h + c_proj(gelu_new(c_fc(ln_2(h))))            gelu_new is the tanh approximation
 *   logits = ln_f(h)·wteᵀ                              the head is tied to the token embeddings
 * </pre>
 *
 * Every {@code c_*} layer is a {@code Conv1D}: its weight is {@code [in, out]} and it computes {@code x·W + b}.
 * Token type ids are ignored (Hugging Face adds {@code wte[type]} only when they are passed, which peft4j never does).
 *
 * <p>A prefix ({@link AttentionStack#INPUT}) acts like Hugging Face's {@code past_key_values}, which is how PEFT's
 * prefix tuning drives GPT-2: its rows are visible to every token, tokens stay causal among themselves, and token
 * positions start after the prefix. Intermediate arrays live in the managers of their inputs; callers wrap a forward
 * pass in an {@link ai.djl.ndarray.NDScope} (or a sub-manager) to free them.
 */
public final class Gpt2Model extends StateDictBackbone {

    /**
     * Everything one forward pass computed.
     *
     * @param hiddenStates Hugging Face's {@code hidden_states}: the embeddings, each block's output, and for the last
     *                     entry {@code ln_f} of the last block's output (= {@code output.hiddenStates()})
     * @param output       what {@link #encode} returns
     */
    public record Forward(List<NDArray> hiddenStates, EncoderOutput output) {
    }

    private static final float GELU_SCALE = (float) Math.sqrt(2 / Math.PI);

    private final Gpt2Config config;

    private Gpt2Model(Gpt2Config config, NDManager manager, Map<String, NDArray> weights) {
        super(config.spec(), manager, weights);
        this.config = config;
    }

    /**
     * Loads a Hugging Face GPT-2 directory ({@code config.json} + {@code model.safetensors} or its shards) into a new
     * sub-manager of {@code parent}. Both {@code GPT2LMHeadModel} and bare {@code GPT2Model} names are accepted;
     * missing tensors are listed in the error.
     */
    public static Gpt2Model load(Path dir, NDManager parent) {
        Gpt2Config config = Gpt2Config.read(dir);
        TokenizerVocabulary.requireWithin(dir, config.vocabSize());
        SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(dir);
        List<String> missing = new ArrayList<>();
        Map<String, String> sources = new LinkedHashMap<>();
        for (String name : Gpt2Weights.names(config)) {
            Gpt2Weights.aliases(name).stream().filter(checkpoint::contains).findFirst()
                    .ifPresentOrElse(found -> sources.put(name, found), () -> missing.add(name));
        }
        if (!missing.isEmpty()) {
            throw new UserError(checkpoint.location() + " lacks " + missing.size() + " tensor(s) a GPT-2 LM needs, "
                    + "first: " + String.join(", ", missing.subList(0, Math.min(3, missing.size())))
                    + (missing.contains(Gpt2Weights.LM_HEAD) ? " (config.json sets tie_word_embeddings false)" : ""));
        }
        NDManager weightsManager = parent.newSubManager();
        try {
            Map<String, NDArray> weights = new LinkedHashMap<>();
            sources.forEach((name, source) -> {
                NDArray array = checkpoint.toNDArray(source, weightsManager);
                array.setName(name);
                weights.put(name, array);
            });
            checkShapes(config, weights, checkpoint.location());
            return new Gpt2Model(config, weightsManager, weights);
        } catch (RuntimeException e) {
            weightsManager.close();
            throw e;
        }
    }

    /** Builds a model around weights that already live in {@code manager} (tests, conversions). */
    public static Gpt2Model of(Gpt2Config config, NDManager manager, Map<String, NDArray> weights) {
        checkShapes(config, weights, Path.of("(in memory)"));
        return new Gpt2Model(config, manager, new LinkedHashMap<>(weights));
    }

    /** The Hugging Face shape of every weight of {@code config}. */
    public static Map<String, Shape> shapes(Gpt2Config config) {
        long h = config.hiddenSize();
        long inner = config.innerSize();
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (String name : Gpt2Weights.names(config)) {
            Shape shape;
            if (name.equals(Gpt2Weights.TOKEN_EMBEDDINGS) || name.equals(Gpt2Weights.LM_HEAD)) {
                shape = new Shape(config.vocabSize(), h);
            } else if (name.equals(Gpt2Weights.POSITION_EMBEDDINGS)) {
                shape = new Shape(config.maxPositions(), h);
            } else if (name.endsWith("c_attn.weight")) {
                shape = new Shape(h, 3 * h);
            } else if (name.endsWith("c_attn.bias")) {
                shape = new Shape(3 * h);
            } else if (name.endsWith("c_fc.weight")) {
                shape = new Shape(h, inner);
            } else if (name.endsWith("c_fc.bias")) {
                shape = new Shape(inner);
            } else if (name.endsWith("mlp.c_proj.weight")) {
                shape = new Shape(inner, h);
            } else if (name.endsWith("attn.c_proj.weight")) {
                shape = new Shape(h, h);
            } else {
                shape = new Shape(h);
            }
            shapes.put(name, shape);
        }
        return shapes;
    }

    private static void checkShapes(Gpt2Config config, Map<String, NDArray> weights, Path file) {
        shapes(config).forEach((name, shape) -> {
            NDArray weight = weights.get(name);
            if (weight == null) {
                throw new UserError(file + " has no tensor '" + name + "'");
            }
            if (!weight.getShape().equals(shape)) {
                throw new UserError(file + ": tensor '" + name + "' has shape " + weight.getShape()
                        + " but config.json implies " + shape + " (config and weights from different models?)");
            }
        });
    }

    public Gpt2Config config() {
        return config;
    }

    @Override
    public NDArray inputEmbeddings() {
        return w(Gpt2Weights.TOKEN_EMBEDDINGS);
    }

    @Override
    public EncoderOutput encode(TokenBatch batch, ForwardHooks hooks) {
        return forward(batch, hooks).output();
    }

    /** The causal stack, keeping every hidden state Hugging Face reports with {@code output_hidden_states}. */
    public Forward forward(TokenBatch batch, ForwardHooks hooks) {
        NDArray words = Embedding.embedding(batch.inputIds(), w(Gpt2Weights.TOKEN_EMBEDDINGS), SparseFormat.DENSE)
                .singletonOrThrow();
        EmbeddedInput input = new EmbeddedInput(words, batch.tokenTypeIds(), batch.attentionMask(),
                PositionMap.IDENTITY);
        if (hooks.inputEmbedding().isPresent()) {
            input = hooks.inputEmbedding().get().apply(input);
        }
        long batchSize = input.wordEmbeddings().getShape().get(0);
        List<KeyValuePrefix> prefixes = new ArrayList<>();
        for (int i = 0; i < config.layers(); i++) {
            int layer = i;
            prefixes.add(hooks.attentionPrefix().map(p -> p.prefix(AttentionStack.INPUT, layer, batchSize))
                    .orElse(null));
        }
        // Like past_key_values: positions continue after the first layer's prefix.
        long past = prefixes.isEmpty() || prefixes.get(0) == null ? 0 : prefixes.get(0).length();
        long length = input.wordEmbeddings().getShape().get(1);
        if (past + length > config.maxPositions()) {
            throw new UserError("the input has " + (past + length) + " positions (prompt and prefix included) but this "
                    + "model accepts at most " + config.maxPositions() + "; shorten the text, the prompt or the prefix");
        }
        NDArray hidden = input.wordEmbeddings()
                .add(w(Gpt2Weights.POSITION_EMBEDDINGS).get(new NDIndex("{}:{}", past, past + length)));
        List<NDArray> hiddenStates = new ArrayList<>(List.of(hidden));
        for (int i = 0; i < config.layers(); i++) {
            hidden = block(i, hidden, input.attentionMask(), prefixes.get(i));
            hiddenStates.add(hidden);
        }
        hidden = layerNorm(hidden, Gpt2Weights.FINAL_NORM);
        hiddenStates.set(hiddenStates.size() - 1, hidden);
        return new Forward(List.copyOf(hiddenStates),
                new EncoderOutput(hidden, input.attentionMask(), input.positions()));
    }

    private NDArray block(int index, NDArray hidden, NDArray attentionMask, KeyValuePrefix prefix) {
        String p = Gpt2Weights.block(index);
        hidden = hidden.add(attention(index, layerNorm(hidden, p + "ln_1"), attentionMask, prefix));
        NDArray inner = activation(conv1d(layerNorm(hidden, p + "ln_2"), p + "mlp.c_fc"));
        return hidden.add(conv1d(inner, p + "mlp.c_proj"));
    }

    private NDArray attention(int layer, NDArray x, NDArray attentionMask, KeyValuePrefix prefix) {
        Shape shape = x.getShape();
        long batch = shape.get(0);
        long length = shape.get(1);
        long h = config.hiddenSize();
        NDArray qkv = conv1d(x, Gpt2Weights.block(layer) + "attn.c_attn");
        NDArray query = heads(qkv.get(new NDIndex(":, :, 0:{}", h)), batch, length);
        NDArray key = heads(qkv.get(new NDIndex(":, :, {}:{}", h, 2 * h)), batch, length);
        NDArray value = heads(qkv.get(new NDIndex(":, :, {}:", 2 * h)), batch, length);
        long past = 0;
        if (prefix != null) {
            key = prefix.keys().concat(key, 2);
            value = prefix.values().concat(value, 2);
            past = prefix.length();
        }
        NDArray scores = query.matMul(key.transpose(0, 1, 3, 2));
        if (config.scaleAttentionWeights()) {
            scores = Scalars.div(scores, Math.sqrt(config.headSize()));
        }
        if (config.scaleByInverseLayerIndex()) {
            scores = Scalars.div(scores, layer + 1);
        }
        NDArray visible = causalVisibility(x.getManager(), length, past);
        // torch.where(causal, scores, float32.min), then + (1 - mask) * float32.min, exactly as Hugging Face does.
        scores = scores.mul(visible).add(visible.neg().add(1f).mul(-Float.MAX_VALUE))
                .add(paddingBias(attentionMask, past));
        NDArray context = scores.softmax(-1).matMul(value);
        NDArray merged = context.transpose(0, 2, 1, 3).reshape(batch, length, h);
        return conv1d(merged, Gpt2Weights.block(layer) + "attn.c_proj");
    }

    /** {@code [1, 1, length, past + length]}: 1 where query i may see key j (every prefix row, tokens up to i). */
    private static NDArray causalVisibility(NDManager manager, long length, long past) {
        int rows = Math.toIntExact(length);
        int columns = Math.toIntExact(past + length);
        float[] visible = new float[rows * columns];
        for (int i = 0; i < rows; i++) {
            Arrays.fill(visible, i * columns, i * columns + (int) past + i + 1, 1f);
        }
        return manager.create(visible, new Shape(1, 1, rows, columns));
    }

    /** {@code (1 - mask) * float32.min} over {@code [batch, 1, 1, past + length]}; prefix rows are never masked. */
    private static NDArray paddingBias(NDArray attentionMask, long past) {
        NDArray mask = attentionMask.toType(DataType.FLOAT32, false);
        long batch = mask.getShape().get(0);
        if (past > 0) {
            mask = mask.getManager().ones(new Shape(batch, past)).concat(mask, 1);
        }
        return mask.neg().add(1f).mul(-Float.MAX_VALUE).reshape(batch, 1, 1, mask.getShape().get(1));
    }

    /** {@code [batch, length, hidden] -> [batch, heads, length, headSize]}. */
    private NDArray heads(NDArray x, long batch, long length) {
        return x.reshape(batch, length, config.attentionHeads(), config.headSize()).transpose(0, 2, 1, 3);
    }

    /** The LM head: {@code [..., hidden] -> [..., vocab]}, rows already through {@code ln_f} (as encode returns them). */
    @Override
    public NDArray lmLogits(NDArray hiddenRows) {
        NDArray head = config.tieWordEmbeddings() ? w(Gpt2Weights.TOKEN_EMBEDDINGS) : w(Gpt2Weights.LM_HEAD);
        return Linear.linear(hiddenRows, head).singletonOrThrow();
    }

    /** Hugging Face's {@code Conv1D}: {@code x·W + b} with {@code W} stored {@code [in, out]}. */
    private NDArray conv1d(NDArray x, String name) {
        Shape shape = x.getShape();
        NDArray weight = w(name + ".weight");
        NDArray flat = x.reshape(-1, shape.get(shape.dimension() - 1));
        NDArray out = flat.matMul(weight).add(w(name + ".bias"));
        return out.reshape(shape.slice(0, shape.dimension() - 1).add(weight.getShape().get(1)));
    }

    private NDArray layerNorm(NDArray x, String name) {
        return LayerNorm.layerNorm(x, new Shape(config.hiddenSize()), w(name + ".weight"), w(name + ".bias"),
                (float) config.layerNormEps()).get(0);
    }

    private NDArray activation(NDArray x) {
        return switch (config.activation()) {
            case "relu" -> Activation.relu(x);
            case "gelu" -> Activation.gelu(x);
            // gelu_new / gelu_pytorch_tanh: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
            default -> Scalars.mul(Scalars.mul(Scalars.mul(Scalars.pow(x, 3), 0.044715).add(x), GELU_SCALE).tanh()
                    .add(1f).mul(x), 0.5);
        };
    }

}
