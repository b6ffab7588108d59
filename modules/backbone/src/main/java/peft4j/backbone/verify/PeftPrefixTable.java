package peft4j.backbone.verify;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import peft4j.api.AttentionPrefixHook;
import peft4j.api.AttentionStack;
import peft4j.api.KeyValuePrefix;

/**
 * PEFT 0.6.2's prefix tuning of a seq2seq model, read from its trainable table {@code [P, 2·layers·heads·headSize]}:
 * {@code get_prompt} views the table as {@code 2·layers} slots, doubles them and splits them into groups of four per
 * decoder layer, so decoder layer {@code l} reads its self-attention keys from slot {@code 4l mod 2·layers} and its
 * values from slot {@code (4l+1) mod 2·layers}. The encoder gets nothing, and Hugging Face T5 ignores the cross
 * entries (slots {@code 4l+2}, {@code 4l+3}) whenever P differs from the encoder length. See
 * golden/t5-tiny-v1_1-prefix-tuning/README.md.
 */
public record PeftPrefixTable(NDArray table, int layers, int heads, int headSize) implements AttentionPrefixHook {

    @Override
    public KeyValuePrefix prefix(AttentionStack stack, int layer, long batchSize) {
        if (stack != AttentionStack.DECODER) {
            return null;
        }
        return new KeyValuePrefix(slot(entry(layer, 0), batchSize), slot(entry(layer, 1), batchSize));
    }

    /** The slot of entry {@code k} (0 self key, 1 self value, 2 cross key, 3 cross value) of decoder layer {@code l}. */
    public int entry(int layer, int k) {
        return (4 * layer + k) % (2 * layers);
    }

    /** Slot {@code s} as {@code [batch, heads, P, headSize]}: {@code table[p, s·H·d + h·d + i]}. */
    public NDArray slot(int s, long batchSize) {
        long width = (long) heads * headSize;
        long length = table.getShape().get(0);
        return table.get(new NDIndex(":, {}:{}", s * width, (s + 1) * width))
                .reshape(length, heads, headSize).transpose(1, 0, 2).expandDims(0)
                .broadcast(batchSize, heads, length, headSize);
    }
}
