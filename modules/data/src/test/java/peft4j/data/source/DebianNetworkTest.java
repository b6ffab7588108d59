package peft4j.data.source;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import peft4j.data.DatasetStore;

/** Pulls the real data of the Debian-backed tasks with apt-get. Run with {@code -Dpeft4j.network=true}. */
@RealNetwork
class DebianNetworkTest {

    @TempDir
    Path home;

    @ParameterizedTest
    @ValueSource(strings = {"uncertainty", "wic-wordnet", "paraphrase-bible", "paraphrase-plagiarism"})
    void pullsTheRealDataTwiceIntoIdenticalSplits(String task) {
        NetworkPulls.pullTwiceAndReport(new DatasetStore(home), task);
    }
}
