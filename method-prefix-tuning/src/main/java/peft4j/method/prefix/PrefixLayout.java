package peft4j.method.prefix;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import peft4j.api.AttentionStack;
import peft4j.api.BackboneSpec;
import peft4j.api.UserError;

/**
 * Where each attention layer's key and value prefixes sit in the prefix table {@code [L, slots · heads · headSize]}.
 * A slot is one {@code heads · headSize} block of columns; prefix position p, head h, dimension d of slot s is
 * {@code table[p, s·heads·headSize + h·headSize + d]}, PEFT's layout (it views the table as
 * {@code [L, slots, heads, headSize]}).
 *
 * @param slots          slots in the table
 * @param heads          attention heads
 * @param headSize       width of one head
 * @param inputLayers    layers of the input stack that get prefixes (0 for none)
 * @param decoderLayers  layers of the decoder stack that get prefixes (0 for none)
 * @param peftSeq2Seq    PEFT 0.6.2's encoder-decoder layout (decoder only, see {@link #peftSeq2SeqSlot})
 */
record PrefixLayout(int slots, int heads, int headSize, int inputLayers, int decoderLayers, boolean peftSeq2Seq) {

    /**
     * One key and one value slot per layer: the input stack's layer l at slots 2l and 2l+1, then the decoder's layer l
     * at 2(n+l) and 2(n+l)+1. For a single stack this is PEFT's layout for models with one transformer submodule.
     */
    static PrefixLayout perLayer(int inputLayers, int decoderLayers, int heads, int headSize) {
        return new PrefixLayout(2 * (inputLayers + decoderLayers), heads, headSize, inputLayers, decoderLayers, false);
    }

    /**
     * PEFT 0.6.2 for seq2seq models: a table of {@code 2·numLayers} slots that {@code get_prompt} duplicates
     * ({@code cat([x, x])}) and splits into groups of four per decoder layer (self key, self value, cross key, cross
     * value); only the decoder's self-attention uses its prefix.
     */
    static PrefixLayout peftSeq2Seq(int numLayers, int heads, int headSize) {
        return new PrefixLayout(2 * numLayers, heads, headSize, 0, numLayers, true);
    }

    /** The layout a config asks for on a backbone; a UserError when PEFT's layout does not fit the backbone. */
    static PrefixLayout of(BackboneSpec spec, PrefixTuningConfig config) {
        int heads = spec.attentionHeads();
        int headSize = spec.headSize();
        if (spec.decoderLayers() == 0) {
            return perLayer(spec.layers(), 0, heads, headSize);
        }
        if (!config.peftCompat()) {
            return perLayer(spec.layers(), config.decoder() ? spec.decoderLayers() : 0, heads, headSize);
        }
        if (heads * headSize != spec.hiddenSize() || spec.layers() != spec.decoderLayers()) {
            throw new UserError("peft_compat needs heads x head size = hidden size and as many decoder as encoder "
                    + "layers, as PEFT assumes; this " + spec.architecture() + " has " + heads + " x " + headSize
                    + " vs " + spec.hiddenSize() + ", " + spec.layers() + "/" + spec.decoderLayers()
                    + " layers; drop peft_compat");
        }
        return peftSeq2Seq(spec.layers(), heads, headSize);
    }

    /**
     * PEFT's slot for entry {@code k} (0 self key, 1 self value, 2 cross key, 3 cross value) of decoder layer
     * {@code layer}: after {@code cat([x, x])} over 2·numLayers slots and a split into fours, {@code (4·layer + k)
     * mod 2·numLayers}.
     */
    static int peftSeq2SeqSlot(int numLayers, int layer, int k) {
        return (4 * layer + k) % (2 * numLayers);
    }

    /** Columns of one slot. */
    int slotWidth() {
        return heads * headSize;
    }

    /** Columns of the whole table. */
    int width() {
        return slots * slotWidth();
    }

    /** The key slot of a layer, or -1 when the layer gets no prefix. */
    int keySlot(AttentionStack stack, int layer) {
        return slot(stack, layer, 0);
    }

    /** The value slot of a layer, or -1 when the layer gets no prefix. */
    int valueSlot(AttentionStack stack, int layer) {
        return slot(stack, layer, 1);
    }

    private int slot(AttentionStack stack, int layer, int k) {
        if (stack == AttentionStack.INPUT) {
            return layer < inputLayers ? 2 * layer + k : -1;
        }
        if (layer >= decoderLayers) {
            return -1;
        }
        return peftSeq2Seq ? peftSeq2SeqSlot(decoderLayers, layer, k) : 2 * (inputLayers + layer) + k;
    }

    /** Slot {@code s} of a table {@code [L, width]} as {@code [heads, L, headSize]} values, row-major. */
    float[] slotValues(float[] table, int length, int s) {
        float[] out = new float[heads * length * headSize];
        for (int h = 0; h < heads; h++) {
            for (int p = 0; p < length; p++) {
                System.arraycopy(table, p * width() + s * slotWidth() + h * headSize, out,
                        (h * length + p) * headSize, headSize);
            }
        }
        return out;
    }

    /** Slot {@code s} of a table NDArray {@code [L, width]} as {@code [heads, L, headSize]}; differentiable. */
    NDArray slot(NDArray table, int s) {
        long length = table.getShape().get(0);
        return table.get(new NDIndex(":, {}:{}", (long) s * slotWidth(), (long) (s + 1) * slotWidth()))
                .reshape(length, heads, headSize).transpose(1, 0, 2);
    }
}
