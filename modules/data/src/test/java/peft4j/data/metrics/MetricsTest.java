package peft4j.data.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import peft4j.data.Example;

/** Each score checked against values worked out by hand. */
class MetricsTest {

    private static final List<String> LABELS = List.of("no", "yes");
    // tp = 3 (yes/yes), fn = 1 (yes/no), fp = 2 (no/yes), tn = 4 (no/no)
    private static final List<String> GOLD = List.of("yes", "yes", "yes", "yes", "no", "no", "no", "no", "no", "no");
    private static final List<String> PREDICTED =
            List.of("yes", "yes", "yes", "no", "yes", "yes", "no", "no", "no", "no");

    @Test
    void accuracyCountsAgreements() {
        assertThat(Metrics.accuracy(GOLD, PREDICTED)).isEqualTo(0.7);
        assertThat(Metrics.accuracy(List.of(), List.of())).isZero();
    }

    @Test
    void f1OfThePositiveClass() {
        // precision 3/5, recall 3/4: F1 = 2*3 / (2*3 + 2 + 1) = 6/9
        assertThat(Metrics.f1(GOLD, PREDICTED, "yes")).isCloseTo(6.0 / 9, within(1e-12));
        assertThat(Metrics.score(Metrics.F1, LABELS, GOLD, PREDICTED)).isCloseTo(6.0 / 9, within(1e-12));
        assertThat(Metrics.f1(List.of("no"), List.of("no"), "yes")).isZero();
    }

    @Test
    void macroF1AveragesBothClasses() {
        // class no: tp 4, fp 1, fn 2 -> 8/11; class yes: 6/9
        assertThat(Metrics.macroF1(GOLD, PREDICTED, LABELS)).isCloseTo((8.0 / 11 + 6.0 / 9) / 2, within(1e-12));
    }

    @Test
    void matthewsMatchesTheBinaryFormula() {
        // (3*4 - 2*1) / sqrt(5 * 4 * 6 * 5) = 10 / sqrt(600)
        assertThat(Metrics.matthews(GOLD, PREDICTED, LABELS)).isCloseTo(10 / Math.sqrt(600), within(1e-12));
        assertThat(Metrics.matthews(GOLD, GOLD, LABELS)).isCloseTo(1, within(1e-12));
        List<String> inverted = GOLD.stream().map(g -> g.equals("yes") ? "no" : "yes").toList();
        assertThat(Metrics.matthews(GOLD, inverted, LABELS)).isCloseTo(-1, within(1e-12));
    }

    @Test
    void matthewsOfAConstantPredictorIsZero() {
        assertThat(Metrics.matthews(GOLD, List.of("no", "no", "no", "no", "no", "no", "no", "no", "no", "no"), LABELS))
                .isZero();
    }

    @Test
    void matthewsForThreeClasses() {
        // confusion rows gold a,b,c: a=[2,0,0], b=[0,1,1], c=[0,0,2]; n=6, correct=5,
        // predicted totals 2,1,3; gold totals 2,2,2: (5*6 - (4+2+6)) / sqrt((36-14)*(36-12)) = 18 / sqrt(528)
        List<String> gold = List.of("a", "a", "b", "b", "c", "c");
        List<String> predicted = List.of("a", "a", "b", "c", "c", "c");
        assertThat(Metrics.matthews(gold, predicted, List.of("a", "b", "c"))).isCloseTo(18 / Math.sqrt(528),
                within(1e-12));
    }

    @Test
    void exactMatchAndTokenF1NormaliseLikeSquad() {
        assertThat(Metrics.normalise("The  Eiffel Tower!")).isEqualTo("eiffel tower");
        assertThat(Metrics.exactMatch(List.of("The Eiffel Tower", "Paris"), List.of("eiffel tower.", "Lyon")))
                .isEqualTo(0.5);
        // gold "eiffel tower", predicted "tower in paris": common 1, precision 1/3, recall 1/2 -> F1 0.4
        assertThat(Metrics.tokenF1("the Eiffel Tower", "tower in Paris")).isCloseTo(0.4, within(1e-12));
        assertThat(Metrics.tokenF1(List.of("a b", "c"), List.of("a b", "d"))).isCloseTo(0.5, within(1e-12));
        assertThat(Metrics.tokenF1("the", "")).isEqualTo(1);
    }

    private static Example.Group group(String id, String candidate, String... answers) {
        return new Example.Group(id, candidate, List.of(answers));
    }

