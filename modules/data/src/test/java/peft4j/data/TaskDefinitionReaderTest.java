package peft4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import peft4j.api.UserError;

class TaskDefinitionReaderTest {

    @Test
    void readsThePolarityDefinition() {
        TaskDefinition task = Tasks.get("polarity");

        assertThat(task.labels()).containsExactly("negative", "positive");
        assertThat(task.template()).isEqualTo("{text} It was [MASK].");
        assertThat(task.verbalizer()).containsEntry("positive", "great").containsEntry("negative", "terrible");
        assertThat(task.textToText().input()).isEqualTo("sentence: {text}");
        assertThat(task.metric()).isEqualTo("accuracy");
        assertThat(task.source().packageName()).isEqualTo("python3-pattern");
        assertThat(task.source().path()).endsWith("polarity-en-pang&lee2.csv");
        assertThat(task.split().train()).isEqualTo(0.8);
        assertThat(task.expectedSizes()).isEqualTo(new TaskDefinition.ExpectedSizes(4000, 3200, 400, 400));
        assertThat(task.isPairTask()).isFalse();
    }

    @Test
    void fillsClozePromptsDemonstrationsAndTextToTextForms() {
        TaskDefinition task = Tasks.get("polarity");
        Example example = Example.of("polarity-0007", "a fine film .", "positive");

        assertThat(task.fill(example)).isEqualTo("a fine film . It was [MASK].");
        assertThat(task.fillWithAnswer(example)).isEqualTo("a fine film . It was great.");
        assertThat(task.fillWithAnswer(Example.of("polarity-0008", "dull .", "negative")))
                .isEqualTo("dull . It was terrible.");
        assertThat(task.textToTextInput(example)).isEqualTo("sentence: a fine film .");
        assertThat(task.textToTextTarget("negative")).isEqualTo("negative");
        assertThat(task.labelIndex("positive")).isEqualTo(1);
        assertThatThrownBy(() -> task.labelIndex("neutral")).hasMessageContaining("no label 'neutral'");
    }

    @Test
    void templateWithoutMaskIsRejectedNamingTheFile() {
        assertThatThrownBy(() -> edited(json -> json.put("template", "{text} It was good.")))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("bad.json")
                .hasMessageContaining("exactly one [MASK] (found 0)");
    }

    @Test
    void templateWithTwoMasksIsRejected() {
        assertThatThrownBy(() -> edited(json -> json.put("template", "{text} [MASK] [MASK].")))
                .hasMessageContaining("exactly one [MASK] (found 2)");
    }

    @Test
    void templateWithoutTextIsRejected() {
        assertThatThrownBy(() -> edited(json -> json.put("template", "It was [MASK].")))
                .hasMessageContaining("template must contain {text}");
    }

    @Test
    void verbalizerMustCoverEveryLabelWithAWord() {
        assertThatThrownBy(() -> edited(json -> ((ObjectNode) json.get("verbalizer")).remove("negative")))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("verbalizer has no word for label 'negative'");
        assertThatThrownBy(() -> edited(json -> ((ObjectNode) json.get("verbalizer")).put("positive", " ")))
                .hasMessageContaining("verbalizer word for label 'positive' is blank");
        assertThatThrownBy(() -> edited(json -> ((ObjectNode) json.get("verbalizer")).put("neutral", "okay")))
                .hasMessageContaining("names 'neutral', which is not one of the labels");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> edited(json -> {
            json.put("template", "no placeholders");
            json.put("metric", "");
        })).hasMessageContaining("[MASK]").hasMessageContaining("{text}").hasMessageContaining("metric is blank");
    }

    @Test
    void missingAndUnknownFieldsAreNamed() {
        assertThatThrownBy(() -> edited(json -> json.remove("verbalizer")))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("bad.json")
                .hasMessageContaining("missing field 'verbalizer'");
        assertThatThrownBy(() -> edited(json -> ((ObjectNode) json.get("split")).remove("seed")))
                .hasMessageContaining("missing field 'split.seed'");
        assertThatThrownBy(() -> edited(json -> json.put("verbaliser", "typo")))
                .hasMessageContaining("unknown field 'verbaliser'");
    }

    @Test
    void nameMustMatchTheFile() {
        assertThatThrownBy(() -> TaskDefinitionReader.parse(TestTasks.polarityJson().toString(), "other.json"))
                .hasMessageContaining("name 'polarity' differs from the file name other.json");
    }

    @Test
    void brokenJsonIsAUserError() {
        assertThatThrownBy(() -> TaskDefinitionReader.parse("{\"name\": ", "broken.json"))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("broken.json");
    }

    private static TaskDefinition edited(Consumer<ObjectNode> edit) {
        return TestTasks.definition("bad", edit);
    }

    @Test
    void groupByIsOptionalAndDefaultsToLabel() {
        assertThat(edited(json -> { }).split().groupBy()).isEqualTo("label");
        assertThat(edited(json -> { }).split().isGrouped()).isFalse();
        TaskDefinition grouped = edited(json -> ((ObjectNode) json.get("split")).put("group_by", "rule"));
        assertThat(grouped.split().groupBy()).isEqualTo("rule");
        assertThat(grouped.split().isGrouped()).isTrue();
    }

    @Test
    void unknownOrNonNumericSplitFieldsAreNamed() {
        assertThatThrownBy(() -> edited(json -> ((ObjectNode) json.get("split")).put("shuffle", true)))
                .hasMessageContaining("unknown field 'split.shuffle'");
        assertThatThrownBy(() -> edited(json -> ((ObjectNode) json.get("split")).put("train", "most")))
                .hasMessageContaining("not a number");
    }
}
