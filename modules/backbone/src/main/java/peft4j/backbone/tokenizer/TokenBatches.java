package peft4j.backbone.tokenizer;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import peft4j.api.TokenBatch;

/** Pads encoded texts on the right into one {@link TokenBatch}. */
public final class TokenBatches {

    private TokenBatches() {
    }

    public static TokenBatch pad(List<BertTokenizer.Encoded> texts, long padId, NDManager manager) {
        int length = texts.stream().mapToInt(BertTokenizer.Encoded::length).max().orElse(0);
        int rows = texts.size();
        long[] ids = new long[rows * length];
        long[] mask = new long[rows * length];
        long[] types = new long[rows * length];
        java.util.Arrays.fill(ids, padId);
        for (int r = 0; r < rows; r++) {
            BertTokenizer.Encoded text = texts.get(r);
            System.arraycopy(text.ids(), 0, ids, r * length, text.length());
            System.arraycopy(text.typeIds(), 0, types, r * length, text.length());
            java.util.Arrays.fill(mask, r * length, r * length + text.length(), 1L);
        }
        Shape shape = new Shape(rows, length);
        return new TokenBatch(manager.create(ids, shape), manager.create(mask, shape), manager.create(types, shape));
    }
}
