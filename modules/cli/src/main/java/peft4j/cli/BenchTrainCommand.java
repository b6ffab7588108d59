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
import peft4j.backbone.tokenizer.BertTokenizer;
import peft4j.data.TaskDefinition;
import peft4j.train.head.ClozeHead;
import peft4j.train.run.ParameterOptimizer;
import peft4j.train.run.Provenance;
import peft4j.train.run.TrainingStep;
import peft4j.train.run.Workbench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code peft4j bench train}: median time of one training step of a method, as the trainer runs it. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Median time of a training step (forward, backward, optimizer update) on random token ids with "
                + "one [MASK] per example, tokens/s, and peak resident memory.")
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
            ClozeHead head = bench.head(definition, adapter.insertedPositions());
            TrainingStep step = new TrainingStep(bench.backbone(), adapter, head, optimizer);
            List<ClozeHead.Encoded> batch = randomBatch(bench.tokenizer(), definition.labels().size());
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

    /** Random word pieces with [CLS] first, [MASK] in the middle, [SEP] last; alternating labels. */
    private List<ClozeHead.Encoded> randomBatch(BertTokenizer tokenizer, int labels) {
        Random random = new Random(0);
        long cls = tokenizer.encode("").ids()[0];
        long sep = tokenizer.encode("").ids()[1];
        List<ClozeHead.Encoded> batch = new ArrayList<>();
        for (int r = 0; r < batchSize; r++) {
            long[] ids = new long[length];
            for (int i = 0; i < length; i++) {
                ids[i] = 1000 + random.nextInt(tokenizer.vocabularySize() - 1000);
            }
            ids[0] = cls;
            ids[length - 1] = sep;
            ids[length / 2] = tokenizer.maskId();
            String[] tokens = new String[length];
            for (int i = 0; i < length; i++) {
                tokens[i] = tokenizer.token(ids[i]);
            }
            batch.add(new ClozeHead.Encoded(new BertTokenizer.Encoded(ids, new long[length], tokens), length / 2,
                    r % labels));
        }
        return batch;
    }
}
