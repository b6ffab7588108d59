package peft4j.data.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import peft4j.api.UserError;
import peft4j.data.Example;
import peft4j.data.TaskDefinition;
import peft4j.data.TaskSplits;
import peft4j.data.metrics.Metrics;

/** Reads small fixtures written in the official GLUE and SuperGLUE file formats. */
class BenchmarksTest {

    @TempDir
    Path tmp;

    static List<String> names() {
        return Benchmarks.names();
    }

    private static Path fixture(String name) {
        try {
            return Path.of(BenchmarksTest.class.getResource("/peft4j/data/benchmarks/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void coversTheGlueAndSuperGlueTasks() {
        assertThat(Benchmarks.names()).containsExactly("glue-mrpc", "glue-qqp", "glue-rte", "glue-sst2",
                "superglue-boolq", "superglue-cb", "superglue-copa", "superglue-multirc", "superglue-record",
                "superglue-rte", "superglue-wic", "superglue-wsc");
        assertThat(Benchmarks.files("superglue-cb")).containsExactly("train.jsonl", "val.jsonl");
        assertThat(Benchmarks.files("glue-qqp")).containsExactly("train.tsv", "dev.tsv");
    }

    @ParameterizedTest
    @MethodSource("names")
    void everyTaskReadsItsFixtureIntoLabelledSplitsThatFillTheTemplate(String name) throws IOException {
        TaskDefinition task = Benchmarks.definition(name);
        TaskSplits splits = Benchmarks.read(name, fixture(name));

        assertThat(task.name()).isEqualTo(name);
        assertThat(Metrics.NAMES).contains(task.metric());
        assertThat(splits.train()).isNotEmpty();
        assertThat(splits.test()).isNotEmpty();
        for (String split : TaskSplits.NAMES) {
            for (Example example : splits.split(split)) {
                assertThat(task.labels()).contains(example.label());
                String prompt = task.fill(example);
                assertThat(prompt).contains(example.text()).contains("[MASK]");
                if (task.isPairTask()) {
                    assertThat(prompt).contains(example.textPair());
                }
                assertThat(task.textToTextInput(example)).contains(example.text());
            }
        }
        assertThat(Benchmarks.read(name, fixture(name))).isEqualTo(splits); // seeded
    }

    @Test
    void devIsAStratifiedTenthOfTheTrainingFileAndTestIsTheValidationFile() throws IOException {
        TaskSplits splits = Benchmarks.read("superglue-boolq", fixture("superglue-boolq"));

        assertThat(splits.sizes()).containsEntry("train", 18).containsEntry("dev", 2).containsEntry("test", 4);
        assertThat(splits.dev()).extracting(Example::label).containsExactlyInAnyOrder("false", "true");
        assertThat(splits.test().get(0)).isEqualTo(new Example("superglue-boolq-val-000000",
                "The sky is blue because of Rayleigh scattering.", "is the sky blue", "true"));
    }

    @Test
    void copaPutsThePremiseWithItsQuestionAndBothChoicesIntoTheExample() throws IOException {
        Example first = Benchmarks.read("superglue-copa", fixture("superglue-copa")).test().get(0);

        assertThat(first.text()).isEqualTo("My body cast a shadow over the grass. What was the cause?");
        assertThat(first.textPair()).isEqualTo("\"The sun was rising.\" or \"The grass was cut.\"");
        assertThat(first.label()).isEqualTo("choice1");
    }

    @Test
    void wscAsksAboutThePronounAndTheCandidate() throws IOException {
        Example first = Benchmarks.read("superglue-wsc", fixture("superglue-wsc")).test().get(0);

        assertThat(first.textPair()).isEqualTo("Does \"He\" refer to \"Mark\"?");
        assertThat(first.label()).isEqualTo("true");
    }

    @Test
    void multiRcGivesOneExamplePerAnswerGroupedByQuestionWithTagsRemoved() throws IOException {
        List<Example> test = Benchmarks.read("superglue-multirc", fixture("superglue-multirc")).test();

        String first = "superglue-multirc-val-000000";
        String second = "superglue-multirc-val-000001";
        assertThat(test).extracting(Example::id).containsExactly(first + "-q00-a00", first + "-q00-a01",
                first + "-q01-a00", first + "-q01-a01", first + "-q01-a02", second + "-q00-a00", second + "-q00-a01",
                second + "-q00-a02");
        assertThat(test).extracting(Example::label).containsExactly("false", "true", "true", "false", "true", "true",
                "true", "false");
        assertThat(test).extracting(e -> e.group().id()).containsExactly(first + "-q00", first + "-q00",
                first + "-q01", first + "-q01", first + "-q01", second + "-q00", second + "-q00", second + "-q00");
        assertThat(test.get(2).group()).isEqualTo(new Example.Group(first + "-q01", "No",
                List.of("No", "It had proved unsuccessful")));
        assertThat(test.get(0).text()).startsWith("Sent 1: While this process").doesNotContain("<b>");
        assertThat(test.get(1).textPair()).isEqualTo(
                "What did the high-level effort to persuade Pakistan include? Answer: Direct pressure on the Taliban");
        assertThat(test.get(7).group().candidate()).isEqualTo("Plums");
    }

    @Test
    void recordGivesOneExamplePerDistinctCandidateEntityGroupedByQuery() throws IOException {
        List<Example> test = Benchmarks.read("superglue-record", fixture("superglue-record")).test();

        // 4 distinct entity texts (Kim Motley twice) x 2 queries, then 5 (Haiti twice) x 1 query
        assertThat(test).hasSize(13);
        assertThat(test).extracting(e -> e.group().id()).containsExactly(
                "superglue-record-val-000000-q00", "superglue-record-val-000000-q00",
                "superglue-record-val-000000-q00", "superglue-record-val-000000-q00",
                "superglue-record-val-000000-q01", "superglue-record-val-000000-q01",
                "superglue-record-val-000000-q01", "superglue-record-val-000000-q01",
                "superglue-record-val-000001-q00", "superglue-record-val-000001-q00",
                "superglue-record-val-000001-q00", "superglue-record-val-000001-q00",
                "superglue-record-val-000001-q00");
        assertThat(test.subList(0, 4)).extracting(Example::textPair).containsExactly(
                "Afghanistan has helped free several women", "Afghan has helped free several women",
                "Kim Motley has helped free several women", "US has helped free several women");
        assertThat(test.subList(4, 8)).extracting(Example::textPair).containsExactly(
                "The women were held in a prison in Afghanistan", "The women were held in a prison in Afghan",
                "The women were held in a prison in Kim Motley", "The women were held in a prison in US");
        assertThat(test).extracting(Example::textPair).noneMatch(pair -> pair.contains("@placeholder"));
        assertThat(test).extracting(Example::label).containsExactly("false", "false", "true", "false",
                "true", "false", "false", "false", "false", "false", "true", "false", "true");
        assertThat(test.subList(8, 13)).extracting(e -> e.group().candidate())
                .containsExactly("Washington", "CNN", "United States", "Haiti", "US");
        assertThat(test.get(0).group().answers()).containsExactly("Kim Motley"); // two gold spans, one text
        assertThat(test.get(8).group().answers()).containsExactly("United States", "US");
        assertThat(test.get(0).text()).doesNotContain("@highlight").contains("revealed. The Afghan women");
    }

    @Test
    void recordScoresTheBestCandidateOfEachQuery() throws IOException {
        List<Example> test = Benchmarks.read("superglue-record", fixture("superglue-record")).test();
        List<String> gold = test.stream().map(Example::label).toList();
        List<Example.Group> groups = test.stream().map(Example::group).toList();
        // Every query's first candidate scores highest: Afghanistan (wrong for q00, right for q01), Washington (wrong).
        double[] firstFirst = new double[test.size()];
        for (int i = 0; i < test.size(); i++) {
            firstFirst[i] = i == 0 || i == 4 || i == 8 ? 0.9 : 0.1;
        }
        List<String> labels = List.of("false", "true");
        assertThat(Metrics.score("record_em", labels, gold, gold, groups, firstFirst)).isCloseTo(1.0 / 3,
                within(1e-12));
        double[] goldFirst = gold.stream().mapToDouble(label -> label.equals("true") ? 0.9 : 0.1).toArray();
        assertThat(Metrics.score("record_f1", labels, gold, gold, groups, goldFirst)).isEqualTo(1.0);
    }

    @Test
    void groupedTasksKeepEachPassageInOneSplit() throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int p = 0; p < 20; p++) {
            lines.append("{\"idx\": ").append(p).append(", \"passage\": {\"text\": \"Passage ").append(p)
                    .append(".\", \"questions\": [{\"question\": \"Q?\", \"idx\": 0, \"answers\": [")
                    .append("{\"text\": \"yes\", \"idx\": 0, \"label\": 1}, ")
                    .append("{\"text\": \"no\", \"idx\": 1, \"label\": 0}]}]}}\n");
        }
        Files.writeString(tmp.resolve("train.jsonl"), lines);
        Files.writeString(tmp.resolve("val.jsonl"), lines);

        TaskSplits splits = Benchmarks.read("superglue-multirc", tmp);

        assertThat(Benchmarks.definition("superglue-multirc").split().isGrouped()).isTrue();
        assertThat(splits.dev()).hasSize(4); // 2 passages of 2 answers: the 10% target of 40 answers
        assertThat(splits.train()).hasSize(36);
        Set<String> devPassages = splits.dev().stream().map(e -> e.text()).collect(Collectors.toSet());
        assertThat(splits.train()).extracting(Example::text).doesNotContainAnyElementsOf(devPassages);
    }

    @Test
    void recordQueryWithoutPlaceholderIsAUserError() throws IOException {
        Files.writeString(tmp.resolve("train.jsonl"), "{\"idx\": 0, \"passage\": {\"text\": \"Bob ran.\", "
                + "\"entities\": [{\"start\": 0, \"end\": 2}]}, \"qas\": [{\"query\": \"He ran\", \"idx\": 0, "
                + "\"answers\": [{\"start\": 0, \"end\": 2, \"text\": \"Bob\"}]}]}\n");
        Files.writeString(tmp.resolve("val.jsonl"), "");

        assertThatThrownBy(() -> Benchmarks.read("superglue-record", tmp))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("line 1")
                .hasMessageContaining("without @placeholder");
    }

    @Test
    void multiRcAndRecordCardsNameTheirSuperGlueMetrics() {
        assertThat(Benchmarks.definition("superglue-multirc").metric()).isEqualTo(Metrics.F1A);
        assertThat(Benchmarks.definition("superglue-multirc").construction()).contains("multirc_em");
        assertThat(Benchmarks.definition("superglue-record").metric()).isEqualTo(Metrics.RECORD_F1);
        assertThat(Benchmarks.definition("superglue-record").construction()).contains("record_em");
    }

    @Test
    void mrpcReadsQuotesAsDataAndIgnoresAByteOrderMark() throws IOException {
        Example first = Benchmarks.read("glue-mrpc", fixture("glue-mrpc")).test().get(0);

        assertThat(first.text()).contains("\" the witness \"");
        assertThat(first.label()).isEqualTo("not_equivalent");
    }

    @Test
    void malformedJsonLineIsAUserErrorNamingFileAndLine() throws IOException {
        Files.writeString(tmp.resolve("train.jsonl"), "{\"premise\":\"a\",\"hypothesis\":\"b\",\"label\":\"entailment\"}\n"
                + "\n{\"premise\": \"a\", \"hypo\n");
        Files.writeString(tmp.resolve("val.jsonl"), "");

        assertThatThrownBy(() -> Benchmarks.read("superglue-rte", tmp))
                .isInstanceOf(UserError.class)
                .hasMessageContaining(tmp.resolve("train.jsonl") + " line 3")
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void missingFieldOrUnknownLabelIsAUserErrorNamingTheLine() throws IOException {
        Files.writeString(tmp.resolve("train.jsonl"), "{\"premise\":\"a\",\"label\":\"entailment\"}\n");
        Files.writeString(tmp.resolve("val.jsonl"), "");
        assertThatThrownBy(() -> Benchmarks.read("superglue-rte", tmp))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("line 1 has no text field \"hypothesis\"");

        Files.writeString(tmp.resolve("train.jsonl"), "{\"premise\":\"a\",\"hypothesis\":\"b\",\"label\":\"maybe\"}\n");
        assertThatThrownBy(() -> Benchmarks.read("superglue-rte", tmp))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("line 1 has the label 'maybe'");
    }

    @Test
    void tsvRowWithTheWrongNumberOfFieldsIsAUserError() throws IOException {
        Files.writeString(tmp.resolve("train.tsv"), "sentence\tlabel\ngood\t1\nbroken row\n");
        Files.writeString(tmp.resolve("dev.tsv"), "sentence\tlabel\n");

        assertThatThrownBy(() -> Benchmarks.read("glue-sst2", tmp))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("train.tsv line 3 has 1 tab-separated fields but the header has 2");
    }

    @Test
    void missingFileAndUnknownTaskAreUserErrors() {
        assertThatThrownBy(() -> Benchmarks.read("glue-sst2", tmp))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("needs " + tmp.resolve("train.tsv"));
        assertThatThrownBy(() -> Benchmarks.definition("glue-cola"))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("unknown benchmark task 'glue-cola'");
    }
}
