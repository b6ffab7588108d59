package peft4j.train.gpt2;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import peft4j.api.AdaptationMethod;
import peft4j.api.Adapter;
import peft4j.api.Backbone;
import peft4j.api.Methods;
import peft4j.api.Progress;
import peft4j.api.TokenBatch;
import peft4j.data.Example;
import peft4j.data.TaskDefinition;
import peft4j.data.TaskSplits;
import peft4j.data.Tasks;
import peft4j.train.head.ContinuationHead;
import peft4j.train.head.EncodedExample;
import peft4j.train.head.TaskHead;
import peft4j.train.run.Evaluator;
import peft4j.train.run.RunDirectory;
import peft4j.train.run.TrainSettings;
import peft4j.train.run.Trainer;
import peft4j.train.run.Workbench;

/**
 * The causal-LM head on the golden tiny GPT-2: label scores are the log-probabilities of the label word after
 * {@code "{text} It was"}, exactly as a full forward pass gives them (soft prompt in front included), and prefix
 * tuning through the real {@link Trainer} learns a synthetic polarity task. A pipeline check on a random model: prompt
 * tuning (8 vectors, Adafactor 0.3 or AdamW 0.03) stayed at chance on this tiny random GPT-2 within 100 steps, while a
 * 4-row prefix in every layer reaches 0.8 by step 60.
 */
class Gpt2ContinuationPipelineTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] POSITIVE = {"good", "fun"};
    private static final String[] NEGATIVE = {"bad", "dull"};
    private static final String[] FILLER = {"the", "boy", "cat", "dog", "day", "home"};

    @TempDir
    Path tmp;

    private final TaskDefinition task = Tasks.get("polarity"); // "{text} It was [MASK]." with great / terrible

    private Path model() throws Exception {
        List<String> words = new ArrayList<>(List.of("It", "was", "great", "terrible"));
        for (String[] group : new String[][] {POSITIVE, NEGATIVE, FILLER}) {
            words.addAll(List.of(group));
        }
        return TinyGpt2.model(tmp.resolve("gpt2-tiny"), words);
    }

    static TaskSplits splits(long seed) {
        Random random = new Random(seed);
        List<List<Example>> parts = new ArrayList<>();
        int id = 0;
        for (int size : new int[] {96, 40, 8}) {
            List<Example> part = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                boolean pos = random.nextBoolean();
                List<String> words = new ArrayList<>();
                for (int w = 0; w < 2 + random.nextInt(4); w++) {
                    words.add(FILLER[random.nextInt(FILLER.length)]);
                }
                String[] markers = pos ? POSITIVE : NEGATIVE;
                words.add(random.nextInt(words.size() + 1), markers[random.nextInt(markers.length)]);
                part.add(Example.of("tiny-" + id++, String.join(" ", words), pos ? "positive" : "negative"));
            }
            parts.add(part);
        }
        return new TaskSplits(parts.get(0), parts.get(1), parts.get(2));
    }

    private Adapter promptTuning(Workbench bench, TaskSplits splits) {
        AdaptationMethod<?> method = Methods.require("prompt-tuning");
        return bench.attachUnchecked(method, method.readConfig(JSON.createObjectNode().put("length", 4)), task,
                splits, 7);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pytorch", "mxnet"})
    void labelScoresAreTheLabelWordsLogProbabilitiesAfterTheText(String engine) throws Exception {
        TaskSplits splits = splits(1);
        try (Workbench bench = Workbench.open(model(), engine, "cpu");
                Adapter adapter = promptTuning(bench, splits)) {
            assertThat(bench.tokenizer().ids(" great")).hasSize(1);
            assertThat(bench.padId()).as("GPT-2 pads with end-of-text").isEqualTo(127);
            TaskHead head = bench.taskHead(task, adapter.insertedPositions());
            assertThat(head).isInstanceOf(ContinuationHead.class);
            Example example = splits.dev().get(0);
            ContinuationHead.Encoded encoded = (ContinuationHead.Encoded) head.encode(example, adapter);
            assertThat(encoded.context()).containsExactly(bench.tokenizer().ids(example.text() + " It was"));
            assertThat(encoded.spaced()).isTrue();
            NDManager manager = bench.backbone().manager();
            float[] scores = head.labelScores(bench.backbone(), adapter, List.of(encoded), manager).toFloatArray();
            for (int l = 0; l < 2; l++) {
                long word = bench.tokenizer().ids(" " + task.verbalizer().get(task.labels().get(l)))[0];
                assertThat(scores[l]).as("label %d", l).isCloseTo(fullPassLogProbability(bench.backbone(), adapter,
                        encoded.context(), word, manager), org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
    }

    /** log p(word | context) from every position's logits, the 4 prompt rows in front. */
    private static float fullPassLogProbability(Backbone backbone, Adapter adapter, long[] context, long word,
            NDManager manager) {
        Shape shape = new Shape(1, context.length);
        TokenBatch batch = new TokenBatch(manager.create(context, shape), manager.ones(shape, DataType.INT64),
                manager.zeros(shape, DataType.INT64));
        NDArray hidden = backbone.encode(batch, adapter.hooks()).hiddenStates(); // [1, 4 + n, hidden]
        NDArray logits = backbone.lmLogits(hidden.get(0)).logSoftmax(-1); // [4 + n, vocab]
        return logits.get(4 + context.length - 1).toFloatArray()[(int) word];
    }

    @Test
    void prefixTuningLearnsThroughTheTrainer() throws Exception {
        TaskSplits splits = splits(3);
        AdaptationMethod<?> prefix = Methods.require("prefix-tuning");
        try (Workbench bench = Workbench.open(model(), "pytorch", "cpu");
                Adapter adapter = bench.attachUnchecked(prefix, prefix.readConfig(JSON.createObjectNode()
                        .put("length", 4)), task, splits, 7)) {
            TaskHead head = bench.taskHead(task, adapter.insertedPositions());
            List<EncodedExample> train = splits.train().stream().map(e -> head.encode(e, adapter))
                    .map(EncodedExample.class::cast).toList();
            List<EncodedExample> dev = splits.dev().stream().map(e -> head.encode(e, adapter))
                    .map(EncodedExample.class::cast).toList();
            Evaluator evaluator = new Evaluator(bench.backbone(), head, 16);
            double before = evaluator.predict(adapter, dev, Progress.SILENT).accuracy(dev);
            TrainSettings settings = new TrainSettings(80, 8, 40, 0, 5, "adafactor", 0.3, 0, 0);
            Trainer.Outcome outcome = new Trainer(bench.backbone(), adapter, head, settings,
                    new RunDirectory(tmp.resolve("run")), Progress.Factory.SILENT)
                    .train(train, dev, Map.of("task", task.name()), false);
            double after = evaluator.predict(adapter, dev, Progress.SILENT).accuracy(dev);
            double majority = Math.max(dev.stream().filter(e -> e.label() == 1).count(),
                    dev.stream().filter(e -> e.label() == 0).count()) / (double) dev.size();
            System.out.printf("GPT-2 pipeline: dev accuracy %.3f -> %.3f, majority %.3f, best step %d%n", before, after,
                    majority, outcome.bestStep());
            assertThat(after).isGreaterThanOrEqualTo(majority + 0.25);
        }
    }
}
