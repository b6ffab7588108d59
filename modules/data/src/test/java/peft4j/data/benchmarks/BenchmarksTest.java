package peft4j.data.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    void multiRcGivesOneExamplePerAnswerWithTagsRemoved() throws IOException {
        List<Example> test = Benchmarks.read("superglue-multirc", fixture("superglue-multirc")).test();

        assertThat(test).extracting(Example::id).containsExactly("superglue-multirc-val-000000-q00-a00",
                "superglue-multirc-val-000000-q00-a01", "superglue-multirc-val-000000-q01-a00",
                "superglue-multirc-val-000000-q01-a01", "superglue-multirc-val-000000-q01-a02");
        assertThat(test).extracting(Example::label).containsExactly("false", "true", "true", "false", "true");
        assertThat(test.get(0).text()).startsWith("Sent 1: While this process").doesNotContain("<b>");
        assertThat(test.get(1).textPair()).isEqualTo(
                "What did the high-level effort to persuade Pakistan include? Answer: Direct pressure on the Taliban");
    }

    @Test
    void recordGivesOneExamplePerCandidateEntity() throws IOException {
        List<Example> test = Benchmarks.read("superglue-record", fixture("superglue-record")).test();

        assertThat(test).extracting(Example::textPair).containsExactly(
                "Afghanistan has helped free several women", "Afghan has helped free several women",
                "Kim Motley has helped free several women", "US has helped free several women");
        assertThat(test).extracting(Example::label).containsExactly("false", "false", "true", "false");
        assertThat(test.get(0).text()).doesNotContain("@highlight").contains("revealed. The Afghan women");
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
