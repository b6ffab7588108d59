package peft4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import peft4j.api.AdaptationMethod;
import peft4j.api.Adapter;
import peft4j.api.Methods;
import peft4j.api.NamedTensor;
import peft4j.api.Progress;
import peft4j.api.TrainingDefaults;
import peft4j.api.io.Safetensors;
import peft4j.backbone.bert.TinyBert;
import peft4j.data.Example;
import peft4j.data.TaskDefinition;
import peft4j.data.TaskSplits;
import peft4j.data.Tasks;
import peft4j.train.head.ClozeHead;
import peft4j.train.run.AdapterFiles;
import peft4j.train.run.Evaluator;
import peft4j.train.run.RunDirectory;
import peft4j.train.run.TrainSettings;
import peft4j.train.run.Trainer;
import peft4j.train.run.Workbench;

/**
 * The shared test matrix (PEFT's idea): every method this distribution ships, found by ServiceLoader exactly as the
 * command line finds them, goes through the same life on a tiny random BERT: attach with its default config, train a
 * few steps with its default optimizer, leave frozen weights bit-identical (or, for a method that replaces the
 * backbone's weights, change them), save, load into a fresh backbone, and predict exactly the same; a run killed
 * mid-way resumes to the values of an unbroken one. A new method
 * module joins by being a dependency of this module, like every method the CLI ships; nothing here names one.
 */
class MethodMatrixTest {

    private static final TaskDefinition TASK = Tasks.get("polarity");

    @TempDir
    Path tmp;

    static Stream<String> methods() {
        return Methods.discover().stream().map(AdaptationMethod::name);
    }

