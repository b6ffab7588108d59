package peft4j.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import peft4j.api.Progress;
import peft4j.api.UserError;
import peft4j.api.io.FileTrees;
import peft4j.data.files.Sha256;

/**
 * The local cache of task data. The first load of a task pulls it: its source downloads the raw data into
 * {@code <home>/downloads/}, the examples are split with the task's fixed seed, and {@code train.jsonl},
 * {@code dev.jsonl}, {@code test.jsonl} and {@code manifest.json} are written to {@code <home>/datasets/<task>/}.
 * That directory is assembled under a temporary name and renamed into place, so an interrupted pull leaves nothing
 * half-written. Later loads read the cached files and check each one's sha256 against the manifest.
 */
public final class DatasetStore {

    /** Environment variable naming the home directory; the default is {@code ~/.cache/peft4j}. */
    public static final String HOME_VARIABLE = "PEFT4J_HOME";

    static final String MANIFEST = "manifest.json";

    private final Path home;
    private final Map<String, DatasetSource> sources;

    /** A store in {@code home} for the built-in {@link Tasks}. */
    public DatasetStore(Path home) {
        this(home, Tasks.sources());
    }

    /** A store in {@code home} for the given tasks (by name); tests pass sources that need no network. */
    public DatasetStore(Path home, Map<String, DatasetSource> sources) {
        this.home = home;
        this.sources = new TreeMap<>(sources);
    }

    /** A store in {@code $PEFT4J_HOME}, or {@code ~/.cache/peft4j} when that is unset. */
    public static DatasetStore fromEnvironment() {
        return new DatasetStore(defaultHome(System.getenv(HOME_VARIABLE), System.getProperty("user.home")));
    }

    static Path defaultHome(String homeVariable, String userHome) {
        if (homeVariable != null && !homeVariable.isBlank()) {
            return Path.of(homeVariable);
        }
        return Path.of(userHome, ".cache", "peft4j");
    }

    public Path home() {
        return home;
    }

    /** Where raw downloads (e.g. .deb files) are kept. */
    public Path downloadsDir() {
        return home.resolve("downloads");
    }

    /** Where task {@code task}'s split files and manifest live. */
    public Path datasetDir(String task) {
        return home.resolve("datasets").resolve(task);
    }

    /** The tasks this store knows, sorted. */
    public List<String> tasks() {
        return List.copyOf(sources.keySet());
    }

    /** The definition of {@code task}; a {@link UserError} if it is unknown. */
    public TaskDefinition definition(String task) {
        return source(task).task();
    }

    /** Whether {@code task} has been pulled (its manifest exists); says nothing about the files' integrity. */
    public boolean isCached(String task) {
        source(task);
        return Files.isRegularFile(datasetDir(task).resolve(MANIFEST));
    }

    /**
     * Examples per split: the pulled counts if {@code task} is cached, otherwise the sizes its definition expects.
     * Keys are {@code train}, {@code dev}, {@code test} in that order.
     */
    public Map<String, Integer> splitSizes(String task) {
        if (isCached(task)) {
            return new LinkedHashMap<>(manifest(task).counts());
        }
        TaskDefinition.ExpectedSizes expected = definition(task).expectedSizes();
        Map<String, Integer> sizes = new LinkedHashMap<>();
        sizes.put("train", expected.train());
        sizes.put("dev", expected.dev());
        sizes.put("test", expected.test());
        return sizes;
    }