    @Test
    void multiRcExactMatchCountsQuestionsWithEveryAnswerRight() {
        List<Example.Group> groups = List.of(group("q1", "a"), group("q1", "b"), group("q2", "c"), group("q1", "d"),
                group("q2", "e"), group("q3", "f"));
        List<String> gold = List.of("true", "false", "false", "true", "true", "true");
        List<String> predicted = List.of("true", "false", "true", "true", "true", "false");
        List<String> labels = List.of("false", "true");
        double[] unused = new double[6];
        // q1 (answers 0, 1, 3): all right; q2 (2, 4): answer 2 wrong; q3 (5): wrong -> EM 1/3,
        // while 4 of the 6 answers are right -> accuracy 4/6
        assertThat(Metrics.multiRcExactMatch(groups, gold, predicted)).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(Metrics.score(Metrics.MULTIRC_EM, labels, gold, predicted, groups, unused))
                .isCloseTo(1.0 / 3, within(1e-12));
        assertThat(Metrics.score(Metrics.ACCURACY, labels, gold, predicted, groups, unused))
                .isCloseTo(4.0 / 6, within(1e-12));
        // F1a pools all answers: gold true at 0, 3, 4, 5; predicted true at 0, 2, 3, 4 -> tp 3, fp 1, fn 1:
        // 2*3 / (2*3 + 1 + 1) = 0.75
        assertThat(Metrics.score(Metrics.F1A, labels, gold, predicted)).isCloseTo(0.75, within(1e-12));
        assertThat(Metrics.score(Metrics.F1A, labels, gold, predicted, groups, unused)).isCloseTo(0.75, within(1e-12));
    }

    @Test
    void recordAnswersEachQueryWithItsBestScoredCandidate() {
        List<Example.Group> groups = List.of(
                group("A", "the Eiffel Tower", "Eiffel Tower"),
                group("B", "United States", "United States", "US"),
                group("A", "Paris", "Eiffel Tower"),
                group("C", "Tower in Paris", "the Eiffel Tower", "Eiffel Tower restaurant"),
                group("B", "US", "United States", "US"),
                group("A", "Lyon", "Eiffel Tower"),
                group("D", "The Louvre", "Louvre"),
                group("C", "Eiffel", "the Eiffel Tower", "Eiffel Tower restaurant"),
                group("B", "Washington", "United States", "US"),
                group("D", "Louvre Museum", "Louvre"));
        double[] scores = {0.2, 0.7, 0.9, 0.8, 0.3, 0.5, 0.5, 0.6, 0.1, 0.5};
        // Chosen: A "Paris" (0.9): EM 0, F1 0. B "United States" (0.7): EM 1, F1 1.
        // C "Tower in Paris" (0.8): EM 0; F1 against "eiffel tower": common 1, P 1/3, R 1/2 -> 0.4, against
        //   "eiffel tower restaurant": P 1/3, R 1/3 -> 1/3; the max is 0.4.
        // D tie at 0.5: the first, "The Louvre", normalises to "louvre": EM 1, F1 1.
        // EM (0 + 1 + 0 + 1) / 4 = 0.5; F1 (0 + 1 + 0.4 + 1) / 4 = 0.6
        assertThat(Metrics.recordExactMatch(groups, scores)).isCloseTo(0.5, within(1e-12));
        assertThat(Metrics.recordTokenF1(groups, scores)).isCloseTo(0.6, within(1e-12));
        List<String> labels = List.of("false", "true");
        List<String> any = java.util.Collections.nCopies(10, "false");
        assertThat(Metrics.score(Metrics.RECORD_EM, labels, any, any, groups, scores)).isCloseTo(0.5, within(1e-12));
        assertThat(Metrics.score(Metrics.RECORD_F1, labels, any, any, groups, scores)).isCloseTo(0.6, within(1e-12));
        assertThat(Metrics.recordExactMatch(List.of(), new double[0])).isZero();
    }

    @Test
    void groupedMetricsNeedGroups() {
        List<String> labels = List.of("false", "true");
        assertThat(Metrics.isGrouped(Metrics.MULTIRC_EM)).isTrue();
        assertThat(Metrics.isGrouped(Metrics.F1A)).isFalse();
        assertThatThrownBy(() -> Metrics.score(Metrics.RECORD_EM, labels, List.of("true"), List.of("true")))
                .hasMessageContaining("scores whole questions");
        java.util.List<Example.Group> missing = java.util.Arrays.asList((Example.Group) null);
        assertThatThrownBy(() -> Metrics.score(Metrics.MULTIRC_EM, labels, List.of("true"), List.of("true"), missing,
                new double[1])).hasMessageContaining("has no group");
    }

    @Test
    void rejectsMismatchedListsAndUnknownNames() {
        assertThatThrownBy(() -> Metrics.accuracy(List.of("a"), List.of())).hasMessageContaining("1 values");
        assertThatThrownBy(() -> Metrics.score("bleu", LABELS, GOLD, PREDICTED)).hasMessageContaining("unknown metric");
    }
}
