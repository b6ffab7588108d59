package peft4j.data.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import peft4j.api.UserError;
import peft4j.data.Example;
import peft4j.data.Splits;
import peft4j.data.TaskSplits;
import peft4j.data.Tasks;

class PlagiarismSourceTest {

    private final PlagiarismSource source = new PlagiarismSource(Tasks.get("paraphrase-plagiarism"));

    @Test
    void sourceIsTheTextTheAnswerThePairAndLevelsOneToThreeAreEquivalent() {
        String csv = "\uFEFF\"\u0091Greedy\u0092 answer,\r\nmy own\",\"Wikipedia text\",\"0\"\r\n"
                + "\"copied text\",\"Wikipedia text\",\"3\"\r\n";

        assertThat(source.parseCsv(csv, "p.csv")).containsExactly(
                new Example("paraphrase-plagiarism-000", "Wikipedia text", "‘Greedy’ answer, my own", "not_equivalent"),
                new Example("paraphrase-plagiarism-001", "Wikipedia text", "copied text", "equivalent"));
    }

    @Test
    void unknownLevelNamesTheLine() {
        assertThatThrownBy(() -> source.parseCsv("a,b,4\n", "p.csv"))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("p.csv line 1");
    }

    @Test
    void evaluationOnlyTaskPutsEverythingInTest() {
        List<Example> examples = source.parseCsv("a,b,0\nc,d,1\ne,f,2\n", "p.csv");

        TaskSplits splits = Splits.stratified(examples, 42, 0, 0);

        assertThat(splits.train()).isEmpty();
        assertThat(splits.dev()).isEmpty();
        assertThat(splits.test()).hasSize(3);
        assertThat(Tasks.get("paraphrase-plagiarism").expectedSizes().test()).isEqualTo(95);
    }
}
