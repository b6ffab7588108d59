package peft4j.backbone.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import peft4j.api.UserError;
import peft4j.backbone.bert.TinyBert;

/** How {@link Tokenizers#forModel} picks the algorithm, and what it says when nothing fits. */
class TokenizersTest {

    @TempDir
    Path tmp;

    @Test
    void aBertDirectoryGetsWordPiece() throws Exception {
        Path dir = TinyBert.writeModel(tmp.resolve("bert"), 1);
        try (TextTokenizer tokenizer = Tokenizers.forModel(dir)) {
            assertThat(tokenizer).isInstanceOf(BertTokenizer.class);
            assertThat(tokenizer.ids("the cat")).containsExactly(2, 5, 7, 3);
            assertThat(tokenizer.decode(tokenizer.ids("the cat"))).isEqualTo("the cat");
            assertThat(tokenizer.id("[MASK]")).isEqualTo(4);
        }
    }

    @Test
    void withoutConfigTheFilesDecide() throws Exception {
        Files.writeString(tmp.resolve("merges.txt"), "#version: 0.2\n");
        assertThat(Tokenizers.family(tmp)).isEqualTo("gpt2");
        Files.writeString(tmp.resolve("tokenizer_config.json"), "{\"tokenizer_class\": \"T5TokenizerFast\"}");
        assertThat(Tokenizers.family(tmp)).isEqualTo("t5");
        Files.writeString(tmp.resolve("config.json"), "{\"model_type\": \"bert\"}");
        assertThat(Tokenizers.family(tmp)).isEqualTo("bert");
    }

    @Test
    void nothingToLoadIsAOneLineError() {
        assertThatThrownBy(() -> Tokenizers.forModel(tmp)).isInstanceOf(UserError.class)
                .hasMessageContaining("no tokenizer in " + tmp);
        assertThatThrownBy(() -> Tokenizers.forModel(tmp.resolve("absent"))).isInstanceOf(UserError.class)
                .hasMessageContaining("does not exist");
    }
}
