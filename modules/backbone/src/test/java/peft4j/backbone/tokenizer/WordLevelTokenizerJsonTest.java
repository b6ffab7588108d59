package peft4j.backbone.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WordLevelTokenizerJsonTest {

    private static final List<String> WORDS = List.of("a", "fine", "film", "!", "'", "s", "cafe", "isn", "t");

    @Test
    void splitsWordsAsBertsNormaliserAndPreTokenizerDo() {
        assertThat(WordLevelTokenizerJson.words("  A FINE film!\tIsn't it?  Café "))
                .containsExactly("a", "fine", "film", "!", "isn", "'", "t", "it", "?", "cafe");
    }

    @Test
    void theTokenizerLooksUpTheSameWordsAndAppendsEndOfSequence() {
        try (JsonTokenizer tokenizer = JsonTokenizer.of(WordLevelTokenizerJson.of(WORDS), "test")) {
            String text = "A fine film! Isn't it, café?";
            List<String> words = WordLevelTokenizerJson.words(text);
            assertThat(tokenizer.tokenize(text)).containsExactlyElementsOf(words.stream()
                    .map(w -> WORDS.contains(w) ? w : "<unk>").toList());
            assertThat(tokenizer.ids("a fine film")).containsExactly(3, 4, 5, 1);
            assertThat(tokenizer.ids("a dull film")).containsExactly(3, 2, 5, 1); // <unk> is 2
            assertThat(tokenizer.padId()).isZero();
            assertThat(tokenizer.id("</s>")).isEqualTo(1);
            assertThat(tokenizer.vocabularySize()).isEqualTo(3 + WORDS.size());
            assertThat(tokenizer.decode(new long[] {3, 4, 5, 6, 1, 0})).isEqualTo("a fine film!");
        }
    }
}
