package peft4j.data.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import peft4j.api.Progress;
import peft4j.data.DatasetStore;
import peft4j.data.Example;
import peft4j.data.TaskSplits;
import peft4j.data.Tasks;

/** Pulls the real LanguageTool rules with Maven. Run with {@code -Dpeft4j.network=true}. */
@RealNetwork
class MavenNetworkTest {

    @TempDir
    Path home;

    @Test
    void acceptabilityPullIsDeterministicAndNoRuleCrossesSplits() {
        DatasetStore store = new DatasetStore(home);
        NetworkPulls.pullTwiceAndReport(store, "acceptability-lt");
        TaskSplits splits = store.load("acceptability-lt", Progress.Factory.SILENT);
        AcceptabilitySource source = (AcceptabilitySource) Tasks.source("acceptability-lt");
        Set<String> trainRules = new HashSet<>();
        splits.train().forEach(e -> trainRules.add(source.splitGroup(e)));
        for (Example example : splits.test()) {
            assertThat(trainRules).doesNotContain(source.splitGroup(example));
        }
    }
}
