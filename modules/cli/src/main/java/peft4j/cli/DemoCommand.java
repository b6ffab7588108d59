package peft4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import peft4j.api.Methods;
import peft4j.api.UserError;
import peft4j.api.io.AtomicFiles;
import peft4j.backbone.Engines;
import peft4j.backbone.models.ModelStore;
import peft4j.eval.TrainingCurve;
import peft4j.train.run.EvaluationJob;
import peft4j.train.run.RunConfig;
import peft4j.train.run.TrainSettings;
import peft4j.train.run.TrainingJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code peft4j demo}: the paper's comparison in miniature on real data — prompt design zero-shot against prompt
 * tuning on the frozen BERT-base, on sentence polarity, in about ten minutes on two CPU cores.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Pull BERT-base and the polarity task, evaluate prompt design zero-shot, prompt-tune, evaluate, "
                + "and print both side by side (also DIR/summary.json and a training-curve PNG).")
final class DemoCommand implements Runnable {

    static final String TASK = "polarity";
    static final String BASELINE = "prompt-design";
    static final String TUNED = "prompt-tuning";

    @Option(names = "--out", paramLabel = "DIR", description = "where to write the runs (default: runs/demo-TIME)")
    Path directory;

    @Option(names = "--model", defaultValue = ModelStore.DEFAULT_MODEL, paramLabel = "NAME|DIR",
            description = "backbone (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--steps", defaultValue = "150", description = "prompt-tuning steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--batch-size", defaultValue = "16", description = "examples per step (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--prompt-length", defaultValue = "20", description = "soft prompt length (default: ${DEFAULT-VALUE})")
    int promptLength;

    @Option(names = "--init", defaultValue = "class-label", description = "prompt initialisation (default: ${DEFAULT-VALUE})")
    String init;

    @Option(names = "--lr", paramLabel = "RATE", description = "learning rate (default: the method's)")
    Double learningRate;

    @Option(names = "--eval-every", defaultValue = "50", description = "steps between dev checks (default: ${DEFAULT-VALUE})")
    int evalEvery;

    @Option(names = "--eval-limit", defaultValue = "200",
            description = "dev examples used for checks during training (default: ${DEFAULT-VALUE})")
    int evalLimit;

    @Option(names = "--seed", defaultValue = "0", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--engine", defaultValue = Engines.DEFAULT, description = "pytorch or mxnet (default: ${DEFAULT-VALUE})")
    String engine;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default: ${DEFAULT-VALUE})")
    String device;

    private final Services services;

    @Inject
    DemoCommand(Services services) {
        this.services = services;
    }

    @Override
    public void run() {
        Engines.get(engine);
        Path target = directory != null ? directory
                : Path.of("runs", "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (Files.exists(target.resolve("summary.json")) || Files.exists(target.resolve(TUNED))) {
            throw new UserError(target + " already holds a demo; choose another --out");
        }
        try {
            runDemo(target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void runDemo(Path target) throws IOException {
        long started = System.nanoTime();
        services.models.resolve(model, services.progress);
        services.datasets.load(TASK, services.progress);

        EvaluationJob.Report baseline = new EvaluationJob(services.models, services.datasets, services.progress).untrained(model, engine, device,
                TASK, null, BASELINE, services.json.createObjectNode(), seed, List.of("dev", "test"));

        double rate = learningRate != null ? learningRate : Methods.require(TUNED).trainingDefaults().learningRate();
        ObjectNode promptConfig = services.json.createObjectNode().put("length", promptLength).put("init", init);
        RunConfig config = new RunConfig(model, TASK, TUNED, promptConfig, new TrainSettings(steps, batchSize,
                evalEvery, 0, seed, Methods.require(TUNED).trainingDefaults().optimizer(), rate, evalLimit, 0), engine,
                device, null);
        Path runDir = target.resolve(TUNED);
        TrainingJob.Result tuned = new TrainingJob(services.models, services.datasets, services.progress).start(config, runDir);
        Path chart = TrainingCurve.write(runDir);

        ObjectNode summary = services.json.createObjectNode().put("task", TASK).put("model", model);
        ArrayNode rows = summary.putArray("rows");
        rows.addObject().put("method", BASELINE).put("tunable_parameters", baseline.tunableParameters())
                .put("dev_accuracy", baseline.accuracy("dev")).put("test_accuracy", baseline.accuracy("test"))
                .put("seconds", round(baseline.seconds()));
        rows.addObject().put("method", TUNED).put("tunable_parameters", tuned.tunableParameters())
                .put("dev_accuracy", tuned.devAccuracy()).put("test_accuracy", tuned.testAccuracy())
                .put("seconds", round(tuned.trainSeconds())).put("steps", tuned.steps())
                .put("run", runDir.toString());
        summary.put("total_seconds", round((System.nanoTime() - started) / 1e9));
        summary.put("seed", seed);
        Files.createDirectories(target);
        AtomicFiles.writeString(target.resolve("summary.json"),
                services.json.writerWithDefaultPrettyPrinter().writeValueAsString(summary) + "\n");

        services.out.println();
        services.out.printf("polarity (Pang & Lee sentences), %s, frozen backbone%n", model);
        services.out.printf("%-15s %18s %10s %10s %10s%n", "METHOD", "TUNABLE PARAMS", "DEV ACC", "TEST ACC", "SECONDS");
        rows.forEach(r -> services.out.printf("%-15s %,18d %10.4f %10.4f %10.0f%n", r.get("method").asText(),
                r.get("tunable_parameters").asLong(), r.get("dev_accuracy").asDouble(),
                r.get("test_accuracy").asDouble(), r.get("seconds").asDouble()));
        services.out.println();
        services.out.println("summary: " + target.resolve("summary.json") + "   training curve: " + chart);
        services.out.println("try:     ./peft4j predict --run " + runDir + " \"a gorgeous, witty, seductive movie.\"");
    }

    private static double round(double seconds) {
        return Math.round(seconds * 10) / 10.0;
    }
}
