package peft4j.cli;

import com.google.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import peft4j.api.AdaptationMethod;
import peft4j.api.Methods;
import peft4j.api.TrainingDefaults;
import peft4j.api.UserError;
import peft4j.backbone.Engines;
import peft4j.eval.TrainingCurve;
import peft4j.train.run.RunConfig;
import peft4j.train.run.TrainSettings;
import peft4j.train.run.TrainingJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code peft4j train}: adapt the frozen backbone to a task with one method; the run is a directory. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train an adapter (e.g. a soft prompt) on a task. Writes config.json, metrics.jsonl, adapter/, "
                + "checkpoint/, eval.json, provenance.json and training-curve.png into --out.")
final class TrainCommand implements Runnable {

    @Option(names = "--method", paramLabel = "METHOD", description = "adaptation method (see 'peft4j methods')")
    String method;

    @Option(names = "--task", paramLabel = "TASK", description = "task name, e.g. polarity")
    String task;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "for GLUE/SuperGLUE tasks: the directory holding the official files you bring")
    Path dataDir;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "run directory to create")
    Path runDirectory;

    @Option(names = "--resume", description = "continue the run in --out from its last checkpoint")
    boolean resume;

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    MethodOptions methodOptions;

    @Option(names = "--steps", defaultValue = "1000", description = "optimizer steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--batch-size", defaultValue = "16", description = "examples per step (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--lr", paramLabel = "RATE", description = "learning rate (default: the method's, 0.3 for "
            + "prompt tuning)")
    Double learningRate;

    @Option(names = "--optimizer", paramLabel = "NAME", description = "adafactor or adamw (default: the method's)")
    String optimizer;

    @Option(names = "--seed", defaultValue = "0", description = "seed of initialisation and batch order (default: 0)")
    long seed;

    @Option(names = "--eval-every", defaultValue = "100", description = "steps between dev evaluations and "
            + "checkpoints (default: ${DEFAULT-VALUE})")
    int evalEvery;

    @Option(names = "--patience", defaultValue = "0", description = "stop after this many evaluations without "
            + "improvement; 0 = never (default: ${DEFAULT-VALUE})")
    int patience;

    @Option(names = "--eval-limit", defaultValue = "0", description = "use at most this many dev examples for "
            + "evaluations during training; 0 = all (default: ${DEFAULT-VALUE})")
    int evalLimit;

    @Option(names = "--final-eval-limit", defaultValue = "0", description = "evaluate the best adapter on at most "
            + "this many dev and test examples; 0 = all (default: ${DEFAULT-VALUE})")
    int finalEvalLimit;

    private final Services services;

    @Inject
    TrainCommand(Services services) {
        this.services = services;
    }

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        if (resume) {
            refuseSettingsWithResume();
        }
        TrainingJob job = new TrainingJob(services.models, services.datasets, services.progress);
        try {
            TrainingJob.Result result;
            if (resume) {
                result = job.resume(runDirectory);
            } else {
                result = job.start(config(), runDirectory);
            }
            TrainingCurve.write(result.directory());
            services.out.printf("%s on %s: dev accuracy %.4f, test accuracy %.4f (%,d tunable parameters, %d steps, best at "
                    + "step %d, %.0f s)%n", result.method(), result.directory(), result.devAccuracy(),
                    result.testAccuracy(), result.tunableParameters(), result.steps(), result.bestStep(),
                    result.trainSeconds());
            if (!Double.isNaN(result.devFreeAccuracy())) {
                services.out.printf("free decoding: %.4f of dev answers are exactly the gold label%n",
                        result.devFreeAccuracy());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A resumed run keeps the settings it started with; a changed one would otherwise be silently ignored. */
    private void refuseSettingsWithResume() {
        List<String> given = spec.commandLine().getParseResult().matchedOptions().stream()
                .map(OptionSpec::longestName).filter(name -> !name.equals("--resume") && !name.equals("--out"))
                .distinct().toList();
        if (!given.isEmpty()) {
            throw new UserError("--resume continues the run with the settings in " + runDirectory.resolve("config.json")
                    + "; drop " + String.join(", ", given) + " (or start a new run with another --out)");
        }
    }

    private RunConfig config() {
        if (method == null || task == null) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "a new run needs --method and --task");
        }
        AdaptationMethod<?> chosen = Methods.require(method);
        Engines.get(modelOptions.engine);
        var methodConfig = methodOptions.toJson(services.json);
        TrainingDefaults defaults = chosen.trainingDefaultsFor(methodConfig);
        String optimizerName = optimizer != null ? optimizer : defaults.optimizer();
        double rate = learningRate != null ? learningRate : defaults.learningRate();
        TrainSettings settings = new TrainSettings(steps, batchSize, evalEvery, patience, seed, optimizerName, rate,
                evalLimit, finalEvalLimit);
        return new RunConfig(modelOptions.model, task, method, methodConfig, settings,
                modelOptions.engine, modelOptions.device,
                dataDir == null ? null : dataDir.toAbsolutePath().toString());
    }
}
