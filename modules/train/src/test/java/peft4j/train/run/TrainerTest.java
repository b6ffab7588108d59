package peft4j.train.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.fasterxml.jackson.databind.ObjectMapper;
import peft4j.api.AdaptationMethod;
import peft4j.api.Adapter;
import peft4j.api.MethodConfig;
import peft4j.api.Methods;
import peft4j.api.Progress;
import peft4j.api.UserError;
import peft4j.api.io.Safetensors;
import peft4j.api.io.SafetensorsWriter;
import peft4j.data.TaskDefinition;
import peft4j.data.TaskSplits;
import peft4j.data.Tasks;
import peft4j.train.head.ClozeHead;

/** The training loop on a tiny random BERT: what stays frozen, what resumes, what stops. */
class TrainerTest {

    private static final String PROMPT = "prompt_embeddings";

    @TempDir
    Path tmp;

    private final TaskDefinition task = Tasks.get("polarity");
    private final TaskSplits splits = TinySetup.splits(1);

    private TrainSettings settings(int steps) {
        return new TrainSettings(steps, 8, 2, 0, 11, "adafactor", 0.3, 0, 0);
    }

    private Trainer.Outcome train(Workbench bench, Adapter adapter, Path runDir, int steps, boolean resume,
            Progress.Factory progress) throws Exception {
        ClozeHead head = bench.head(task, adapter.insertedPositions());
        List<ClozeHead.Encoded> train = TrainingJob.encode(head, adapter, splits.train());
        List<ClozeHead.Encoded> dev = TrainingJob.encode(head, adapter, splits.dev());
        return new Trainer(bench.backbone(), adapter, head, settings(steps), new RunDirectory(runDir), progress)
                .train(train, dev, Map.of("task", "tiny"), resume);
    }

    /** Prompt tuning found like core code finds it: through the SPI, configured from JSON. */
    private Adapter attach(Workbench bench, String init) {
        AdaptationMethod<?> method = Methods.require("prompt-tuning");
        MethodConfig config = method.readConfig(new ObjectMapper().createObjectNode().put("length", 3)
                .put("init", init));
        return bench.attachUnchecked(method, config, task, splits, 11);
    }

    @Test
    void backboneWeightsStayBitIdenticalWhileThePromptLearns() throws Exception {
        try (Workbench bench = Workbench.open(TinySetup.model(tmp), "pytorch", "cpu");
                Adapter adapter = attach(bench, "random-uniform")) {
            Map<String, float[]> before = new HashMap<>();
            bench.backbone().weights().forEach((name, array) -> before.put(name, array.toFloatArray()));
            float[] promptBefore = adapter.trainableTensors().get(0).array().toFloatArray();

            train(bench, adapter, tmp.resolve("run"), 6, false, Progress.Factory.SILENT);

            bench.backbone().weights().forEach((name, array) ->
                    assertThat(array.toFloatArray()).as(name).containsExactly(before.get(name)));
            float[] checkpointed = Safetensors.open(tmp.resolve("run/checkpoint/adapter_model.safetensors"))
                    .floats(PROMPT);
            assertThat(checkpointed).isNotEqualTo(promptBefore);
            assertThat(Files.readAllLines(tmp.resolve("run/metrics.jsonl"))).hasSize(6);
            assertThat(tmp.resolve("run/adapter/adapter_model.safetensors")).exists();
        }
    }

    @Test
    void aKilledRunResumesToTheSameAdapterAsAnUninterruptedOne() throws Exception {
        Path model = TinySetup.model(tmp);
        try (Workbench bench = Workbench.open(model, "pytorch", "cpu")) {
            try (Adapter straight = attach(bench, "random-uniform")) {
                train(bench, straight, tmp.resolve("straight"), 8, false, Progress.Factory.SILENT);
            }
            try (Adapter first = attach(bench, "random-uniform")) {
                // Dies abruptly after step 5: its metrics are written, the last checkpoint is the one of step 4.
                assertThatThrownBy(() -> train(bench, first, tmp.resolve("killed"), 8, false, dieAfterStep(5)))
                        .isInstanceOf(KilledForTest.class);
            }
            assertThat(Files.readString(tmp.resolve("killed/checkpoint/state.json"))).contains("\"step\":4");
            try (Adapter resumed = attach(bench, "sampled-vocab")) {
                train(bench, resumed, tmp.resolve("killed"), 8, true, Progress.Factory.SILENT);
            }
        }
        for (String file : List.of("checkpoint/adapter_model.safetensors", "adapter/adapter_model.safetensors")) {
            assertThat(Safetensors.open(tmp.resolve("killed").resolve(file)).floats(PROMPT))
                    .as(file).containsExactly(Safetensors.open(tmp.resolve("straight").resolve(file))
                            .floats(PROMPT));
        }
        assertThat(withoutTimes(tmp.resolve("killed/metrics.jsonl")))
                .isEqualTo(withoutTimes(tmp.resolve("straight/metrics.jsonl")));
        assertThat(Files.readAllLines(tmp.resolve("killed/metrics.jsonl"))).hasSize(8);
    }

    @Test
    void aNonFiniteLossStopsWithAClearMessage() throws Exception {
        Path promptFile = tmp.resolve("nan-prompt.safetensors");
        float[] nan = new float[3 * 16];
        java.util.Arrays.fill(nan, Float.NaN);
        SafetensorsWriter.write(promptFile, Map.of(PROMPT, SafetensorsWriter.Tensor.ofFloats(nan,
                3, 16)), Map.of());
        try (Workbench bench = Workbench.open(TinySetup.model(tmp), "pytorch", "cpu");
                Adapter adapter = attach(bench, "file:" + promptFile)) {
            assertThatThrownBy(() -> train(bench, adapter, tmp.resolve("nan"), 4, false, Progress.Factory.SILENT))
                    .isInstanceOf(UserError.class).hasMessageContaining("the loss became NaN")
                    .hasMessageContaining("--lr");
        }
    }

    @Test
    void batchesArePureFunctionsOfSeedAndStepAndCoverEachEpoch() {
        int[] lengths = new int[37];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = 5 + (i * 7) % 13;
        }
        BatchSchedule a = new BatchSchedule(lengths, 8, 3);
        BatchSchedule b = new BatchSchedule(lengths, 8, 3);
        assertThat(a.batchesPerEpoch()).isEqualTo(5);
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int step = 0; step < 5; step++) {
            for (int i : a.batch(step)) {
                seen.add(i);
            }
        }
        assertThat(seen).hasSize(37);
        assertThat(b.batch(7)).containsExactly(a.batch(7));
        assertThat(new BatchSchedule(lengths, 8, 4).batch(0)).isNotEqualTo(a.batch(0));
    }

    private static Progress.Factory dieAfterStep(int lastStep) {
        return (name, total, unit) -> new Progress() {
            long done;

            @Override
            public void advance(long amount) {
                done += amount;
                if (name.startsWith("Training") && done >= lastStep) {
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

    private static List<String> withoutTimes(Path metrics) throws java.io.IOException {
        return Files.readAllLines(metrics).stream().map(l -> l.replaceAll("\"seconds\":[0-9.]+,?", "")).toList();
    }
}
