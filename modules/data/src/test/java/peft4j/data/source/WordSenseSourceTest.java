package peft4j.data.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import peft4j.api.UserError;
import peft4j.data.Example;
import peft4j.data.RawData;
import peft4j.data.Tasks;

class WordSenseSourceTest {

    private final WordSenseSource source = new WordSenseSource(Tasks.get("wic-wordnet"));

    @TempDir
    Path tmp;

    private static final List<String> NOUNS = List.of(
            "  1 This software and database is being provided to you, the LICENSEE",
            "09213565 17 n 02 bank 0 riverbank 0 001 @ 09201998 n 0000 | sloping land; \"they pulled the canoe up on"
                    + " the bank\"; \"he sat on the bank of the river\"; \"the riverbank flooded\"",
            "08420278 14 n 01 bank 0 001 @ 08419328 n 0000 | a financial institution; \"he cashed a check at the"
                    + " bank\"; \"that bank holds the mortgage\"; \"the banks merged\"",
            "03001627 06 n 01 chair 0 000 | a seat; \"he sat in the chair\"");
    private static final List<String> ADJECTIVES = List.of(
            "00001740 00 a 01 able(a) 0 000 | having the means; \"able to swim\"; \"she was able to program\"",
            "00002098 00 s 01 able 0 000 | having inherent ability; \"an able teacher\"");

    private Map<String, Map<String, List<String>>> senses() {
        Map<String, Map<String, List<String>>> senses = new TreeMap<>();
        WordSenseSource.readSynsets(NOUNS, "data.noun", senses);
        WordSenseSource.readSynsets(ADJECTIVES, "data.adj", senses);
        return senses;
    }

    @Test
    void keepsOnlySentencesInWhichTheLemmaOccursAsAWholeWord() {
        Map<String, Map<String, List<String>>> senses = senses();

        assertThat(senses.get("bank/n")).containsExactly(
                Map.entry("08420278", List.of("he cashed a check at the bank", "that bank holds the mortgage")),
                Map.entry("09213565", List.of("they pulled the canoe up on the bank",
                        "he sat on the bank of the river")));
        assertThat(senses.get("riverbank/n")).containsOnlyKeys("09213565");
        assertThat(senses.get("able/a")).containsOnlyKeys("00001740", "00002098"); // satellite merged, (a) removed
    }

    @Test
    void buildsBalancedPairsWithTheWordInTheText() {
        List<Example> examples = source.examples(senses());

        // bank: 2 same pairs, 4 different -> 2 of each; able: 1 same, 2 different -> 1 of each
        assertThat(examples).hasSize(6);
        assertThat(examples.stream().filter(e -> e.label().equals("same"))).hasSize(3);
        assertThat(examples).allMatch(e -> e.textPair() != null);
        Example first = examples.stream().filter(e -> e.id().contains("-bank-")).findFirst().orElseThrow();
        assertThat(first.text()).startsWith("bank: ");
        assertThat(source.splitGroup(first)).isEqualTo("bank");
        assertThat(Tasks.get("wic-wordnet").fill(first)).contains(first.text()).contains(first.textPair())
                .contains("[MASK]");
        assertThat(source.examples(senses())).isEqualTo(examples); // seeded
    }

    @Test
    void readsTheFourDataFiles() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("usr/share/wordnet"));
        Files.write(dir.resolve("data.noun"), NOUNS);
        Files.write(dir.resolve("data.adj"), ADJECTIVES);
        Files.write(dir.resolve("data.verb"), List.of());
        Files.write(dir.resolve("data.adv"), List.of());

        assertThat(source.parse(new RawData("debian", "wordnet-base", "1:3.0-37", "00", tmp))).hasSize(6);
    }

    @Test
    void brokenLineNamesFileAndLine() {
        assertThatThrownBy(() -> WordSenseSource.readSynsets(List.of("00001 03 n zz"), "data.noun", new TreeMap<>()))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("data.noun line 1");
    }
}
