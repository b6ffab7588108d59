package peft4j.data.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import peft4j.data.Example;
import peft4j.data.RawData;
import peft4j.data.Tasks;

class BibleParaphraseSourceTest {

    private final BibleParaphraseSource source = new BibleParaphraseSource(Tasks.get("paraphrase-bible"));

    @TempDir
    Path tmp;

    private static Map<String, String> bible(String prefix) {
        Map<String, String> verses = new LinkedHashMap<>();
        for (int v = 1; v <= 20; v++) {
            verses.put("Gen.1." + v, prefix + " Gen 1:" + v);
            verses.put("Exod.2." + v, prefix + " Exod 2:" + v);
        }
        return verses;
    }

    @Test
    void pairsEachVerseWithItsTranslationOrAnotherVerseOfTheSameChapter() {
        Map<String, String> web = bible("web");
        web.remove("Gen.1.5");

        List<Example> examples = source.examples(bible("kjv"), web);

        assertThat(examples).hasSize(39).noneMatch(e -> e.id().endsWith("001.005"));
        for (Example example : examples) {
            String ref = example.text().substring("kjv ".length());
            String chapter = ref.substring(0, ref.indexOf(':'));
            if (example.label().equals("equivalent")) {
                assertThat(example.textPair()).isEqualTo("web " + ref);
            } else {
                assertThat(example.textPair()).isNotEqualTo("web " + ref).startsWith("web " + chapter + ":");
            }
        }
        assertThat(examples).extracting(Example::label).contains("equivalent", "not_equivalent");
        assertThat(source.examples(bible("kjv"), web)).isEqualTo(examples);
        assertThat(examples.get(0).id()).isEqualTo("paraphrase-bible-Gen-001.001");
        assertThat(source.splitGroup(examples.get(0))).isEqualTo("Gen");
    }

    @Test
    void readsBothModulesFromTheirPackages() throws IOException {
        Path kjv = tmp.resolve("sword-text-kjv_14.3-1/usr/share/sword/modules/texts/ztext/engKJV2006eb");
        Path web = tmp.resolve("sword-text-web_426.0-1/usr/share/sword/modules/texts/ztext/engWEB2015eb");
        SwordZTextTest.writeOldTestament(kjv, "");
        SwordZTextTest.writeOldTestament(web, "<w>Yes</w> ");

        List<Example> examples = source.parse(new RawData("debian", "sword-text-kjv,sword-text-web",
                "14.3-1,426.0-1", "a,b", tmp));

        assertThat(examples).extracting(Example::id).containsExactly("paraphrase-bible-Gen-001.001",
                "paraphrase-bible-Gen-001.003", "paraphrase-bible-Gen-002.001", "paraphrase-bible-Exod-001.001");
        assertThat(examples.get(0).text()).isEqualTo("In the beginning God created the heaven.");
        assertThat(examples).allMatch(e -> e.textPair().startsWith("Yes "));
    }
}
