package peft4j.backbone.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import peft4j.backbone.Golden;

/** Every string of the golden tokenization fixture, through the tokenizer.json our conversion writes. */
@Tag("real-model")
@EnabledIfSystemProperty(named = "peft4j.realModel", matches = "true")
class BertTokenizerGoldenTest {

    private static BertTokenizer tokenizer;

    @BeforeAll
    static void load() {
        tokenizer = BertTokenizer.load(Golden.bertBase());
    }

    static Stream<Arguments> cases() throws IOException {
        JsonNode root = new ObjectMapper().readTree(
                Files.readString(Golden.dir("bert-base-uncased").resolve("tokenization.json"), StandardCharsets.UTF_8));
        List<Arguments> cases = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            List<String> tokens = new ArrayList<>();
            c.get("tokens").forEach(t -> tokens.add(t.asText()));
            long[] ids = new long[c.get("input_ids").size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = c.get("input_ids").get(i).asLong();
            }
            cases.add(Arguments.of(c.get("text").asText(), tokens, ids));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cases")
    void matchesHuggingFaceBertTokenizer(String text, List<String> tokens, long[] ids) {
        assertThat(tokenizer.encode(text).ids()).containsExactly(ids);
        assertThat(tokenizer.tokenize(text)).containsExactlyElementsOf(tokens);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

}