    /** The manifest of a pulled task, for dataset cards and run records. */
    public DatasetManifest manifest(String task) {
        Path file = datasetDir(task).resolve(MANIFEST);
        try {
            return Json.MAPPER.readValue(Files.readString(file), DatasetManifest.class);
        } catch (NoSuchFileException e) {
            throw new UserError("task " + task + " has not been pulled (no " + file + "); run `peft4j datasets pull "
                    + task + "`");
        } catch (JsonMappingException e) {
            throw damaged(task, file, "is not a valid manifest: " + Json.describe(e));
        } catch (JsonProcessingException e) {
            throw damaged(task, file, "is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The splits of {@code task}: from the cache, after checking it, or pulled first if not cached. */
    public TaskSplits load(String task, Progress.Factory progress) {
        if (!isCached(task)) {
            return pull(task, false, progress);
        }
        DatasetManifest manifest = manifest(task);
        List<List<Example>> splits = new ArrayList<>();
        try (Progress bar = progress.start("read " + task, TaskSplits.NAMES.size(), "files")) {
            for (String split : TaskSplits.NAMES) {
                splits.add(readVerified(task, split, manifest));
                bar.advance(1);
            }
        }
        return new TaskSplits(splits.get(0), splits.get(1), splits.get(2));
    }

    /**
     * Fetches, parses and splits {@code task}'s data and writes it to the cache. Without {@code force} a task that is
     * already cached is only loaded; with it, the data is downloaded again and the cache replaced. The split files of
     * a repeated pull of the same source are byte-identical.
     */
    public TaskSplits pull(String task, boolean force, Progress.Factory progress) {
        DatasetSource source = source(task);
        if (!force && isCached(task)) {
            return load(task, progress);
        }
        TaskDefinition definition = source.task();
        try {
            RawData raw = source.acquire(downloadsDir(), progress);
            List<Example> examples = source.parse(raw);
            requireKnownLabels(definition, raw, examples);
            TaskDefinition.SplitPolicy policy = definition.split();
            TaskSplits splits = policy.isGrouped()
                    ? Splits.grouped(examples, source::splitGroup, policy.seed(), policy.train(), policy.dev())
                    : Splits.stratified(examples, policy.seed(), policy.train(), policy.dev());
            requireExpectedSizes(definition, raw, splits);
            write(definition, raw, splits, progress);
            return splits;
        } catch (IOException e) {
            throw new UncheckedIOException("pulling task " + task + " failed: " + e.getMessage(), e);
        }
    }

    private DatasetSource source(String task) {
        DatasetSource source = sources.get(task);
        if (source == null) {
            throw Tasks.unknownTask(task, tasks());
        }
        return source;
    }

    private void write(TaskDefinition definition, RawData raw, TaskSplits splits, Progress.Factory progress)
            throws IOException {
        String task = definition.name();
        Path datasets = datasetDir(task).getParent();
        Files.createDirectories(datasets);
        String tempPrefix = "." + task + ".pull-";
        // Leftovers of an interrupted pull; the rename below is what makes a pull count.
        FileTrees.deleteLeftovers(datasets, tempPrefix);
        Path work = FileTrees.createStagingDirectory(datasets, tempPrefix);
        try {
            Map<String, Integer> counts = new LinkedHashMap<>();
            Map<String, Map<String, Integer>> labelCounts = new LinkedHashMap<>();
            Map<String, String> sha256 = new LinkedHashMap<>();
            try (Progress bar = progress.start("write " + task, splits.total(), "examples")) {
                for (String split : TaskSplits.NAMES) {
                    List<Example> examples = splits.split(split);
                    byte[] bytes = ExampleLines.encode(examples);
                    Files.write(work.resolve(fileName(split)), bytes);
                    counts.put(split, examples.size());
                    labelCounts.put(split, labelCounts(definition, examples));
                    sha256.put(fileName(split), Sha256.of(bytes));
                    bar.advance(examples.size());
                }
            }
            DatasetManifest manifest = new DatasetManifest(DatasetManifest.FORMAT_VERSION, task,
                    new DatasetManifest.Origin(raw.kind(), raw.name(), raw.version(), raw.sha256(),
                            definition.source().path()),
                    definition.split(), counts, labelCounts, sha256,
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            Files.writeString(work.resolve(MANIFEST), Json.MAPPER.writeValueAsString(manifest) + "\n");
            FileTrees.replaceDirectory(work, datasetDir(task));
        } finally {
            FileTrees.deleteRecursively(work);
        }
    }

    private List<Example> readVerified(String task, String split, DatasetManifest manifest) {
        Path file = datasetDir(task).resolve(fileName(split));
        String expected = manifest.sha256().get(fileName(split));
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw damaged(task, file, "is missing");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        String actual = Sha256.of(bytes);
        if (!actual.equals(expected)) {
            throw damaged(task, file, "does not match its manifest (sha256 " + actual + ", manifest says " + expected
                    + "): it was changed or damaged");
        }
        List<Example> examples = ExampleLines.decode(bytes, file.toString());
        Integer count = manifest.counts().get(split);
        if (count == null || count != examples.size()) {
            throw damaged(task, file, "holds " + examples.size() + " examples but the manifest says " + count);
        }
        return examples;
    }

    private static UserError damaged(String task, Path file, String problem) {
        return new UserError("dataset file " + file + " " + problem + "; re-pull it with `peft4j datasets pull --force "
                + task + "`");
    }

    private static String fileName(String split) {
        return split + ".jsonl";
    }

    private static Map<String, Integer> labelCounts(TaskDefinition definition, List<Example> examples) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String label : definition.labels()) {
            counts.put(label, (int) examples.stream().filter(e -> e.label().equals(label)).count());
        }
        return counts;
    }

    private static void requireKnownLabels(TaskDefinition definition, RawData raw, List<Example> examples) {
        for (Example example : examples) {
            if (!definition.labels().contains(example.label())) {
                throw new UserError(raw.name() + " " + raw.version() + " gives example " + example.id() + " the label '"
                        + example.label() + "', which task " + definition.name() + " does not define (labels "
                        + definition.labels() + "); the source changed: update the task's source");
            }
        }
    }

    /** A different count means the upstream data changed; refuse rather than silently train on other data. */
    private static void requireExpectedSizes(TaskDefinition definition, RawData raw, TaskSplits splits) {
        TaskDefinition.ExpectedSizes expected = definition.expectedSizes();
        Map<String, Integer> actual = splits.sizes();
        boolean matches = splits.total() == expected.total() && actual.get("train") == expected.train()
                && actual.get("dev") == expected.dev() && actual.get("test") == expected.test();
        if (!matches) {
            throw new UserError(raw.name() + " " + raw.version() + " gave " + splits.total() + " examples for task "
                    + definition.name() + " split " + actual + ", but its task file expects " + expected
                    + "; the upstream data changed: check it and update expected_sizes in " + definition.name()
                    + ".json");
        }
    }
}
