package peft4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import peft4j.api.Progress;
import peft4j.api.UserError;

class DatasetStoreTest {

    @TempDir
    Path home;

    /** 20 examples, 10 per label, that count how often they are fetched. */
    static class FakeSource implements DatasetSource {
        private final TaskDefinition task = TestTasks.definition("fake", TestTasks.expecting(16, 2, 2));
        int acquired;

        @Override
        public TaskDefinition task() {
            return task;
        }

        @Override
        public RawData acquire(Path downloads, Progress.Factory progress) throws IOException {
            acquired++;
            Files.createDirectories(downloads);
            return new RawData("fake", "fake-package", "1.0-1", "ab".repeat(32), downloads);
        }

        @Override
        public List<Example> parse(RawData raw) {
            List<Example> examples = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                examples.add(Example.of(String.format("fake-%04d", i), "sentence \"" + i + "\", ok",
                        i % 2 == 0 ? "positive" : "negative"));
            }
            return examples;
        }
    }

    private final FakeSource source = new FakeSource();

    private DatasetStore store() {
        return new DatasetStore(home, Map.of("fake", source));
    }

    @Test
    void firstLoadPullsAndWritesSplitsAndManifest() {
        DatasetStore store = store();
        assertThat(store.isCached("fake")).isFalse();
        assertThat(store.splitSizes("fake")).containsExactly(entry("train", 16), entry("dev", 2), entry("test", 2));

        TaskSplits splits = store.load("fake", Progress.Factory.SILENT);

        assertThat(splits.sizes()).containsExactly(entry("train", 16), entry("dev", 2), entry("test", 2));
        assertThat(store.isCached("fake")).isTrue();
        Path dir = store.datasetDir("fake");
        assertThat(dir).isEqualTo(home.resolve("datasets/fake"));
        assertThat(dir.resolve("train.jsonl")).exists();
        assertThat(dir.resolve("dev.jsonl")).exists();
        assertThat(dir.resolve("test.jsonl")).exists();
        DatasetManifest manifest = store.manifest("fake");
        assertThat(manifest.source().packageName()).isEqualTo("fake-package");
        assertThat(manifest.source().version()).isEqualTo("1.0-1");
        assertThat(manifest.source().sha256()).isEqualTo("ab".repeat(32));
        assertThat(manifest.split().seed()).isEqualTo(42);
        assertThat(manifest.counts()).containsEntry("train", 16);
        assertThat(manifest.labelCounts().get("train")).containsEntry("positive", 8).containsEntry("negative", 8);
        assertThat(manifest.sha256()).containsOnlyKeys("train.jsonl", "dev.jsonl", "test.jsonl");
        assertThat(manifest.created()).isNotBlank();
    }

    @Test
    void cachedLoadReadsTheSameSplitsWithoutFetchingAgain() {
        TaskSplits pulled = store().load("fake", Progress.Factory.SILENT);

        TaskSplits cached = store().load("fake", Progress.Factory.SILENT);

        assertThat(cached).isEqualTo(pulled);
        assertThat(source.acquired).isEqualTo(1);
        assertThat(store().pull("fake", false, Progress.Factory.SILENT)).isEqualTo(pulled);
        assertThat(source.acquired).isEqualTo(1);
    }

    @Test
    void tamperedSplitFileIsAUserErrorNamingTheFile() throws IOException {
        DatasetStore store = store();
        store.load("fake", Progress.Factory.SILENT);
        Path dev = store.datasetDir("fake").resolve("dev.jsonl");
        Files.writeString(dev, Files.readString(dev).replace("positive", "negative"));

        assertThatThrownBy(() -> store.load("fake", Progress.Factory.SILENT))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("sha256")
                .hasMessageContaining("dev.jsonl")
                .hasMessageContaining("peft4j datasets pull --force fake");
    }

    @Test
    void missingSplitFileIsAUserError() throws IOException {
        DatasetStore store = store();
        store.load("fake", Progress.Factory.SILENT);
        Files.delete(store.datasetDir("fake").resolve("test.jsonl"));

        assertThatThrownBy(() -> store.load("fake", Progress.Factory.SILENT))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("test.jsonl is missing");
    }

    @Test
    void forcedPullFetchesAgainAndWritesIdenticalFiles() throws IOException {
        DatasetStore store = store();
        store.load("fake", Progress.Factory.SILENT);
        DatasetManifest first = store.manifest("fake");
        byte[] firstTrain = Files.readAllBytes(store.datasetDir("fake").resolve("train.jsonl"));

        store.pull("fake", true, Progress.Factory.SILENT);

        assertThat(source.acquired).isEqualTo(2);
        assertThat(store.manifest("fake").sha256()).isEqualTo(first.sha256());
        assertThat(Files.readAllBytes(store.datasetDir("fake").resolve("train.jsonl"))).isEqualTo(firstTrain);
    }

    @Test
    void forcedPullRepairsATamperedCache() throws IOException {
        DatasetStore store = store();
        TaskSplits pulled = store.load("fake", Progress.Factory.SILENT);
        Files.writeString(store.datasetDir("fake").resolve("train.jsonl"), "garbage\n", StandardCharsets.UTF_8);

        store.pull("fake", true, Progress.Factory.SILENT);

        assertThat(store.load("fake", Progress.Factory.SILENT)).isEqualTo(pulled);
    }

    @Test
    void pullLeavesNoTemporaryDirectoriesBehind() throws IOException {
        DatasetStore store = store();
        Files.createDirectories(home.resolve("datasets/.fake.pull-123")); // an interrupted earlier pull
        store.pull("fake", false, Progress.Factory.SILENT);
        store.pull("fake", true, Progress.Factory.SILENT);

        try (Stream<Path> entries = Files.list(home.resolve("datasets"))) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("fake");
        }
    }

    @Test
    void failedPullLeavesNoDatasetDirectory() {
        DatasetSource broken = new FakeSource() {
            @Override
            public List<Example> parse(RawData raw) {
                return super.parse(raw).subList(0, 10); // fewer than the task file expects
            }
        };
        DatasetStore store = new DatasetStore(home, Map.of("fake", broken));

        assertThatThrownBy(() -> store.load("fake", Progress.Factory.SILENT))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("expected_sizes");
        assertThat(store.isCached("fake")).isFalse();
        assertThat(store.datasetDir("fake")).doesNotExist();
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void datasetDirectoryIsReadableByOthersLikeAnyCacheDirectory() throws IOException {
        DatasetStore store = store();
        store.load("fake", Progress.Factory.SILENT);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.datasetDir("fake"))))
                .isEqualTo("rwxr-xr-x");
    }

    @Test
    void unknownTaskIsAUserError() {
        assertThatThrownBy(() -> store().load("nope", Progress.Factory.SILENT))
                .isInstanceOf(UserError.class)
                .hasMessage("unknown task 'nope'; known tasks: fake");
        assertThatThrownBy(() -> store().isCached("nope")).isInstanceOf(UserError.class);
    }

    @Test
    void manifestOfAnUnpulledTaskSaysHowToPull() {
        assertThatThrownBy(() -> store().manifest("fake"))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("peft4j datasets pull fake");
    }

    @Test
    void homeComesFromTheEnvironmentOrTheUserCache() {
        assertThat(DatasetStore.defaultHome("/data/peft4j", "/home/u")).isEqualTo(Path.of("/data/peft4j"));
        assertThat(DatasetStore.defaultHome(null, "/home/u")).isEqualTo(Path.of("/home/u/.cache/peft4j"));
        assertThat(DatasetStore.defaultHome("", "/home/u")).isEqualTo(Path.of("/home/u/.cache/peft4j"));
    }

    @Test
    void manifestWrittenBeforeGroupedSplitsExistedStillLoads() throws IOException {
        DatasetStore store = store();
        TaskSplits pulled = store.load("fake", Progress.Factory.SILENT);
        Path manifest = store.datasetDir("fake").resolve(DatasetStore.MANIFEST);
        String json = Files.readString(manifest);
        assertThat(json).contains("\"group_by\" : \"label\"");
        Files.writeString(manifest, json.replaceAll(",\\s*\"group_by\" : \"label\"", ""));

        assertThat(store.manifest("fake").split().groupBy()).isEqualTo("label");
        assertThat(store.load("fake", Progress.Factory.SILENT)).isEqualTo(pulled);
    }

    @Test
    void groupedTaskIsSplitByTheGroupsItsSourceAssigns() {
        DatasetSource grouped = new FakeSource() {
            private final TaskDefinition task = TestTasks.definition("fake", json -> {
                TestTasks.expecting(16, 2, 2).accept(json);
                ((com.fasterxml.jackson.databind.node.ObjectNode) json.get("split")).put("group_by", "pair");
            });

            @Override
            public TaskDefinition task() {
                return task;
            }

            @Override
            public String splitGroup(Example example) {
                return String.valueOf(Integer.parseInt(example.id().substring(5)) / 2); // 0-1, 2-3, ...
            }
        };
        DatasetStore store = new DatasetStore(home, Map.of("fake", grouped));

        TaskSplits splits = store.load("fake", Progress.Factory.SILENT);

        assertThat(splits.sizes()).containsExactly(entry("train", 16), entry("dev", 2), entry("test", 2));
        assertThat(splits.test().stream().map(grouped::splitGroup).distinct()).hasSize(1);
        assertThat(store.manifest("fake").split().groupBy()).isEqualTo("pair");
    }
}
