package peft4j.backbone.t5;

import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weight names of Hugging Face's {@code T5ForConditionalGeneration}, in {@code state_dict} order, without the
 * tied aliases ({@code encoder/decoder.embed_tokens.weight} are {@code shared.weight}; {@code lm_head.weight} too when
 * the embeddings are tied). Linear weights are {@code [out, in]}; T5 has no biases.
 */
public final class T5Weights {

    public static final String SHARED = "shared.weight";
    public static final String LM_HEAD = "lm_head.weight";
    public static final String ENCODER = "encoder.";
    public static final String DECODER = "decoder.";

    /** Other names a checkpoint may store the shared embedding under (e.g. written by plain {@code torch.save}). */
    static final List<String> SHARED_ALIASES = List.of(SHARED, "encoder.embed_tokens.weight",
            "decoder.embed_tokens.weight");

    private T5Weights() {
    }

    /** Prefix of block {@code i} of a stack ({@link #ENCODER} or {@link #DECODER}). */
    public static String block(String stack, int i) {
        return stack + "block." + i + ".";
    }

    public static String selfAttention(String stack, int i) {
        return block(stack, i) + "layer.0.SelfAttention.";
    }

    /** The decoder's encoder-decoder attention of block {@code i}. */
    public static String crossAttention(int i) {
        return block(DECODER, i) + "layer.1.EncDecAttention.";
    }

    /** The feed-forward sub-layer: layer 1 in the encoder, layer 2 in the decoder. */
    public static String feedForward(String stack, int i) {
        return block(stack, i) + "layer." + feedForwardIndex(stack) + ".DenseReluDense.";
    }

    /** The RMSNorm before sub-layer {@code sub} of block {@code i}. */
    public static String norm(String stack, int i, int sub) {
        return block(stack, i) + "layer." + sub + ".layer_norm.weight";
    }

    public static String finalNorm(String stack) {
        return stack + "final_layer_norm.weight";
    }

    /** The relative position bias table {@code [buckets, heads]}; only block 0 of each stack has one. */
    public static String relativeBias(String stack) {
        return selfAttention(stack, 0) + "relative_attention_bias.weight";
    }

    static int feedForwardIndex(String stack) {
        return stack.equals(ENCODER) ? 1 : 2;
    }

    /** Every unique weight the model reads, with its shape, in {@code state_dict} order. */
    public static Map<String, Shape> expectedShapes(T5Config config) {
        long d = config.dModel();
        long inner = config.innerDim();
        Map<String, Shape> shapes = new LinkedHashMap<>();
        shapes.put(SHARED, new Shape(config.vocabSize(), d));
        addStack(shapes, config, ENCODER, config.layers(), d, inner);
        addStack(shapes, config, DECODER, config.decoderLayers(), d, inner);
        if (!config.tieWordEmbeddings()) {
            shapes.put(LM_HEAD, new Shape(config.vocabSize(), d));
        }
        return shapes;
    }

    private static void addStack(Map<String, Shape> shapes, T5Config config, String stack, int layers, long d,
            long inner) {
        for (int i = 0; i < layers; i++) {
            addAttention(shapes, selfAttention(stack, i), d, inner);
            if (i == 0) {
                shapes.put(relativeBias(stack), new Shape(config.relativeBuckets(), config.heads()));
            }
            shapes.put(norm(stack, i, 0), new Shape(d));
            if (stack.equals(DECODER)) {
                addAttention(shapes, crossAttention(i), d, inner);
                shapes.put(norm(stack, i, 1), new Shape(d));
            }
            String ff = feedForward(stack, i);
            if (config.activation().gated()) {
                shapes.put(ff + "wi_0.weight", new Shape(config.dFf(), d));
                shapes.put(ff + "wi_1.weight", new Shape(config.dFf(), d));
            } else {
                shapes.put(ff + "wi.weight", new Shape(config.dFf(), d));
            }
            shapes.put(ff + "wo.weight", new Shape(d, config.dFf()));
            shapes.put(norm(stack, i, feedForwardIndex(stack)), new Shape(d));
        }
        shapes.put(finalNorm(stack), new Shape(d));
    }

    private static void addAttention(Map<String, Shape> shapes, String prefix, long d, long inner) {
        shapes.put(prefix + "q.weight", new Shape(inner, d));
        shapes.put(prefix + "k.weight", new Shape(inner, d));
        shapes.put(prefix + "v.weight", new Shape(inner, d));
        shapes.put(prefix + "o.weight", new Shape(d, inner));
    }
}
