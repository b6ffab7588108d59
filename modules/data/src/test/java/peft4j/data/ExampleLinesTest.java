package peft4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import peft4j.api.UserError;

class ExampleLinesTest {

    @Test
    void writesOneCompactLinePerExampleWithFixedKeyOrder() {
        byte[] bytes = ExampleLines.encode(List.of(
                Example.of("t-0", "say \"hi\", é", "positive"),
                new Example("t-1", "one", "two", "negative")));

        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(
                "{\"id\":\"t-0\",\"text\":\"say \\\"hi\\\", é\",\"label\":\"positive\"}\n"
                        + "{\"id\":\"t-1\",\"text\":\"one\",\"text_pair\":\"two\",\"label\":\"negative\"}\n");
    }

    @Test
    void readsBackWhatItWrote() {
        List<Example> examples = List.of(Example.of("t-0", "a\nb", "positive"), new Example("t-1", "x", "y", "no"));

        assertThat(ExampleLines.decode(ExampleLines.encode(examples), "f.jsonl")).isEqualTo(examples);
    }

    @Test
    void brokenLineIsAUserErrorNamingFileAndLine() {
        byte[] bytes = "{\"id\":\"t-0\",\"text\":\"a\",\"label\":\"p\"}\n{\"id\":\"t-1\"}\n"
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> ExampleLines.decode(bytes, "train.jsonl"))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("train.jsonl line 2")
                .hasMessageContaining("text");
    }
}
