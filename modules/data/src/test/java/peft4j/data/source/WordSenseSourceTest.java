package peft4j.data.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

class WordSenseSourceTest {

    private final WordSenseSource source = new WordSenseSource(Tasks.get("wic-wordnet"));

    @TempDir
    Path tmp;

    private static final List<String> NOUNS = List.of(
            "  1 This software and database is being provided to you, the LICENSEE",
            "09213565 17 n 02 bank 0 riverbank 0 001 @ 09201998 n 0000 | sloping land; \"they pulled the canoe up on"
                    + " the bank\"; \"he sat on the bank of the river\"; \"the riverbank flooded\"",
            "09213434 17 n 01 bank 0 001 @ 09201998 n 0000 | a long ridge or pile; \"a huge bank of earth\"",
            "08420278 14 n 01 bank 0 001 @ 08419328 n 0000 | a financial institution; \"he cashed a check at the"
                    + " bank\"; \"that bank holds the mortgage\"; \"the banks merged\"",
            "03001627 06 n 01 chair 0 000 | a seat; \"he sat in the chair\"");
    private static final List<String> VERBS = List.of(
            "01926311 38 v 01 run 0 001 + 02680814 v 0101 | move fast; \"run to the store\"; \"we had to run\"",
            "02680814 42 v 01 run 0 000 | operate; \"run the machine\"");

    private WordSenseSource.Senses senses() {
        WordSenseSource.Senses senses = new WordSenseSource.Senses();
        WordSenseSource.readSynsets(NOUNS, "data.noun", senses);
        WordSenseSource.readSynsets(VERBS, "data.verb", senses);
        return senses;
    }

    @Test
    void keepsOnlySentencesInWhichTheLemmaOccursAsAWholeWord() {
        WordSenseSource.Senses senses = senses();

        assertThat(senses.sentences.get("bank/n")).containsExactly(
                Map.entry("n:08420278", List.of("he cashed a check at the bank", "that bank holds the mortgage")),
                Map.entry("n:09213434", List.of("a huge bank of earth")),
                Map.entry("n:09213565", List.of("they pulled the canoe up on the bank",
                        "he sat on the bank of the river")));
        assertThat(senses.sentences.get("riverbank/n")).containsOnlyKeys("n:09213565");
        assertThat(senses.synsets.get("v:01926311").neighbours()).containsExactly("v:02680814");
        assertThat(senses.synsets.get("n:09213565").hypernyms()).containsExactly("n:09201998");
    }

    @Test
    void prunesSensesThatShareASupersenseAPointerOrAHypernym() {
        WordSenseSource.Senses senses = senses();
        WordSenseSource.Synset river = senses.synsets.get("n:09213565");
        WordSenseSource.Synset ridge = senses.synsets.get("n:09213434");
        WordSenseSource.Synset money = senses.synsets.get("n:08420278");

        assertThat(river.clearlyApartFrom("n:09213565", "n:08420278", money)).isTrue();
        assertThat(river.clearlyApartFrom("n:09213565", "n:09213434", ridge)).isFalse(); // supersense, sisters
        assertThat(senses.synsets.get("v:02680814").clearlyApartFrom("v:02680814", "v:01926311",
                senses.synsets.get("v:01926311"))).isFalse(); // the other one points at it
    }

    @Test
    void buildsBalancedPairsWithTheWordInTheText() {
        List<Example> examples = source.examples(senses());

        // bank: 2 same pairs; different: money x ridge 2 + money x river 4, ridge x river pruned -> 2 of each.
        // run: 1 same pair, its only different pair pruned -> none.
        assertThat(examples).hasSize(4);
        assertThat(examples.stream().filter(e -> e.label().equals("same"))).hasSize(2);
        assertThat(examples).allMatch(e -> e.textPair() != null)
                .noneMatch(e -> e.text().contains("bank of earth")
                        && (e.textPair().contains("river") || e.textPair().contains("canoe")))
                .noneMatch(e -> e.id().contains("-run-"));
        Example first = examples.get(0);
        assertThat(first.text()).startsWith("bank: ");
        assertThat(source.splitGroup(first)).isEqualTo("bank");
        assertThat(Tasks.get("wic-wordnet").fill(first)).contains(first.text()).contains(first.textPair())
                .contains("[MASK]");
        assertThat(source.examples(senses())).isEqualTo(examples); // seeded
    }

    @Test
    void readsTheNounAndVerbFiles() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("usr/share/wordnet"));
        Files.write(dir.resolve("data.noun"), NOUNS);
        Files.write(dir.resolve("data.verb"), VERBS);

        assertThat(source.parse(new RawData("debian", "wordnet-base", "1:3.0-37", "00", tmp))).hasSize(4);
    }

    @Test
    void brokenLineNamesFileAndLine() {
        assertThatThrownBy(() -> WordSenseSource.readSynsets(List.of("00001 03 n zz"), "data.noun",
                new WordSenseSource.Senses()))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("data.noun line 1");
    }
}
