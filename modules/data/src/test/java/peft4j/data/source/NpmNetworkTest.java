package peft4j.data.source;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import peft4j.data.DatasetStore;

/** Pulls the real data of the npm-backed tasks with npm. Run with {@code -Dpeft4j.network=true}. */
@RealNetwork
class NpmNetworkTest {

    @TempDir
    Path home;

    @ParameterizedTest
    @ValueSource(strings = {"sentiment-imdb", "sentiment-yelp", "sentiment-amazon", "spam"})
    void pullsTheRealDataTwiceIntoIdenticalSplits(String task) {
        NetworkPulls.pullTwiceAndReport(new DatasetStore(home), task);
    }
}
