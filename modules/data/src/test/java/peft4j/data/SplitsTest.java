package peft4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SplitsTest {

    /** 2,000 examples per label, like polarity. */
    private static List<Example> balanced(int perLabel) {
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < 2 * perLabel; i++) {
            examples.add(Example.of(String.format("t-%05d", i), "sentence " + i, i < perLabel ? "positive" : "negative"));
        }
        return examples;
    }

    @Test
    void sameSeedGivesSameSplitsWhateverTheInputOrder() {
        List<Example> examples = balanced(2000);
        List<Example> shuffled = new ArrayList<>(examples);
        Collections.shuffle(shuffled, new Random(7));

        assertThat(Splits.stratified(shuffled, 42, 0.8, 0.1)).isEqualTo(Splits.stratified(examples, 42, 0.8, 0.1));
    }

    @Test
    void differentSeedGivesDifferentSplits() {
        List<Example> examples = balanced(2000);

        TaskSplits a = Splits.stratified(examples, 42, 0.8, 0.1);
        TaskSplits b = Splits.stratified(examples, 43, 0.8, 0.1);

        assertThat(ids(a.test())).isNotEqualTo(ids(b.test()));
    }

    @Test
    void keepsEachLabelsShareInEverySplit() {
        TaskSplits splits = Splits.stratified(balanced(2000), 42, 0.8, 0.1);

        assertThat(splits.sizes()).containsExactly(
                entry("train", 3200),
                entry("dev", 400),
                entry("test", 400));
        assertThat(labelCount(splits.train(), "positive")).isEqualTo(1600);
        assertThat(labelCount(splits.dev(), "positive")).isEqualTo(200);
        assertThat(labelCount(splits.test(), "negative")).isEqualTo(200);
    }

    @Test
    void splitsAreDisjointAndCoverEveryExample() {
        List<Example> examples = balanced(37);
        TaskSplits splits = Splits.stratified(examples, 1, 0.8, 0.1);

        List<String> all = new ArrayList<>();
        all.addAll(ids(splits.train()));
        all.addAll(ids(splits.dev()));
        all.addAll(ids(splits.test()));
        assertThat(all).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids(examples));
    }

    @Test
    void interleavesLabelsWithinASplit() {
        TaskSplits splits = Splits.stratified(balanced(2000), 42, 0.8, 0.1);

        List<String> firstLabels = splits.train().subList(0, 50).stream().map(Example::label).toList();
        assertThat(firstLabels).contains("positive", "negative");
    }

    @Test
    void rejectsDuplicateIdsAndBadFractions() {
        List<Example> duplicated = List.of(Example.of("x", "a", "positive"), Example.of("x", "b", "negative"));

        assertThatThrownBy(() -> Splits.stratified(duplicated, 1, 0.8, 0.1)).hasMessageContaining("share the id x");
        assertThatThrownBy(() -> Splits.stratified(balanced(5), 1, 0.9, 0.2)).hasMessageContaining("fractions");
    }

    private static List<String> ids(List<Example> examples) {
        return examples.stream().map(Example::id).collect(Collectors.toList());
    }

    private static long labelCount(List<Example> examples, String label) {
        return examples.stream().filter(e -> e.label().equals(label)).count();
    }

    @Test
    void groupedSplitKeepsEachGroupInOneSplitAndIsDeterministic() {
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            examples.add(Example.of(String.format("t-g%02d-%04d", i % 50, i), "s" + i, i % 2 == 0 ? "yes" : "no"));
        }
        java.util.function.Function<Example, String> group = e -> e.id().substring(2, 5);
        List<Example> shuffled = new ArrayList<>(examples);
        Collections.shuffle(shuffled, new Random(3));

        TaskSplits splits = Splits.grouped(examples, group, 42, 0.8, 0.1);

        assertThat(Splits.grouped(shuffled, group, 42, 0.8, 0.1)).isEqualTo(splits);
        assertThat(splits.sizes()).containsExactly(entry("train", 800), entry("dev", 100), entry("test", 100));
        java.util.Set<String> trainGroups = splits.train().stream().map(group).collect(Collectors.toSet());
        assertThat(splits.dev()).noneMatch(e -> trainGroups.contains(group.apply(e)));
        assertThat(splits.test()).noneMatch(e -> trainGroups.contains(group.apply(e)));
        assertThat(ids(Splits.grouped(examples, group, 7, 0.8, 0.1).test())).isNotEqualTo(ids(splits.test()));
    }

    @Test
    void groupedSplitMissesTargetsByLessThanTheLargestGroup() {
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < 300; i++) { // one group of 60, then groups of 3..
            String g = i < 60 ? "big" : "g" + (i / 3);
            examples.add(Example.of(String.format("t-%s-%04d", g, i), "s" + i, "yes"));
        }
        TaskSplits splits = Splits.grouped(examples, e -> e.id().substring(2, e.id().lastIndexOf('-')), 1, 0.8, 0.1);

        assertThat(splits.total()).isEqualTo(300);
        assertThat(Math.abs(splits.train().size() - 240)).isLessThan(60);
        assertThat(Math.abs(splits.dev().size() - 30)).isLessThan(60);
    }
}
