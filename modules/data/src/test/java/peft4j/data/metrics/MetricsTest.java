package peft4j.data.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

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

    @Test
    void rejectsMismatchedListsAndUnknownNames() {
        assertThatThrownBy(() -> Metrics.accuracy(List.of("a"), List.of())).hasMessageContaining("1 values");
        assertThatThrownBy(() -> Metrics.score("bleu", LABELS, GOLD, PREDICTED)).hasMessageContaining("unknown metric");
    }
}
