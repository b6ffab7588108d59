package peft4j.data.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import peft4j.api.UserError;
import peft4j.data.Example;
import peft4j.data.RawData;
import peft4j.data.Tasks;

class PolaritySourceTest {

    private final PolaritySource source = new PolaritySource(Tasks.get("polarity"));

    @TempDir
    Path tmp;

    /** Lays the fixture out where the package would put the corpus. */
    private RawData unpackedFixture() throws IOException {
        Path file = tmp.resolve(Tasks.get("polarity").source().path());
        Files.createDirectories(file.getParent());
        try (InputStream in = PolaritySourceTest.class.getResourceAsStream("/peft4j/data/polarity-sample.csv")) {
            Files.copy(in, file);
        }
        return new RawData("debian", "python3-pattern", "test", "00", tmp);
    }

    @Test
    void parsesTheFixtureWithQuotesCommasAndBothLabels() throws IOException {
        List<Example> examples = source.parse(unpackedFixture());

        assertThat(examples).containsExactly(
                Example.of("polarity-0000", "a gripping , funny film .", "positive"),
                Example.of("polarity-0001", "the plot , such as it is , goes nowhere .", "negative"),
                Example.of("polarity-0002", "the \" twist \" works , and \" works \" well .", "positive"),
                Example.of("polarity-0003", "two lines\nin one sentence", "negative"),
                Example.of("polarity-0004", "plain unquoted text", "positive"),
                Example.of("polarity-0005", "\"quoted at both ends\"", "negative"));
    }

    @Test
    void unknownLabelNamesFileAndLine() {
        assertThatThrownBy(() -> source.parseCsv("\"1\",\"ok\"\n\"0\",\"neutral\"\n", "sample.csv"))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("sample.csv line 2")
                .hasMessageContaining("1 or -1");
    }

    @Test
    void wrongFieldCountIsAUserError() {
        assertThatThrownBy(() -> source.parseCsv("\"1\",\"a\",\"b\"\n", "sample.csv"))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("expected 2 fields");
    }

    @Test
    void skipsAHeaderRow() {
        assertThat(source.parseCsv("\"label\",\"text\"\n\"-1\",\"bad\"\n", "sample.csv"))
                .containsExactly(Example.of("polarity-0000", "bad", "negative"));
    }

    @Test
    void missingCorpusFileSaysThePackageLayoutChanged() {
        RawData empty = new RawData("debian", "python3-pattern", "9.9", "00", tmp);

        assertThatThrownBy(() -> source.parse(empty))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("python3-pattern 9.9 has no file");
    }
}
