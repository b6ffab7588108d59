package peft4j.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

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
        checkFractions(trainFraction, devFraction);
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

    /**
     * A split that keeps groups together: no group (e.g. a grammar rule, a lemma, a book) has examples in two splits,
     * so a model is tested on groups it never saw. Groups are sorted by name, shuffled with one {@link Random} of
     * {@code seed}, and dealt in that order, each to the split furthest below its target size ({@code trainFraction}
     * and {@code devFraction} of all examples, the rest for test), so each split misses its target by less than the
     * largest group. Each split is finally shuffled so groups are interleaved.
     * Like {@link #stratified}, the result does not depend on the input order. Labels are not stratified: a task
     * that wants balance builds it into each group.
     *
     * @param groupOf the group of each example
     */
    public static TaskSplits grouped(List<Example> examples, Function<Example, String> groupOf, long seed,
            double trainFraction, double devFraction) {
        checkFractions(trainFraction, devFraction);
        Map<String, List<Example>> groups = new TreeMap<>();
        for (Example example : sortedById(examples)) {
            String group = Objects.requireNonNull(groupOf.apply(example), () -> "no group for " + example.id());
            groups.computeIfAbsent(group, g -> new ArrayList<>()).add(example);
        }
        List<String> order = new ArrayList<>(groups.keySet());
        Random random = new Random(seed);
        Collections.shuffle(order, random);
        long trainTarget = Math.round(examples.size() * trainFraction);
        long devTarget = Math.round(examples.size() * devFraction);
        long[] targets = {trainTarget, devTarget, examples.size() - trainTarget - devTarget};
        List<List<Example>> splits = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (String group : order) {
            int neediest = 0; // the split furthest below its target; ties go to the earlier split
            for (int s = 1; s < 3; s++) {
                if (targets[s] - splits.get(s).size() > targets[neediest] - splits.get(neediest).size()) {
                    neediest = s;
                }
            }
            splits.get(neediest).addAll(groups.get(group));
        }
        List<Example> train = splits.get(0);
        List<Example> dev = splits.get(1);
        List<Example> test = splits.get(2);
        Collections.shuffle(train, random);
        Collections.shuffle(dev, random);
        Collections.shuffle(test, random);
        return new TaskSplits(train, dev, test);
    }

    private static void checkFractions(double trainFraction, double devFraction) {
        boolean evaluationOnly = trainFraction == 0 && devFraction == 0;
        if (!evaluationOnly && !(trainFraction > 0 && devFraction >= 0 && trainFraction + devFraction <= 1)) {
            throw new IllegalArgumentException("fractions must satisfy 0 < train, 0 <= dev, train + dev <= 1 (or train"
                    + " = dev = 0: everything is test); got train "
                    + trainFraction + ", dev " + devFraction);
        }
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
