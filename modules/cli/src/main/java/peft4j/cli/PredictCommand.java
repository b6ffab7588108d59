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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code peft4j predict}: label free texts with a run's adapter. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Label texts with a trained run (its task's template, verbalizer and adapter).")
final class PredictCommand implements Runnable {

    @Option(names = "--run", required = true, paramLabel = "DIR", description = "a 'peft4j train' run directory")
    Path run;

    @Option(names = "--model", paramLabel = "NAME|DIR", description = "must match the run's model (default: the run's)")
    String model;

    @Option(names = "--engine", paramLabel = "ENGINE", description = "pytorch or mxnet (default: the run's)")
    String engine;

    @Option(names = "--device", paramLabel = "DEVICE", description = "auto, cpu or gpu (default: the run's)")
    String device;

    @Option(names = "--json", description = "one JSON object per text: {\"text\", \"label\", \"probabilities\"}")
    boolean json;

    @Parameters(arity = "1..*", paramLabel = "TEXT", description = "texts to label")
    List<String> texts;

    private final PrintWriter out;
    private final ModelStore models;
    private final DatasetStore datasets;
    private final Progress.Factory progress;
    private final ObjectMapper mapper;

    @Inject
    PredictCommand(@Named("out") PrintWriter out, ModelStore models, DatasetStore datasets, Progress.Factory progress,
            ObjectMapper mapper) {
        this.out = out;
        this.models = models;
        this.datasets = datasets;
        this.progress = progress;
        this.mapper = mapper;
    }

    @Override
    public void run() {
        EvalCommand.RunChecks.requireSameModel(run, model);
        for (EvaluationJob.Prediction p : new EvaluationJob(models, datasets, progress).predict(run, texts, engine,
                device)) {
            if (json) {
                ObjectNode node = mapper.createObjectNode();
                node.put("text", p.text()).put("label", p.label());
                ObjectNode probabilities = node.putObject("probabilities");
                for (int i = 0; i < p.labels().size(); i++) {
                    probabilities.put(p.labels().get(i), p.probabilities()[i]);
                }
                out.println(node);
            } else {
                out.printf("%-10s %.3f  %s%n", p.label(), p.probabilities()[p.labels().indexOf(p.label())], p.text());
            }
        }
    }
}
