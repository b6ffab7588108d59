package peft4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import java.util.List;
import peft4j.train.run.EvaluationJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code peft4j predict}: label free texts with a run's adapter. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Label texts with a trained run (its task's template, verbalizer and adapter).")
final class PredictCommand implements Runnable {

    @Mixin
    RunOptions runOptions;

    @Option(names = "--json", description = "one JSON object per text: {\"text\", \"label\", \"probabilities\"}")
    boolean json;

    @Parameters(arity = "1..*", paramLabel = "TEXT", description = "texts to label")
    List<String> texts;

    private final Services services;

    @Inject
    PredictCommand(Services services) {
        this.services = services;
    }

    @Override
    public void run() {
        runOptions.requireSameModel();
        for (EvaluationJob.Prediction p : new EvaluationJob(services.models, services.datasets, services.progress).predict(runOptions.run, texts,
                runOptions.engine, runOptions.device)) {
            if (json) {
                ObjectNode node = services.json.createObjectNode();
                node.put("text", p.text()).put("label", p.label());
                ObjectNode probabilities = node.putObject("probabilities");
                for (int i = 0; i < p.labels().size(); i++) {
                    probabilities.put(p.labels().get(i), p.probabilities()[i]);
                }
                services.out.println(node);
            } else {
                services.out.printf("%-10s %.3f  %s%n", p.label(), p.probabilities()[p.labels().indexOf(p.label())], p.text());
            }
        }
    }
}
