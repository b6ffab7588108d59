package peft4j.data.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReaderTest {

    private static List<List<String>> fields(String csv) {
        return CsvReader.parse(csv).stream().map(CsvReader.CsvRecord::fields).toList();
    }

    @Test
    void readsPlainAndQuotedFields() {
        assertThat(fields("a,b\n\"c\",\"d\"\n")).containsExactly(List.of("a", "b"), List.of("c", "d"));
    }

    @Test
    void keepsCommasAndLineBreaksInsideQuotes() {
        assertThat(fields("\"1\",\"x , y\nz\"\r\n")).containsExactly(List.of("1", "x , y\nz"));
    }

    @Test
    void doubledQuotesAreOneQuote() {
        assertThat(fields("\"say \"\"hi\"\"\",\"\"\"\"\"\"")).containsExactly(List.of("say \"hi\"", "\"\""));
    }

    @Test
    void acceptsCrLfCrAndLfAndSkipsBlankLines() {
        assertThat(fields("a\r\nb\rc\n\n\r\nd")).containsExactly(List.of("a"), List.of("b"), List.of("c"), List.of("d"));
    }

    @Test
    void keepsEmptyFields() {
        assertThat(fields("a,,\"\"\n")).containsExactly(List.of("a", "", ""));
        assertThat(fields("\"\"\n")).containsExactly(List.of(""));
    }

    @Test
    void ignoresAByteOrderMark() {
        assertThat(fields("\uFEFF\"1\",\"x\"")).containsExactly(List.of("1", "x"));
    }

    @Test
    void recordsTheLineEachRecordStartsOn() {
        List<CsvReader.CsvRecord> records = CsvReader.parse("\"a\nb\",c\r\nd\n");

        assertThat(records).extracting(CsvReader.CsvRecord::line).containsExactly(1, 3);
    }

    @Test
    void unclosedQuoteNamesItsLine() {
        assertThatThrownBy(() -> CsvReader.parse("a\n\"b,c\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2");
    }

    @Test
    void strayTextAfterAClosingQuoteIsRejected() {
        assertThatThrownBy(() -> CsvReader.parse("\"a\"b,c"))
                .hasMessageContaining("doubled");
    }
}
