package peft4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.name.Named;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import peft4j.api.Methods;
import peft4j.api.Progress;
import peft4j.api.UserError;
import peft4j.api.io.AtomicFiles;
import peft4j.backbone.Engines;
import peft4j.backbone.models.ModelStore;
import peft4j.data.DatasetStore;
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

    private final PrintWriter out;
    private final ModelStore models;
    private final DatasetStore datasets;
    private final Progress.Factory progress;
    private final ObjectMapper mapper;

    @Inject
    DemoCommand(@Named("out") PrintWriter out, ModelStore models, DatasetStore datasets, Progress.Factory progress,
            ObjectMapper mapper) {
        this.out = out;
        this.models = models;
        this.datasets = datasets;
        this.progress = progress;
        this.mapper = mapper;
    }

    @Override
    public void run() {
        Engines.get(engine);
        Path out = directory != null ? directory
                : Path.of("runs", "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (Files.exists(out.resolve("summary.json")) || Files.exists(out.resolve(TUNED))) {
            throw new UserError(out + " already holds a demo; choose another --out");
        }
        try {
            runDemo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void runDemo(Path out) throws IOException {
        long started = System.nanoTime();
        models.resolve(model, progress);
        datasets.load(TASK, progress);

        EvaluationJob.Report baseline = new EvaluationJob(models, datasets, progress).untrained(model, engine, device,
                TASK, BASELINE, mapper.createObjectNode(), seed, List.of("dev", "test"));

        double rate = learningRate != null ? learningRate : Methods.require(TUNED).trainingDefaults().learningRate();
        ObjectNode promptConfig = mapper.createObjectNode().put("length", promptLength).put("init", init);
        RunConfig config = new RunConfig(model, TASK, TUNED, promptConfig, new TrainSettings(steps, batchSize,
                evalEvery, 0, seed, Methods.require(TUNED).trainingDefaults().optimizer(), rate, evalLimit), engine,
                device);
        Path runDir = out.resolve(TUNED);
        TrainingJob.Result tuned = new TrainingJob(models, datasets, progress).start(config, runDir);
        Path chart = TrainingCurve.write(runDir);

        ObjectNode summary = mapper.createObjectNode().put("task", TASK).put("model", model);
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
        Files.createDirectories(out);
        AtomicFiles.writeString(out.resolve("summary.json"),
                mapper.writerWithDefaultPrettyPrinter().writeValueAsString(summary) + "\n");

        this.out.println();
        this.out.printf("polarity (Pang & Lee sentences), %s, frozen backbone%n", model);
        this.out.printf("%-15s %18s %10s %10s %10s%n", "METHOD", "TUNABLE PARAMS", "DEV ACC", "TEST ACC", "SECONDS");
        rows.forEach(r -> this.out.printf("%-15s %,18d %10.4f %10.4f %10.0f%n", r.get("method").asText(),
                r.get("tunable_parameters").asLong(), r.get("dev_accuracy").asDouble(),
                r.get("test_accuracy").asDouble(), r.get("seconds").asDouble()));
        this.out.println();
        this.out.println("summary: " + out.resolve("summary.json") + "   training curve: " + chart);
        this.out.println("try:     ./peft4j predict --run " + runDir + " \"a gorgeous, witty, seductive movie.\"");
    }

    private static double round(double seconds) {
        return Math.round(seconds * 10) / 10.0;
    }
}
