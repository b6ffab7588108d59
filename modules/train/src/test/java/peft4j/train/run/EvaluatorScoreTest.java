package peft4j.train.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import peft4j.backbone.tokenizer.BertTokenizer;
import peft4j.data.Example;
import peft4j.data.TaskDefinition;
import peft4j.data.Tasks;
import peft4j.data.benchmarks.Benchmarks;
import peft4j.train.head.ClozeHead;

/**
 * Dev checks score with the task's own metric, so acceptability picks its best adapter by Matthews correlation, and
 * MultiRC and ReCoRD are scored per question.
 */
class EvaluatorScoreTest {

    private static final BertTokenizer.Encoded ONE_TOKEN =
            new BertTokenizer.Encoded(new long[] {1}, new long[] {0}, new String[] {"x"});

    private static ClozeHead.Encoded labelled(int label) {
        return new ClozeHead.Encoded(ONE_TOKEN, 0, label);
    }

    /** An answer option of {@code question}; labels false = 0, true = 1. */
    private static ClozeHead.Encoded option(String question, String candidate, int label, String... answers) {
        return new ClozeHead.Encoded(ONE_TOKEN, 0, label, new Example.Group(question, candidate, List.of(answers)));
    }

    /** The card of {@code task} scored by {@code metric} instead of its headline metric. */
    private static TaskDefinition scoredBy(String task, String metric) {
        TaskDefinition t = Benchmarks.definition(task);
        return new TaskDefinition(t.name(), t.description(), t.labels(), t.template(), t.verbalizer(), t.textToText(),
                metric, t.source(), t.licence(), t.citation(), t.construction(), t.split(), t.expectedSizes());
    }

    @Test
    void scoresWithTheTasksMetric() {
        List<ClozeHead.Encoded> gold = List.of(labelled(0), labelled(1), labelled(0), labelled(0));
        Evaluator.Predictions predictions = new Evaluator.Predictions(new int[] {0, 1, 1, 0}, new float[4][]);
        TaskDefinition acceptability = Tasks.get("acceptability-lt");
        assertThat(acceptability.metric()).isEqualTo("matthews");
        // TP 1, FP 1, TN 2, FN 0 with the last label positive: (1*2 - 1*0) / sqrt(2*1*3*2).
        assertThat(predictions.score(acceptability, gold)).isCloseTo(2 / Math.sqrt(12), within(1e-9));
        assertThat(predictions.score(Tasks.get("polarity"), gold)).isEqualTo(0.75);
        assertThat(predictions.accuracy(gold)).isEqualTo(0.75);
    }

    @Test
    void multiRcExactMatchCountsWholeQuestionsNotAnswers() {
        List<ClozeHead.Encoded> gold = List.of(option("q1", "a", 1), option("q1", "b", 0), option("q2", "c", 1),
                option("q1", "d", 1), option("q2", "e", 0));
        // q1 (options 0, 1, 3) all right; q2 (2, 4): option 4 wrongly called true.
        float[][] probabilities = {{0.2f, 0.8f}, {0.9f, 0.1f}, {0.4f, 0.6f}, {0.3f, 0.7f}, {0.45f, 0.55f}};
        Evaluator.Predictions predictions = new Evaluator.Predictions(new int[] {1, 0, 1, 1, 1}, probabilities);

        // accuracy 4/5; EM: 1 of 2 questions; F1a: gold true 0, 2, 3, predicted true 0, 2, 3, 4 -> 2*3 / (6 + 1)
        assertThat(predictions.accuracy(gold)).isCloseTo(0.8, within(1e-12));
        assertThat(predictions.score(scoredBy("superglue-multirc", "multirc_em"), gold)).isCloseTo(0.5, within(1e-12));
        assertThat(predictions.score(Benchmarks.definition("superglue-multirc"), gold)).isCloseTo(6.0 / 7,
                within(1e-12));
    }

    @Test
    void recordAnswersEachQueryWithTheCandidateMostLikelyTrue() {
        List<ClozeHead.Encoded> gold = List.of(
                option("A", "Kim Motley", 1, "Kim Motley"), option("A", "Kim Jong", 0, "Kim Motley"),
                option("A", "US", 0, "Kim Motley"),
                option("B", "Haiti", 1, "Haiti"), option("B", "CNN", 0, "Haiti"));
        // P(true): A: Kim Motley 0.6, Kim Jong 0.7, US 0.1; B: Haiti 0.4, CNN 0.2. Argmax labels: 1, 1, 0, 0, 0.
        float[][] probabilities = {{0.4f, 0.6f}, {0.3f, 0.7f}, {0.9f, 0.1f}, {0.6f, 0.4f}, {0.8f, 0.2f}};
        Evaluator.Predictions predictions = new Evaluator.Predictions(new int[] {1, 1, 0, 0, 0}, probabilities);

        // Per example 3 of 5 right (Kim Jong and Haiti wrong). Per query: A picks Kim Jong (EM 0; token F1 against
        // "kim motley": common 1, P 1/2, R 1/2 -> 0.5), B picks Haiti although it was labelled false (EM 1, F1 1).
        assertThat(predictions.accuracy(gold)).isCloseTo(0.6, within(1e-12));
        assertThat(predictions.score(scoredBy("superglue-record", "record_em"), gold)).isCloseTo(0.5, within(1e-12));
        assertThat(predictions.score(Benchmarks.definition("superglue-record"), gold)).isCloseTo(0.75,
                within(1e-12));
    }

    @Test
    void anEvaluationLimitKeepsWholeQuestions() {
        List<ClozeHead.Encoded> dev = List.of(option("q1", "a", 1), option("q2", "b", 0), option("q1", "c", 0),
                option("q3", "d", 1), option("q2", "e", 1), option("q3", "f", 0));
        // q1 (2 options) and q2 (2) fit in 5; q3 would make 6.
        assertThat(EvaluationLimit.first(dev, 5, ClozeHead.Encoded::group))
                .extracting(e -> e.group().candidate()).containsExactly("a", "b", "c", "e");
        assertThat(EvaluationLimit.first(dev, 1, ClozeHead.Encoded::group)).hasSize(2); // one question at least
        assertThat(EvaluationLimit.first(dev, 0, ClozeHead.Encoded::group)).isSameAs(dev);
        List<ClozeHead.Encoded> plain = List.of(labelled(0), labelled(1), labelled(0));
        assertThat(EvaluationLimit.first(plain, 2, ClozeHead.Encoded::group)).containsExactly(plain.get(0),
                plain.get(1));
    }
}