    @Test
    void theMatrixSeesEveryShippedMethod() {
        assertThat(methods().toList()).contains("prompt-design", "prompt-tuning", "prefix-tuning", "model-tuning");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void trainsSavesAndReloadsToIdenticalPredictions(String name) throws Exception {
        AdaptationMethod<?> method = Methods.require(name);
        TaskSplits splits = splits();
        Path base = TinyBert.writeModel(tmp.resolve("base"), 3);
        Map<String, String> baseFiles = hashes(base);
        RunDirectory run = new RunDirectory(tmp.resolve("run"), base);
        float[][] before;
        boolean replaces;
        try (Workbench bench = Workbench.open(base, "pytorch", "cpu");
                Adapter adapter = bench.attachUnchecked(method, method.defaultConfig(), TASK, splits, 11)) {
            replaces = adapter.replacesBackboneWeights();
            Map<String, float[]> weightsBefore = values(bench.backbone().weights());
            List<float[]> tunedBefore = adapter.trainableTensors().stream().map(t -> t.array().toFloatArray()).toList();
            ClozeHead head = bench.head(TASK, adapter.insertedPositions());
            List<ClozeHead.Encoded> dev = encode(head, adapter, splits.dev());
            if (adapter.trainableTensors().isEmpty()) {
                AdapterFiles.save(run.adapterDirectory(), adapter, Map.of("task", TASK.name()), base);
            } else {
                TrainingDefaults defaults = method.trainingDefaults();
                TrainSettings settings = new TrainSettings(4, 8, 2, 0, 11, defaults.optimizer(),
                        defaults.learningRate(), 0, 0);
                new Trainer(bench.backbone(), adapter, head, settings, run, Progress.Factory.SILENT)
                        .train(encode(head, adapter, splits.train()), dev, Map.of("task", TASK.name()), false);
                for (int i = 0; i < tunedBefore.size(); i++) {
                    NamedTensor t = adapter.trainableTensors().get(i);
                    if (!replaces) {
                        assertThat(t.array().toFloatArray()).as("trained " + t.name()).isNotEqualTo(tunedBefore.get(i));
                    }
                }
            }
            Map<String, float[]> weightsAfter = values(bench.backbone().weights());
            if (replaces) {
                long changed = weightsAfter.keySet().stream()
                        .filter(w -> !java.util.Arrays.equals(weightsAfter.get(w), weightsBefore.get(w))).count();
                assertThat(changed).as("backbone weights changed by " + name).isGreaterThan(weightsAfter.size() / 2);
            } else {
                weightsAfter.forEach((w, v) -> assertThat(v).as(name + " left " + w + " frozen")
                        .containsExactly(weightsBefore.get(w)));
            }
            before = new Evaluator(bench.backbone(), head, 8).predict(adapter, dev, Progress.SILENT).probabilities();
        }
        assertThat(hashes(base)).as("the base model on disk").isEqualTo(baseFiles);

        Path saved = run.adapterDirectory();
        Path model = AdapterFiles.holdsModel(saved) ? saved : base;
        assertThat(model.equals(saved)).as("saved as a whole model").isEqualTo(replaces);
        try (Workbench fresh = Workbench.open(model, "pytorch", "cpu")) {
            AdapterFiles.Description description = AdapterFiles.describe(saved, fresh.backbone().spec());
            assertThat(description.method().name()).isEqualTo(name);
            try (Adapter loaded = fresh.attachUnchecked(description.method(), description.config(), TASK, splits, 99)) {
                AdapterFiles.loadInto(saved, loaded);
                ClozeHead head = fresh.head(TASK, loaded.insertedPositions());
                float[][] after = new Evaluator(fresh.backbone(), head, 8)
                        .predict(loaded, encode(head, loaded, splits.dev()), Progress.SILENT).probabilities();
                assertThat(after).as("predictions after reloading").isDeepEqualTo(before);
            }
        }
    }

    /** A run killed after step 3 and resumed from its step-2 checkpoint ends with the values of an unbroken run. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void aKilledRunResumesToTheSameValues(String name) throws Exception {
        AdaptationMethod<?> method = Methods.require(name);
        TaskSplits splits = splits();
        Path base = TinyBert.writeModel(tmp.resolve("base"), 3);
        Path straight = tmp.resolve("straight");
        Path killed = tmp.resolve("killed");
        boolean trains = train(method, base, splits, straight, 11, false, Progress.Factory.SILENT);
        Assumptions.assumeTrue(trains, name + " has nothing to train");
        try {
            train(method, base, splits, killed, 11, false, dieAfterStep(3));
            throw new AssertionError("the run was not killed");
        } catch (KilledForTest expected) {
            // As after kill -9: the checkpoint of step 2 is on disk.
        }
        // Another seed: what the resumed run starts from must come from the checkpoint.
        train(method, base, splits, killed, 12, true, Progress.Factory.SILENT);
        for (String dir : List.of("adapter", "checkpoint")) {
            Path expected = tensorsFile(straight.resolve(dir));
            Path actual = tensorsFile(killed.resolve(dir));
            Safetensors want = Safetensors.open(expected);
            Safetensors got = Safetensors.open(actual);
            assertThat(got.tensors().keySet()).isEqualTo(want.tensors().keySet());
            for (String tensor : want.tensors().keySet()) {
                assertThat(got.floats(tensor)).as(dir + "/" + tensor).containsExactly(want.floats(tensor));
            }
        }
    }

    private static Path tensorsFile(Path dir) {
        Path model = dir.resolve(AdapterFiles.MODEL_TENSORS);
        return Files.exists(model) ? model : dir.resolve(AdapterFiles.TENSORS);
    }

    /** Trains 4 steps (evaluating and checkpointing every 2) on a fresh backbone; false if nothing trains. */
    private static boolean train(AdaptationMethod<?> method, Path base, TaskSplits splits, Path out, long seed,
            boolean resume, Progress.Factory progress) throws IOException {
        try (Workbench bench = Workbench.open(base, "pytorch", "cpu");
                Adapter adapter = bench.attachUnchecked(method, method.defaultConfig(), TASK, splits, seed)) {
            if (adapter.trainableTensors().isEmpty()) {
                return false;
            }
            TrainingDefaults defaults = method.trainingDefaults();
            TrainSettings settings = new TrainSettings(4, 8, 2, 0, 11, defaults.optimizer(), defaults.learningRate(),
                    0, 0);
            ClozeHead head = bench.head(TASK, adapter.insertedPositions());
            new Trainer(bench.backbone(), adapter, head, settings, new RunDirectory(out, base), progress)
                    .train(encode(head, adapter, splits.train()), encode(head, adapter, splits.dev()),
                            Map.of("task", TASK.name()), resume);
            return true;
        }
    }

    private static Progress.Factory dieAfterStep(int lastStep) {
        return (task, total, unit) -> new Progress() {
            long done;

            @Override
            public void advance(long amount) {
                done += amount;
                if (task.startsWith("Training") && done >= lastStep) {
                    throw new KilledForTest();
                }
            }

            @Override
            public void close() {
            }
        };
    }

    /** Stands in for kill -9: nothing after it runs but finally blocks. */
    static final class KilledForTest extends Error {
    }

    private static List<ClozeHead.Encoded> encode(ClozeHead head, Adapter adapter, List<Example> examples) {
        return examples.stream().map(e -> head.encode(e, adapter)).toList();
    }

    private static Map<String, float[]> values(Map<String, ai.djl.ndarray.NDArray> arrays) {
        Map<String, float[]> out = new HashMap<>();
        arrays.forEach((name, array) -> out.put(name, array.toFloatArray()));
        return out;
    }

    private static Map<String, String> hashes(Path dir) throws IOException {
        Map<String, String> out = new HashMap<>();
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                try (InputStream in = new DigestInputStream(Files.newInputStream(file),
                        MessageDigest.getInstance("SHA-256"))) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                    out.put(file.getFileName().toString(),
                            HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest()));
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return out;
    }

    /** Short sentences of TinyBert's words; "good/fun/love" mean positive, "bad/boring" negative. */
    private static TaskSplits splits() {
        Random random = new Random(1);
        String[] positive = {"good", "fun", "love"};
        String[] negative = {"bad", "boring"};
        String[] filler = {"the", "movie", "is", "very", "a", "dog", "cat", "play"};
        List<List<Example>> parts = new ArrayList<>();
        int id = 0;
        for (int size : new int[] {24, 12, 4}) {
            List<Example> part = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                boolean pos = i % 2 == 0;
                StringBuilder text = new StringBuilder();
                for (int w = 0; w < 1 + random.nextInt(4); w++) {
                    text.append(filler[random.nextInt(filler.length)]).append(' ');
                }
                text.append(pos ? positive[random.nextInt(3)] : negative[random.nextInt(2)]).append(" .");
                part.add(new Example("tiny-" + id++, text.toString(), null, pos ? "positive" : "negative"));
            }
            parts.add(part);
        }
        return new TaskSplits(parts.get(0), parts.get(1), parts.get(2));
    }
}
