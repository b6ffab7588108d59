package peft4j.train.t5;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import peft4j.api.AdaptationMethod;
import peft4j.api.Adapter;
import peft4j.api.Methods;
import peft4j.api.Progress;
import peft4j.api.io.Safetensors;
import peft4j.data.Example;
import peft4j.data.TaskDefinition;
import peft4j.data.TaskSplits;
import peft4j.data.Tasks;
import peft4j.train.head.EncodedExample;
import peft4j.train.head.TaskHead;
import peft4j.train.head.TextToTextHead;
import peft4j.train.run.Evaluator;
import peft4j.train.run.RunDirectory;
import peft4j.train.run.TrainSettings;
import peft4j.train.run.Trainer;
import peft4j.train.run.Workbench;

/**
 * The text-to-text pipeline end to end on the golden tiny T5 with PEFT's 128-piece tokenizer: prompt tuning through
 * the real {@link Trainer} on a synthetic polarity-like task learns (dev accuracy well above the majority class), and
 * the best adapter is written in PEFT's seq2seq layout. A pipeline check on a random model, not a result.
 */
class T5PromptTuningPipelineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** Sentences of pieces the tiny vocabulary holds whole; one marker word decides the label. */
    static TaskSplits splits(long seed) {
        Random random = new Random(seed);
        String[] positive = {"good", "like", "new"};
        String[] negative = {"old", "turn", "spell"};
        String[] filler = {"the", "boy", "animal", "picture", "water", "world", "mother", "day", "year", "home"};
        List<List<Example>> parts = new ArrayList<>();
        int id = 0;
        for (int size : new int[] {96, 40, 8}) {
            List<Example> part = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                boolean pos = random.nextBoolean();
                List<String> words = new ArrayList<>();
                for (int w = 0; w < 2 + random.nextInt(4); w++) {
                    words.add(filler[random.nextInt(filler.length)]);
                }
                String[] markers = pos ? positive : negative;
                words.add(random.nextInt(words.size() + 1), markers[random.nextInt(markers.length)]);
                part.add(Example.of("tiny-" + id++, String.join(" ", words), pos ? "positive" : "negative"));
            }
            parts.add(part);
        }
        return new TaskSplits(parts.get(0), parts.get(1), parts.get(2));
    }

    @Test
    void promptTuningLearnsThroughTheTrainerAndSavesPeftsLayout() throws Exception {
        TaskDefinition task = Tasks.get("polarity");
        TaskSplits splits = splits(3);
        Path model = GoldenT5.modelWithTokenizer(tmp.resolve("t5-tiny"));
        AdaptationMethod<?> method = Methods.require("prompt-tuning");
        var config = method.readConfig(JSON.createObjectNode().put("length", 5));
        try (Workbench bench = Workbench.open(model, "pytorch", "cpu");
                Adapter adapter = bench.attachUnchecked(method, config, task, splits, 7)) {
            TaskHead head = bench.taskHead(task, adapter.insertedPositions());
            assertThat(head).isInstanceOf(TextToTextHead.class);
            List<EncodedExample> train = splits.train().stream().map(e -> head.encode(e, adapter))
                    .map(EncodedExample.class::cast).toList();
            List<EncodedExample> dev = splits.dev().stream().map(e -> head.encode(e, adapter))
                    .map(EncodedExample.class::cast).toList();
            Evaluator evaluator = new Evaluator(bench.backbone(), head, 16);
            Evaluator.Predictions before = evaluator.predict(adapter, dev, Progress.SILENT, true);
            TrainSettings settings = new TrainSettings(40, 8, 20, 0, 5, "adafactor", 0.3, 0, 0);
            Trainer.Outcome outcome = new Trainer(bench.backbone(), adapter, head, settings,
                    new RunDirectory(tmp.resolve("run")), Progress.Factory.SILENT)
                    .train(train, dev, Map.of("model", "t5-tiny-v1_1", "task", task.name()), false);
            Evaluator.Predictions after = evaluator.predict(adapter, dev, Progress.SILENT, true);
            double majority = Math.max(dev.stream().filter(e -> e.label() == 1).count(),
                    dev.stream().filter(e -> e.label() == 0).count()) / (double) dev.size();
            System.out.printf("T5 pipeline: dev rank accuracy %.3f -> %.3f, free decoding %.3f -> %.3f (legal %.3f),"
                    + " majority %.3f, best step %d%n", before.accuracy(dev), after.accuracy(dev),
                    before.generationAccuracy(dev), after.generationAccuracy(dev), after.generationLegal(), majority,
                    outcome.bestStep());
            assertThat(after.accuracy(dev)).isGreaterThanOrEqualTo(majority + 0.25);

            Path saved = tmp.resolve("run/adapter");
            assertThat(Files.readString(saved.resolve("adapter_config.json")))
                    .isEqualTo(Files.readString(GoldenT5.FORMAT.resolve("prompt_tuning_random/adapter_config.json")));
            assertThat(Safetensors.open(saved.resolve("adapter_model.safetensors")).info("prompt_embeddings").shape())
                    .containsExactly(10, 64);
        }
    }
}
