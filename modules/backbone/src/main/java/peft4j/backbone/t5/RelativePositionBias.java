package peft4j.backbone.t5;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;

/**
 * T5's relative position bias (Raffel et al. 2020, section 2.1): each head adds a learned scalar per bucket of the
 * distance {@code key − query} to its attention scores. Buckets are exact for small distances and logarithmic up to
 * {@code maxDistance}; the encoder's are bidirectional, the decoder's look only backwards.
 *
 * @param table         {@code [buckets, heads]}, block 0's {@code relative_attention_bias.weight}
 * @param bidirectional true for the encoder
 */
record RelativePositionBias(NDArray table, boolean bidirectional, int buckets, int maxDistance) {

    /**
     * Hugging Face's {@code T5Attention._relative_position_bucket} for one distance, with its float32 arithmetic so
     * that the logarithmic buckets round as they do there.
     */
    static int bucket(int relativePosition, boolean bidirectional, int buckets, int maxDistance) {
        int offset = 0;
        int distance;
        if (bidirectional) {
            buckets /= 2;
            offset = relativePosition > 0 ? buckets : 0;
            distance = Math.abs(relativePosition);
        } else {
            distance = -Math.min(relativePosition, 0);
        }
        int maxExact = buckets / 2;
        if (distance < maxExact) {
            return offset + distance;
        }
        float logRatio = (float) Math.log((float) distance / maxExact);
        float scaled = logRatio / (float) Math.log((double) maxDistance / maxExact) * (buckets - maxExact);
        return offset + Math.min(maxExact + (int) scaled, buckets - 1);
    }

    /**
     * The bias {@code [1, heads, queries, keys]} for queries at positions {@code firstQuery ..} and keys at positions
     * {@code 0 .. keys-1} (a prefix of length P puts the first token query at P). New arrays go to {@code manager}.
     */
    NDArray forPositions(long firstQuery, long queries, long keys, NDManager manager) {
        int lowest = Math.toIntExact(-(firstQuery + queries - 1));
        int highest = Math.toIntExact(keys - 1 - firstQuery);
        long[] bucketOfDistance = new long[highest - lowest + 1];
        for (int r = lowest; r <= highest; r++) {
            bucketOfDistance[r - lowest] = bucket(r, bidirectional, buckets, maxDistance);
        }
        // One bias row per distinct distance, then one gather by the [queries, keys] distance grid.
        NDArray perDistance = lookup(manager.create(bucketOfDistance), table);
        NDArray keyPositions = manager.arange(0f, keys, 1f, DataType.FLOAT32).reshape(1, keys);
        NDArray queryPositions = manager.arange(firstQuery, firstQuery + queries, 1f, DataType.FLOAT32)
                .reshape(queries, 1);
        NDArray distanceIndex = keyPositions.sub(queryPositions).sub(lowest).toType(DataType.INT64, false);
        return lookup(distanceIndex, perDistance).transpose(2, 0, 1).expandDims(0);
    }

    private static NDArray lookup(NDArray rows, NDArray matrix) {
        return Embedding.embedding(rows, matrix, SparseFormat.DENSE).singletonOrThrow();
    }
}
