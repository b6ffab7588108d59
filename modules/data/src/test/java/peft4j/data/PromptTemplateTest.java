package peft4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PromptTemplateTest {

    @Test
    void fillsTextAndKeepsOrReplacesTheMask() {
        PromptTemplate template = PromptTemplate.parse("{text} It was [MASK].");

        assertThat(template.maskCount()).isEqualTo(1);
        assertThat(template.usesTextPair()).isFalse();
        assertThat(template.fill("a fine film .", null, "[MASK]")).isEqualTo("a fine film . It was [MASK].");
        assertThat(template.fill("a fine film .", null, "great")).isEqualTo("a fine film . It was great.");
    }

    @Test
    void fillsBothSentencesOfAPairTemplate() {
        PromptTemplate template = PromptTemplate.parse("{text} ? [MASK] , {text_pair}");

        assertThat(template.usesTextPair()).isTrue();
        assertThat(template.fill("one", "two", "yes")).isEqualTo("one ? yes , two");
    }

    @Test
    void insertsInputVerbatimEvenIfItLooksLikeAPlaceholder() {
        PromptTemplate template = PromptTemplate.parse("{text} It was [MASK].");

        assertThat(template.fill("say {text_pair} and [MASK]", null, "great"))
                .isEqualTo("say {text_pair} and [MASK] It was great.");
    }

    @Test
    void rejectsUnknownAndUnclosedPlaceholders() {
        assertThatThrownBy(() -> PromptTemplate.parse("{sentence} It was [MASK]."))
                .hasMessageContaining("unknown placeholder {sentence}");
        assertThatThrownBy(() -> PromptTemplate.parse("{text It was [MASK]."))
                .hasMessageContaining("unclosed '{'");
    }

    @Test
    void pairTemplateNeedsASecondSentence() {
        PromptTemplate template = PromptTemplate.parse("{text} [MASK] {text_pair}");

        assertThatThrownBy(() -> template.fill("one", null, "yes")).hasMessageContaining("{text_pair}");
    }
}
