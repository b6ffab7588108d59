package peft4j.data.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import peft4j.api.Progress;
import peft4j.data.DatasetManifest;
import peft4j.data.DatasetStore;
import peft4j.data.Example;
import peft4j.data.TaskSplits;

/** Pulls the real polarity data with apt-get. Run with {@code -Dpeft4j.network=true}. */
@RealNetwork
class PolarityNetworkTest {

    @TempDir
    Path home;

    @Test
    void pullsTheRealCorpusIntoBalancedSplits() {
        DatasetStore store = new DatasetStore(home);

        TaskSplits splits = store.load("polarity", Progress.Factory.SILENT);
        DatasetManifest manifest = store.manifest("polarity");

        assertThat(splits.sizes()).containsExactly(entry("train", 3200), entry("dev", 400), entry("test", 400));
        for (String split : TaskSplits.NAMES) {
            List<Example> examples = splits.split(split);
            long positive = examples.stream().filter(e -> e.label().equals("positive")).count();
            assertThat(positive * 2).as(split).isEqualTo(examples.size());
        }
        assertThat(manifest.source().packageName()).isEqualTo("python3-pattern");
        assertThat(manifest.source().sha256()).hasSize(64);
        assertThat(manifest.labelCounts().get("train")).isEqualTo(Map.of("negative", 1600, "positive", 1600));
        System.out.printf("polarity: %s from %s %s (.deb sha256 %s); label counts %s; file sha256 %s%n",
                manifest.counts(), manifest.source().packageName(), manifest.source().version(),
                manifest.source().sha256(), manifest.labelCounts(), manifest.sha256());

        String trainSha = manifest.sha256().get("train.jsonl");
        store.pull("polarity", true, Progress.Factory.SILENT);
        assertThat(store.manifest("polarity").sha256().get("train.jsonl")).isEqualTo(trainSha);
    }
}
