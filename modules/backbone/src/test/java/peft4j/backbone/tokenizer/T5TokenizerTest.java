package peft4j.backbone.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import peft4j.api.UserError;
import peft4j.backbone.Golden;

/**
 * T5's SentencePiece unigram tokenizer on the golden 128-piece model (pad 0, </s> 1, <unk> 2, whole words such as
 * ▁the = 4, single letters 101–126, ▁ = 127). Besides the golden ids, expected ids are derived from the pieces: a
 * word with its own ▁piece is one id; otherwise the best-scoring split wins; unknown characters become <unk>,
 * consecutive ones fused into one.
 */
class T5TokenizerTest {

    private static TextTokenizer tokenizer;

    @TempDir
    Path tmp;

    static Path goldenDir() {
        return Golden.dir("peft-adapter-format").resolve("tiny-t5-tokenizer");
    }

    @BeforeAll
    static void load() {
        tokenizer = Tokenizers.forModel(goldenDir());
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void theGoldenTextInitStringGivesTheGoldenIds() {
        assertThat(tokenizer.ids("classify the review:")).containsExactly(57, 4, 41, 2, 1);
    }

    @Test
    void idsDerivedFromThePieces() {
        assertThat(tokenizer.ids("the boy")).containsExactly(4, 31, 1);
        assertThat(tokenizer.ids("summarize: positive.")).containsExactly(19, 2, 40, 3, 1);
        // ▁the + o + r + y (-22.7) beats every split that spells out t, h, e.
        assertThat(tokenizer.ids("theory")).containsExactly(4, 123, 121, 111, 1);
        // No ▁x piece: ▁ alone, then letters; '!' is unknown.
        assertThat(tokenizer.ids("xyz!")).containsExactly(127, 102, 111, 104, 2, 1);
        assertThat(tokenizer.tokenize("the boy")).containsExactly("\u2581the", "\u2581boy");
    }

    @Test
    void unknownCharactersBecomeOneUnkAndExtraSpacesVanish() {
        assertThat(tokenizer.id("<unk>")).isEqualTo(2);
        assertThat(tokenizer.ids("THE boy")).containsExactly(127, 2, 31, 1);
        assertThat(tokenizer.ids("the   boy")).containsExactly(4, 31, 1);
        assertThat(tokenizer.ids("  the boy  ")).containsExactly(4, 31, 1);
    }

    @Test
    void decodingRoundTripsAndDropsSpecialTokens() {
        assertThat(tokenizer.decode(new long[] {57, 4, 41, 1})).isEqualTo("classify the review");
        for (String text : new String[] {"the boy", "summarize the review.", "theory of water"}) {
            assertThat(tokenizer.decode(tokenizer.ids(text))).isEqualTo(text);
        }
        assertThat(tokenizer.vocabularySize()).isEqualTo(128);
        assertThat(tokenizer.id("</s>")).isEqualTo(1);
    }

    @Test
    void extraIdsAreAppendedCountingDown() throws Exception {
        Files.copy(goldenDir().resolve("spiece.model"), tmp.resolve("spiece.model"));
        Files.writeString(tmp.resolve("tokenizer_config.json"), "{\"extra_ids\": 3}");
        Files.writeString(tmp.resolve("config.json"), "{\"model_type\": \"t5\"}");
        try (TextTokenizer withSentinels = Tokenizers.forModel(tmp)) {
            assertThat(withSentinels.vocabularySize()).isEqualTo(131);
            assertThat(withSentinels.id("<extra_id_0>")).isEqualTo(130);
            assertThat(withSentinels.id("<extra_id_2>")).isEqualTo(128);
            assertThat(withSentinels.ids("the <extra_id_0> boy")).containsExactly(4, 130, 31, 1);
        }
    }

    @Test
    void aMissingOrBrokenModelFileIsAClearError() throws Exception {
        Files.writeString(tmp.resolve("config.json"), "{\"model_type\": \"t5\"}");
        assertThatThrownBy(() -> Tokenizers.forModel(tmp)).isInstanceOf(UserError.class)
                .hasMessageContaining("no tokenizer.json or spiece.model in " + tmp);
        Files.writeString(tmp.resolve("spiece.model"), "not a protobuf");
        assertThatThrownBy(() -> Tokenizers.forModel(tmp)).isInstanceOf(UserError.class)
                .hasMessageContaining("is not a SentencePiece model");
    }
}
