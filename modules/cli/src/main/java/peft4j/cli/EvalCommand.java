package peft4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import java.util.List;
import peft4j.train.run.EvaluationJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code peft4j eval}: accuracy of a run's best adapter on its task, or zero-shot on another task. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a run's best adapter on its task's splits, or on another task (domain shift).")
final class EvalCommand implements Runnable {

    @Mixin
    RunOptions runOptions;

    @Option(names = "--task", paramLabel = "TASK", description = "evaluate on this task instead of the run's own")
    String task;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "with --task of a GLUE/SuperGLUE task: the directory holding its official files")
    java.nio.file.Path dataDir;

    @Option(names = "--split", split = ",", defaultValue = "dev,test", paramLabel = "SPLIT[,SPLIT]",
            description = "splits to evaluate (default: ${DEFAULT-VALUE})")
    List<String> splits;

    @Option(names = "--json", description = "print a JSON object")
    boolean json;

    @Option(names = "--ensemble", split = ",", paramLabel = "DIR,DIR[,DIR...]",
            description = "runs of ONE task (instead of --run): all prompts score every example in one batch; "
                    + "prints each member, the mean, the best and the majority-vote ensemble")
    List<java.nio.file.Path> ensemble;

    @Option(names = "--batch-size", defaultValue = "32", paramLabel = "N",
            description = "with --ensemble: examples per forward pass, each scored by all members (default: "
                    + "${DEFAULT-VALUE})")
    int batchSize;

    private final Services services;

    @Inject
    EvalCommand(Services services) {
        this.services = services;
    }

    @Override
    public void run() {
        if (ensemble != null) {
            new EnsembleReport(services, runOptions, ensemble, splits, batchSize, json).run();
            return;
        }
        runOptions.requireSameModel();
        EvaluationJob.Report report = new EvaluationJob(services.models, services.datasets, services.progress).saved(runOptions.run, task, dataDir, splits,
                runOptions.engine, runOptions.device);
        if (json) {
            ObjectNode node = services.json.createObjectNode();
            node.put("run", runOptions.run.toString()).put("task", report.task()).put("method", report.method())
                    .put("tunable_parameters", report.tunableParameters());
            ObjectNode scores = node.putObject("splits");
            report.scores().forEach(s -> {
                ObjectNode split = scores.putObject(s.split()).put("accuracy", s.accuracy()).put("examples", s.examples());
                split.put(s.metric(), s.score());
                if (!Double.isNaN(s.freeAccuracy())) {
                    split.put("free_decoding_accuracy", s.freeAccuracy()).put("free_decoding_legal", s.freeLegal());
                }
            });
            services.out.println(node);
            return;
        }
        services.out.printf("%s (%s, %,d tunable parameters) on %s:%n", runOptions.run, report.method(), report.tunableParameters(),
                report.task());
        report.scores().forEach(s -> services.out.printf("  %-5s accuracy %.4f%s%s  (%d examples)%n",
                s.split(),
                s.accuracy(), s.metric().equals("accuracy") ? "" : String.format(", %s %.4f", s.metric(), s.score()),
                Double.isNaN(s.freeAccuracy()) ? "" : String.format(", free decoding %.4f (%.4f legal)",
                        s.freeAccuracy(), s.freeLegal()),
                s.examples()));
    }
}
