package peft4j.backbone.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import peft4j.api.UserError;
import peft4j.backbone.Golden;

/** The id count of a directory's tokenizer files, and the refusal of one larger than the embedding table. */
class TokenizerVocabularyTest {

    @TempDir
    Path tmp;

    @Test
    void tokenizerJsonCountsItsVocabularyAndAddedTokens() throws Exception {
        Files.writeString(tmp.resolve("tokenizer.json"), """
                {"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "c": 2}},
                 "added_tokens": [{"id": 9, "content": "<|endoftext|>"}]}""");
        assertThat(TokenizerVocabulary.idCount(tmp)).hasValue(10);
        TokenizerVocabulary.requireWithin(tmp, 10);
        assertThatThrownBy(() -> TokenizerVocabulary.requireWithin(tmp, 9)).isInstanceOf(UserError.class)
                .hasMessageContaining("10 ids").hasMessageContaining("vocab_size is 9");
    }

    @Test
    void aUnigramListCountsItsEntries() throws Exception {
        Files.writeString(tmp.resolve("tokenizer.json"), """
                {"model": {"type": "Unigram", "vocab": [["<pad>", 0.0], ["</s>", 0.0], ["<unk>", 0.0]]}}""");
        assertThat(TokenizerVocabulary.idCount(tmp)).hasValue(3);
    }

    @Test
    void spieceModelAddsTheExtraIds() throws Exception {
        Path golden = Golden.dir("peft-adapter-format").resolve("tiny-t5-tokenizer");
        assertThat(TokenizerVocabulary.idCount(golden)).hasValue(128);
        Files.copy(golden.resolve("spiece.model"), tmp.resolve("spiece.model"));
        assertThat(TokenizerVocabulary.idCount(tmp)).hasValue(228);
    }

    @Test
    void aDirectoryWithoutTokenizerFilesIsNotChecked() {
        assertThat(TokenizerVocabulary.idCount(tmp)).isEmpty();
        TokenizerVocabulary.requireWithin(tmp, 1);
    }
}
