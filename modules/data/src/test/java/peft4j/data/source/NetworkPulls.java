package peft4j.data.source;

import static org.assertj.core.api.Assertions.assertThat;

import peft4j.api.Progress;
import peft4j.data.DatasetManifest;
import peft4j.data.DatasetStore;
import peft4j.data.TaskSplits;

/** The checks every real pull gets: the expected sizes (the store enforces them), provenance, and determinism. */
final class NetworkPulls {

    private NetworkPulls() {
    }

    static DatasetManifest pullTwiceAndReport(DatasetStore store, String task) {
        TaskSplits splits = store.pull(task, true, Progress.Factory.SILENT);
        DatasetManifest manifest = store.manifest(task);
        assertThat(manifest.source().sha256()).matches("[0-9a-f]{64}(,[0-9a-f]{64})*");
        assertThat(splits.total()).isEqualTo(store.definition(task).expectedSizes().total());
        System.out.printf("%s: %s from %s %s %s (archive sha256 %s); label counts %s; file sha256 %s%n", task,
                manifest.counts(), manifest.source().kind(), manifest.source().packageName(),
                manifest.source().version(), manifest.source().sha256(), manifest.labelCounts(), manifest.sha256());
        var shown = splits.train().isEmpty() ? splits.test() : splits.train();
        shown.stream().limit(3).forEach(e -> System.out.println("  e.g. " + e));
        assertThat(store.load(task, Progress.Factory.SILENT)).isEqualTo(splits); // the cache reads back
        store.pull(task, true, Progress.Factory.SILENT);
        assertThat(store.manifest(task).sha256()).isEqualTo(manifest.sha256());
        return manifest;
    }
}
