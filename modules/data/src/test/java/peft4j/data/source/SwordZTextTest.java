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

class SwordZTextTest {

    @TempDir
    Path tmp;

    static final String GEN_1_1 = "In the <w lemma=\"strong:H7225\">beginning</w> God created the heaven.";

    /** Genesis 1 (3 verses, the 2nd empty) and 2 (1 verse) in two blocks, then Exodus 1 (1 verse). */
    static void writeOldTestament(Path dir, String prefix) throws IOException {
        ZTextFixtures.testament(dir, "ot", List.of(
                List.of("", "<milestone type=\"x-importer\"/>"),
                List.of("<div canonical=\"true\" osisID=\"Gen\" sID=\"gen2\" type=\"book\"/><title>Genesis</title>",
                        "<chapter n=\"1\" osisID=\"Gen.1\" sID=\"Gen.1\"/> ",
                        prefix + GEN_1_1, "", prefix + "And the third.<chapter eID=\"Gen.1\"/>",
                        "<chapter n=\"2\" osisID=\"Gen.2\" sID=\"Gen.2\"/>", prefix + "Thus the heavens."),
                List.of("", "<chapter osisID=\"Exod.1\" sID=\"Exod.1\" n=\"1\"/>", prefix + "Now these are the names.")));
    }

    @Test
    void numbersTheSlotsAfterEachChapterHeadingAsItsVerses() throws IOException {
        writeOldTestament(tmp, "");

        Map<String, String> verses = SwordZText.verses(tmp);

        assertThat(verses.keySet()).containsExactly("Gen.1.1", "Gen.1.3", "Gen.2.1", "Exod.1.1");
        assertThat(verses.get("Gen.1.1")).isEqualTo(GEN_1_1);
    }

    @Test
    void readsBothTestaments() throws IOException {
        writeOldTestament(tmp, "");
        ZTextFixtures.testament(tmp, "nt", List.of(List.of("", "", "<div type=\"book\" osisID=\"Matt\"/>",
                "<chapter n=\"1\" osisID=\"Matt.1\" sID=\"Matt.1\"/>", "The book of the generation.")));

        assertThat(SwordZText.verses(tmp)).containsKey("Matt.1.1").hasSize(5);
    }

    @Test
    void damagedBlockIsAUserError() throws IOException {
        writeOldTestament(tmp, "");
        byte[] bzz = Files.readAllBytes(tmp.resolve("ot.bzz"));
        bzz[bzz.length - 2] ^= 0x55; // the last block's checksum
        Files.write(tmp.resolve("ot.bzz"), bzz);

        assertThatThrownBy(() -> SwordZText.verses(tmp)).isInstanceOf(UserError.class).hasMessageContaining("block");
    }

    @Test
    void aDirectoryWithoutAModuleIsAUserError() {
        assertThatThrownBy(() -> SwordZText.verses(tmp)).isInstanceOf(UserError.class)
                .hasMessageContaining("no SWORD zText module");
    }

    @Test
    void plainTextDropsNotesAndTitlesAndUngluesWords() {
        String osis = "<div type=\"x-milestone\" subType=\"x-preverse\" sID=\"pv1\"/><title canonical=\"true\""
                + " type=\"psalm\">A Psalm of David.</title> ¶ <w lemma=\"H1\">God</w><note placement=\"foot\">"
                + "<reference>1:1</reference>Elohim.</note><w lemma=\"H2\">created</w>, “<w>Let</w> there"
                + " <transChange type=\"added\">be</transChange>\n light.”";

        assertThat(OsisText.plain(osis)).isEqualTo("God created, “Let there be light.”");
    }
}
