package peft4j.backbone.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import peft4j.api.UserError;

/**
 * GPT-2 byte-level BPE built from a hand-written vocab.json + merges.txt. Expected ids are worked out by hand: the
 * split regex keeps the space with the following word (as Ġ), then merges apply lowest rank first.
 */
class Gpt2TokenizerTest {

    /** Ids 15–17: 'é' is the bytes C3 A9, which byte-level BPE writes as the characters Ã and ©. */
    private static final String VOCAB = """
            {"t": 0, "h": 1, "e": 2, "Ġ": 3, "l": 4, "o": 5, "w": 6, "r": 7, "th": 8, "the": 9, "Ġl": 10,
             "Ġlo": 11, "Ġlow": 12, "er": 13, "Ġlower": 14, "Ã": 15, "©": 16, "Ã©": 17, "<|endoftext|>": 18}
            """;
    private static final String MERGES = "#version: 0.2\nt h\nth e\nĠ l\nĠl o\nĠlo w\ne r\nĠlow er\nÃ ©\n";

    @TempDir
    Path dir;

    @BeforeEach
    void writeFiles() throws Exception {
        Files.writeString(dir.resolve("vocab.json"), VOCAB, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("merges.txt"), MERGES, StandardCharsets.UTF_8);
    }

    @Test
    void mergesApplyByRankAndSpacesBelongToTheNextWord() {
        try (TextTokenizer tokenizer = Tokenizers.gpt2(dir)) {
            assertThat(tokenizer.ids("the lower")).containsExactly(9, 14);
            assertThat(tokenizer.tokenize("the lower")).containsExactly("the", "Ġlower");
            // o t h e r: "t h" (rank 0) then "th e" (rank 1); "e r" (rank 5) no longer has an e to merge.
            assertThat(tokenizer.ids("other")).containsExactly(5, 9, 7);
            assertThat(tokenizer.ids(" the")).containsExactly(3, 9);
            assertThat(tokenizer.ids("hello")).containsExactly(1, 2, 4, 4, 5);
        }
    }

    @Test
    void bytesOfNonAsciiTextAreMergedAndDecodedBack() {
        try (TextTokenizer tokenizer = Tokenizers.gpt2(dir)) {
            assertThat(tokenizer.ids("é")).containsExactly(17);
            assertThat(tokenizer.decode(new long[] {17})).isEqualTo("é");
            assertThat(tokenizer.decode(new long[] {15, 16})).isEqualTo("é");
        }
    }

    @Test
    void endOfTextIsOneSpecialTokenAndDecodingRoundTrips() {
        try (TextTokenizer tokenizer = Tokenizers.gpt2(dir)) {
            assertThat(tokenizer.ids("the<|endoftext|>")).containsExactly(9, 18);
            assertThat(tokenizer.id("<|endoftext|>")).isEqualTo(18);
            assertThat(tokenizer.decode(new long[] {9, 14})).isEqualTo("the lower");
            assertThat(tokenizer.decode(new long[] {9, 14, 18})).isEqualTo("the lower");
            for (String text : List.of("the lower", "other hello", "é the")) {
                assertThat(tokenizer.decode(tokenizer.ids(text))).isEqualTo(text);
            }
            assertThat(tokenizer.vocabularySize()).isEqualTo(19);
        }
    }

    @Test
    void aTokenizerJsonIsUsedAsItIsAndTheModelTypePicksGpt2() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"gpt2\"}");
        String built = ByteLevelBpeTokenizerJson.of(new com.fasterxml.jackson.databind.ObjectMapper().readTree(VOCAB),
                MERGES.lines().toList(), List.of("<|endoftext|>"), false);
        Files.delete(dir.resolve("vocab.json"));
        Files.delete(dir.resolve("merges.txt"));
        Files.writeString(dir.resolve("tokenizer.json"), built, StandardCharsets.UTF_8);
        try (TextTokenizer tokenizer = Tokenizers.forModel(dir)) {
            assertThat(tokenizer).isInstanceOf(JsonTokenizer.class);
            assertThat(tokenizer.ids("the lower")).containsExactly(9, 14);
        }
    }

    @Test
    void addPrefixSpaceFromTheTokenizerConfigTreatsTheFirstWordLikeTheOthers() throws Exception {
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"add_prefix_space\": true}");
        try (TextTokenizer tokenizer = Tokenizers.gpt2(dir)) {
            assertThat(tokenizer.ids("lower")).containsExactly(14);
        }
    }

    @Test
    void missingMergesIsAClearError() throws Exception {
        Files.delete(dir.resolve("merges.txt"));
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"gpt2\"}");
        assertThatThrownBy(() -> Tokenizers.forModel(dir)).isInstanceOf(UserError.class)
                .hasMessageContaining("no tokenizer.json, or vocab.json and merges.txt, in " + dir);
    }
}
