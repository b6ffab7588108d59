package peft4j.data.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import peft4j.api.UserError;
import peft4j.data.Example;
import peft4j.data.Tasks;

class UncertaintySourceTest {

    private final UncertaintySource source = new UncertaintySource(Tasks.get("uncertainty"));

    @Test
    void mapsLabelsDecodesEntitiesAndDropsRepeatedTexts() {
        String csv = "\uFEFF\"1\",Prehistoric art\n"
                + "-1,\"It may be, &quot;arguably&quot;, the oldest.\"\n"
                + "1,Prehistoric art\n"
                + "1,Salt &amp; pepper\n";

        assertThat(source.parseCsv(csv, "u.csv")).containsExactly(
                Example.of("uncertainty-0000", "Prehistoric art", "certain"),
                Example.of("uncertainty-0001", "It may be, \"arguably\", the oldest.", "uncertain"),
                Example.of("uncertainty-0002", "Salt & pepper", "certain"));
    }

    @Test
    void unknownLabelNamesTheLine() {
        assertThatThrownBy(() -> source.parseCsv("1,a\n0,b\n", "u.csv"))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("u.csv line 2");
    }

    @Test
    void decodesNumericReferencesAndLeavesUnknownOnes() {
        assertThat(HtmlEntities.decode("&#233;t&#xE9; &bogus; &amp")).isEqualTo("été &bogus; &amp");
    }
}
