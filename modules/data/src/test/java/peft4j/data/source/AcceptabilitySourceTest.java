package peft4j.data.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import peft4j.api.UserError;
import peft4j.data.Example;
import peft4j.data.RawData;
import peft4j.data.Tasks;

class AcceptabilitySourceTest {

    private final AcceptabilitySource source = new AcceptabilitySource(Tasks.get("acceptability-lt"));

    @TempDir
    Path tmp;

    private static List<AcceptabilitySource.MinimalPair> samplePairs() throws IOException {
        try (InputStream in = AcceptabilitySourceTest.class.getResourceAsStream("/peft4j/data/grammar-sample.xml")) {
            return AcceptabilitySource.pairs(in, "grammar-sample.xml");
        }
    }

    @Test
    void readsMinimalPairsOfGrammarRulesWithTheirGroupsId() throws IOException {
        assertThat(samplePairs()).containsExactly(
                new AcceptabilitySource.MinimalPair("PRP_ABLE_TO", "Would you able to do this?",
                        "Would you be able to do this?"),
                new AcceptabilitySource.MinimalPair("PRP_ABLE_TO", "Could we able to go?", "Could we be able to go?"),
                new AcceptabilitySource.MinimalPair("HAVE_PART_AGREEMENT", "We should have be there.",
                        "We should have been there."),
                new AcceptabilitySource.MinimalPair("CONFLICT", "Would you be able to do this?!",
                        "Would you be able to do this?"));
    }

    @Test
    void examplesAreDeduplicatedAndConflictingSentencesDropped() throws IOException {
        List<Example> examples = source.examples(samplePairs());

        // "Would you be able to do this?" is only ever correct, so it stays (once); nothing is both.
        assertThat(examples).extracting(Example::text).doesNotHaveDuplicates()
                .contains("Would you be able to do this?", "Would you be able to do this?!");
        assertThat(examples).hasSize(7);
        assertThat(examples.get(0)).isEqualTo(
                Example.of("acceptability-lt-PRP_ABLE_TO-00000", "Would you able to do this?", "incorrect"));
        assertThat(source.splitGroup(examples.get(0))).isEqualTo("PRP_ABLE_TO");
        assertThat(source.splitGroup(examples.get(4))).isEqualTo("HAVE_PART_AGREEMENT");
    }

    @Test
    void aSentenceThatIsBothCorrectAndIncorrectIsDropped() {
        List<Example> examples = source.examples(List.of(
                new AcceptabilitySource.MinimalPair("A", "x y", "x z"),
                new AcceptabilitySource.MinimalPair("B", "x z", "x w")));

        assertThat(examples).extracting(Example::text).containsExactly("x y", "x w");
    }

    @Test
    void parsesTheExtractedFile() throws IOException {
        Path file = tmp.resolve(Tasks.get("acceptability-lt").source().path());
        Files.createDirectories(file.getParent());
        try (InputStream in = AcceptabilitySourceTest.class.getResourceAsStream("/peft4j/data/grammar-sample.xml")) {
            Files.copy(in, file);
        }

        assertThat(source.parse(new RawData("maven", "org.languagetool:language-en", "6.6", "00", tmp))).hasSize(7);
    }

    @Test
    void brokenXmlIsAUserError() {
        InputStream broken = new ByteArrayInputStream("<rules><category id=\"GRAMMAR\">".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> AcceptabilitySource.pairs(broken, "grammar.xml"))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("grammar.xml is not valid XML");
    }
}
