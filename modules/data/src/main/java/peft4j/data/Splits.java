package peft4j.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/** Divides examples into train, dev and test. */
public final class Splits {

    private Splits() {
    }

    /**
     * A stratified split: each label's examples are shuffled and cut into the given fractions, so every split keeps
     * the label balance of the whole. The result depends only on the examples and the seed, not on the input order:
     * examples are sorted by id first, labels are visited in sorted order, and one {@link Random} of {@code seed}
     * drives every shuffle. Each split is finally shuffled too, so its labels are interleaved.
     *
     * @param trainFraction fraction of each label's examples for training, rounded to the nearest example
     * @param devFraction   fraction for development, rounded likewise; the rest is test
     * @throws IllegalArgumentException if the fractions are out of range or two examples share an id
     */
    public static TaskSplits stratified(List<Example> examples, long seed, double trainFraction, double devFraction) {
        if (!(trainFraction > 0 && devFraction >= 0 && trainFraction + devFraction <= 1)) {
            throw new IllegalArgumentException("fractions must satisfy 0 < train, 0 <= dev, train + dev <= 1; got train "
                    + trainFraction + ", dev " + devFraction);
        }
        Random random = new Random(seed);
        List<Example> train = new ArrayList<>();
        List<Example> dev = new ArrayList<>();
        List<Example> test = new ArrayList<>();
        for (List<Example> group : byLabel(sortedById(examples)).values()) {
            Collections.shuffle(group, random);
            int n = group.size();
            int trainCount = (int) Math.round(n * trainFraction);
            int devCount = Math.min((int) Math.round(n * devFraction), n - trainCount);
            train.addAll(group.subList(0, trainCount));
            dev.addAll(group.subList(trainCount, trainCount + devCount));
            test.addAll(group.subList(trainCount + devCount, n));
        }
        Collections.shuffle(train, random);
        Collections.shuffle(dev, random);
        Collections.shuffle(test, random);
        return new TaskSplits(train, dev, test);
    }

    private static List<Example> sortedById(List<Example> examples) {
        List<Example> sorted = new ArrayList<>(examples);
        sorted.sort(Comparator.comparing(Example::id));
        Set<String> seen = new HashSet<>();
        for (Example example : sorted) {
            if (!seen.add(example.id())) {
                throw new IllegalArgumentException("two examples share the id " + example.id());
            }
        }
        return sorted;
    }

    private static Map<String, List<Example>> byLabel(List<Example> examples) {
        Map<String, List<Example>> groups = new TreeMap<>();
        for (Example example : examples) {
            groups.computeIfAbsent(example.label(), label -> new ArrayList<>()).add(example);
        }
        return groups;
    }
}
