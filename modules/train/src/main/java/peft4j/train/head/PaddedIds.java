package peft4j.train.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import peft4j.api.TokenBatch;

/** Rows of token ids of different lengths, right-padded into one array. */
final class PaddedIds {

    private PaddedIds() {
    }

    /** A {@link TokenBatch}: ids padded with {@code padId}, mask 1 on real tokens, segment ids 0. */
    static TokenBatch batch(List<long[]> rows, long padId, NDManager manager) {
        int length = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        long[] mask = new long[rows.size() * length];
        for (int r = 0; r < rows.size(); r++) {
            Arrays.fill(mask, r * length, r * length + rows.get(r).length, 1L);
        }
        Shape shape = new Shape(rows.size(), length);
        return new TokenBatch(array(rows, padId, manager), manager.create(mask, shape),
                manager.zeros(shape, DataType.INT64));
    }

    /** {@code [rows, longest]} int64, short rows filled with {@code fill}. */
    static NDArray array(List<long[]> rows, long fill, NDManager manager) {
        int length = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        long[] ids = new long[rows.size() * length];
        Arrays.fill(ids, fill);
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(rows.get(r), 0, ids, r * length, rows.get(r).length);
        }
        return manager.create(ids, new Shape(rows.size(), length));
    }
}
