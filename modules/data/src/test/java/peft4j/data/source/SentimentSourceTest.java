package peft4j.data.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import peft4j.api.UserError;
import peft4j.data.Example;
import peft4j.data.RawData;
import peft4j.data.Tasks;

class SentimentSourceTest {

    private final SentimentSource source = new SentimentSource(Tasks.get("sentiment-yelp"));

    @TempDir
    Path tmp;

    private static final String FIXTURE = "[{\"text\":\"Wow... Loved this place.\",\"class\":1},"
            + "{\"text\":\"Crust is not good.  \",\"class\":0},"
            + "{\"text\":\"Wow... Loved this place.\",\"class\":1},"
            + "{\"text\":\"Say \\\"no\\\", twice.\",\"class\":0},"
            + "{\"text\":\"\",\"class\":null}]";

    @Test
    void skipsTheEmptyClosingRecordAndDuplicatesAndMapsClasses() {
        assertThat(source.parseJson(FIXTURE, "yelp.json")).containsExactly(
                Example.of("sentiment-yelp-0000", "Wow... Loved this place.", "positive"),
                Example.of("sentiment-yelp-0001", "Crust is not good.", "negative"),
                Example.of("sentiment-yelp-0002", "Say \"no\", twice.", "negative"));
    }

    @Test
    void readsTheFileWhereThePackageKeepsIt() throws IOException {
        Path file = tmp.resolve("package/test/fixtures/yelp.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, FIXTURE);

        assertThat(source.parse(new RawData("npm", "sentiment", "5.0.2", "00", tmp))).hasSize(3);
    }

    @Test
    void otherClassValuesAreUserErrors() {
        assertThatThrownBy(() -> source.parseJson("[{\"text\":\"meh\",\"class\":2}]", "yelp.json"))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("yelp.json record 0")
                .hasMessageContaining("0 or 1");
    }

    @Test
    void missingFixtureSaysThePackageLayoutChanged() {
        assertThatThrownBy(() -> source.parse(new RawData("npm", "sentiment", "6.0.0", "00", tmp)))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("sentiment 6.0.0 has no file package/test/fixtures/yelp.json");
    }

    @Test
    void allThreeDomainsShareThePolarityPrompt() {
        for (String name : new String[] {"sentiment-imdb", "sentiment-yelp", "sentiment-amazon"}) {
            assertThat(Tasks.get(name).template()).isEqualTo(Tasks.get("polarity").template());
            assertThat(Tasks.get(name).verbalizer()).isEqualTo(Tasks.get("polarity").verbalizer());
            assertThat(Tasks.get(name).source().path()).endsWith(name.substring("sentiment-".length()) + ".json");
        }
    }
}
