package peft4j.train.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import peft4j.backbone.tokenizer.BertTokenizer;
import peft4j.data.TaskDefinition;
import peft4j.data.Tasks;
import peft4j.train.head.ClozeHead;

/** Dev checks score with the task's own metric, so acceptability picks its best adapter by Matthews correlation. */
class EvaluatorScoreTest {

    private static ClozeHead.Encoded labelled(int label) {
        return new ClozeHead.Encoded(new BertTokenizer.Encoded(new long[] {1}, new long[] {0}, new String[] {"x"}), 0,
                label);
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
}
