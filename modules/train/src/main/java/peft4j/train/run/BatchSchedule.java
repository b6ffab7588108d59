package peft4j.train.run;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Which training examples form batch number {@code step}: a pure function of the seed and the step, so a resumed run
 * sees exactly the batches an uninterrupted one would. Each epoch is shuffled, cut into pools of 50 batches, each
 * pool sorted by length (little padding), and the batches' order shuffled again.
 */
public final class BatchSchedule {

    private static final int POOL_BATCHES = 50;

    private final int[] lengths;
    private final int batchSize;
    private final long seed;
    private int cachedEpoch = -1;
    private List<int[]> cachedBatches;

    public BatchSchedule(int[] lengths, int batchSize, long seed) {
        if (lengths.length == 0) {
            throw new IllegalArgumentException("no training examples");
        }
        this.lengths = lengths;
        this.batchSize = Math.min(batchSize, lengths.length);
        this.seed = seed;
    }

    public int batchesPerEpoch() {
        return (lengths.length + batchSize - 1) / batchSize;
    }

    /** Indices of the examples in batch {@code step} (0-based, counting across epochs). */
    public int[] batch(long step) {
        int epoch = (int) (step / batchesPerEpoch());
        if (epoch != cachedEpoch) {
            cachedBatches = epochBatches(epoch);
            cachedEpoch = epoch;
        }
        return cachedBatches.get((int) (step % batchesPerEpoch()));
    }

    private List<int[]> epochBatches(int epoch) {
        Random random = new Random(seed * 1_000_003L + epoch);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < lengths.length; i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        List<int[]> batches = new ArrayList<>();
        int pool = POOL_BATCHES * batchSize;
        for (int start = 0; start < order.size(); start += pool) {
            List<Integer> chunk = new ArrayList<>(order.subList(start, Math.min(order.size(), start + pool)));
            chunk.sort(Comparator.comparingInt(i -> lengths[i]));
            for (int b = 0; b < chunk.size(); b += batchSize) {
                batches.add(chunk.subList(b, Math.min(chunk.size(), b + batchSize)).stream()
                        .mapToInt(Integer::intValue).toArray());
            }
        }
        Collections.shuffle(batches, random);
        return batches;
    }
}
