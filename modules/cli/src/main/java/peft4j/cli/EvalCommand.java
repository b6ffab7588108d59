package peft4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.name.Named;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import peft4j.api.Progress;
import peft4j.backbone.models.ModelStore;
import peft4j.data.DatasetStore;
import peft4j.train.run.EvaluationJob;
import peft4j.train.run.RunConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code peft4j eval}: accuracy of a run's best adapter on its task, or zero-shot on another task. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a run's best adapter on its task's splits, or on another task (domain shift).")
final class EvalCommand implements Runnable {

    @Option(names = "--run", required = true, paramLabel = "DIR", description = "a 'peft4j train' run directory")
    Path run;

    @Option(names = "--task", paramLabel = "TASK", description = "evaluate on this task instead of the run's own")
    String task;

    @Option(names = "--split", split = ",", defaultValue = "dev,test", paramLabel = "SPLIT[,SPLIT]",
            description = "splits to evaluate (default: ${DEFAULT-VALUE})")
    List<String> splits;

    @Option(names = "--model", paramLabel = "NAME|DIR", description = "must match the run's model (default: the run's)")
    String model;

    @Option(names = "--engine", paramLabel = "ENGINE", description = "pytorch or mxnet (default: the run's)")
    String engine;

    @Option(names = "--device", paramLabel = "DEVICE", description = "auto, cpu or gpu (default: the run's)")
    String device;

    @Option(names = "--json", description = "print a JSON object")
    boolean json;

    private final PrintWriter out;
    private final ModelStore models;
    private final DatasetStore datasets;
    private final Progress.Factory progress;
    private final ObjectMapper mapper;

    @Inject
    EvalCommand(@Named("out") PrintWriter out, ModelStore models, DatasetStore datasets, Progress.Factory progress,
            ObjectMapper mapper) {
        this.out = out;
        this.models = models;
        this.datasets = datasets;
        this.progress = progress;
        this.mapper = mapper;
    }

    @Override
    public void run() {
        RunChecks.requireSameModel(run, model);
        EvaluationJob.Report report = new EvaluationJob(models, datasets, progress).saved(run, task, splits, engine,
                device);
        if (json) {
            ObjectNode node = mapper.createObjectNode();
            node.put("run", run.toString()).put("task", report.task()).put("method", report.method())
                    .put("tunable_parameters", report.tunableParameters());
            ObjectNode scores = node.putObject("splits");
            report.scores().forEach(s -> scores.putObject(s.split()).put("accuracy", s.accuracy())
                    .put("examples", s.examples()));
            out.println(node);
            return;
        }
        out.printf("%s (%s, %,d tunable parameters) on %s:%n", run, report.method(), report.tunableParameters(),
                report.task());
        report.scores().forEach(s -> out.printf("  %-5s accuracy %.4f  (%d examples)%n", s.split(), s.accuracy(),
                s.examples()));
    }

    /** Shared checks on run directories. */
    static final class RunChecks {
        private RunChecks() {
        }

        static void requireSameModel(Path run, String model) {
            RunConfig config = RunConfig.read(run);
            if (model != null && !model.equals(config.model())) {
                throw new peft4j.api.UserError(run + " was trained on model '" + config.model() + "', not '" + model
                        + "'; its adapter only fits that backbone (drop --model)");
            }
        }
    }
}
