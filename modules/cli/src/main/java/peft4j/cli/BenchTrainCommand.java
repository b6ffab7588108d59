package peft4j.cli;

import com.google.inject.Inject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import peft4j.api.AdaptationMethod;
import peft4j.api.Adapter;
import peft4j.api.Methods;
import peft4j.api.UserError;
import peft4j.data.TaskDefinition;
import peft4j.train.head.EncodedExample;
import peft4j.train.head.TaskHead;
import peft4j.train.run.ParameterOptimizer;
import peft4j.train.run.Provenance;
import peft4j.train.run.TrainingStep;
import peft4j.train.run.Workbench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code peft4j bench train}: median time of one training step of a method, as the trainer runs it. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Median time of a training step (forward, backward, optimizer update) on random token ids in the "
                + "model's input form (one [MASK] per example for BERT; a random continuation for GPT-2, a random "
                + "input and the gold target for T5), tokens/s, and peak resident memory.")
final class BenchTrainCommand implements Runnable {

    @Option(names = "--method", defaultValue = "prompt-tuning", description = "method (default: ${DEFAULT-VALUE})")
    String method;

    @Option(names = "--task", defaultValue = "polarity",
            description = "task whose verbalizer and vocabulary initialise the method (default: ${DEFAULT-VALUE})")
    String task;

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    MethodOptions methodOptions;

    @Option(names = "--batch-size", defaultValue = "16", description = "examples per step (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--length", defaultValue = "64", description = "tokens per example, prompt not counted "
            + "(default: ${DEFAULT-VALUE})")
    int length;

    @Option(names = "--warmup", defaultValue = "2", description = "untimed steps first (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--iterations", defaultValue = "5", description = "timed steps (default: ${DEFAULT-VALUE})")
    int iterations;

    private final Services services;

    @Inject
    BenchTrainCommand(Services services) {
        this.services = services;
    }

    @Override
    public void run() {
        if (batchSize < 1 || length < 4 || iterations < 1 || warmup < 0) {
            throw new UserError("--batch-size and --iterations must be >= 1, --length >= 4");
        }
        AdaptationMethod<?> chosen = Methods.require(method);
        var config = chosen.readConfig(methodOptions.toJson(services.json));
        Path dir = modelOptions.modelDirectory(services.models, services.progress);
        TaskDefinition definition = services.datasets.definition(task);
        var splits = services.datasets.load(task, services.progress);
        try (Workbench bench = Workbench.open(dir, modelOptions.engine, modelOptions.device);
                Adapter adapter = bench.attachUnchecked(chosen, config, definition, splits, 0);
                ParameterOptimizer optimizer = ParameterOptimizer.create(chosen.trainingDefaults().optimizer(),
                        chosen.trainingDefaults().learningRate())) {
            TaskHead head = bench.taskHead(definition, adapter.insertedPositions());
            TrainingStep step = new TrainingStep(bench.backbone(), adapter, head, optimizer);
            List<EncodedExample> batch = randomBatch(head, definition.labels().size());
            services.out.printf("bench train: %s on %s, batch %d x %d tokens (+%d inserted), %s, %d warm-up + %d timed steps%n",
                    method, dir.getFileName(), batchSize, length, adapter.insertedPositions(),
                    chosen.trainingDefaults().optimizer(), warmup, iterations);
            services.out.println("machine: " + Provenance.machine() + ", engine " + modelOptions.engine + ", device "
                    + bench.device());
            List<Double> millis = new ArrayList<>();
            for (int i = 0; i < warmup + iterations; i++) {
                long start = System.nanoTime();
                step.run(batch);
                if (i >= warmup) {
                    millis.add((System.nanoTime() - start) / 1e6);
                }
            }
            double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double median = BenchCommand.median(sorted);
            services.out.printf("%-14s %18s %12s %12s %12s %12s %14s%n", "METHOD", "TUNABLE PARAMS", "MEDIAN ms", "MIN ms",
                    "MAX ms", "TOKENS/s", "PEAK RSS MiB");
            services.out.printf("%-14s %,18d %12.0f %12.0f %12.0f %12.0f %14d%n", method, adapter.tunableParameterCount(),
                    median, sorted[0], sorted[sorted.length - 1], batchSize * length / (median / 1000),
                    BenchCommand.peakRssMib());
        }
    }

    /** Random token ids in the head's input form (BERT: [CLS] … [MASK] … [SEP]); alternating labels. */
    private List<EncodedExample> randomBatch(TaskHead head, int labels) {
        Random random = new Random(0);
        List<EncodedExample> batch = new ArrayList<>();
        for (int r = 0; r < batchSize; r++) {
            batch.add(head.randomExample(random, length, r % labels));
        }
        return batch;
    }
}
