package peft4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import peft4j.api.Progress;
import peft4j.api.UserError;
import peft4j.serve.MixedTaskPredictor;
import peft4j.serve.RequestFile;
import peft4j.serve.ServedRuns;
import peft4j.train.run.EvaluationJob;
import peft4j.train.run.RunConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code peft4j predict}: label free texts with a run's adapter, or a mixed-task file with several adapters. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Label texts with a trained run (its task's template, verbalizer and adapter).",
            "With --adapters and --input: one backbone serves several runs; every batch mixes tasks and runs one "
                    + "forward pass with a different prompt per example."})
final class PredictCommand implements Runnable {

    @Mixin
    RunOptions runOptions;

    @Option(names = "--adapters", split = ",", paramLabel = "DIR[,DIR...]",
            description = "run directories to serve together (instead of --run); each input line names its task")
    List<Path> adapters;

    @Option(names = "--input", paramLabel = "FILE", description = "with --adapters: JSON lines {\"task\", \"text\"}"
            + " (optional \"text_pair\", and \"adapter\" = a run directory's name when runs share a task)")
    Path input;

    @Option(names = "--batch-size", defaultValue = "32", paramLabel = "N",
            description = "examples per forward pass (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--json", description = "one JSON object per text: {\"text\", \"label\", \"probabilities\"}")
    boolean json;

    @Parameters(arity = "0..*", paramLabel = "TEXT", description = "texts to label (with --run)")
    List<String> texts;

    private final Services services;

    @Inject
    PredictCommand(Services services) {
        this.services = services;
    }

    @Override
    public void run() {
        if (adapters != null) {
            predictMixed();
            return;
        }
        if (texts == null || texts.isEmpty()) {
            throw new UserError("give texts to label with --run DIR TEXT..., or --adapters DIR,DIR --input FILE");
        }
        runOptions.requireSameModel();
        for (EvaluationJob.Prediction p : new EvaluationJob(services.models, services.datasets, services.progress)
                .predict(runOptions.run, texts, runOptions.engine, runOptions.device)) {
            print(null, null, p.text(), p.label(), p.labels(), p.probabilities());
        }
    }

    private void predictMixed() {
        if (runOptions.run != null || (texts != null && !texts.isEmpty()) || input == null) {
            throw new UserError("--adapters reads its requests from --input FILE (JSON lines); drop --run and TEXT");
        }
        if (batchSize < 1) {
            throw new UserError("--batch-size must be at least 1, not " + batchSize);
        }
        adapters.forEach(run -> runOptions.requireSameModel(run, RunConfig.read(run)));
        try (ServedRuns served = ServedRuns.open(adapters, services.models, services.datasets, runOptions.engine,
                runOptions.device, services.progress)) {
            List<MixedTaskPredictor.Request> requests = RequestFile.read(input, served.members());
            MixedTaskPredictor predictor = served.predictor(batchSize);
            List<MixedTaskPredictor.Scored> scored;
            try (Progress bar = services.progress.start("Predicting (mixed tasks)", requests.size(), "examples")) {
                scored = predictor.predict(requests, bar);
            }
            for (int i = 0; i < requests.size(); i++) {
                MixedTaskPredictor.Member member = predictor.member(scored.get(i).member());
                List<String> labels = member.head().task().labels();
                print(member.head().task().name(), member.key(), requests.get(i).example().text(),
                        labels.get(scored.get(i).predicted()), labels, scored.get(i).probabilities());
            }
        }
    }

    private void print(String task, String adapter, String text, String label, List<String> labels,
            float[] probabilities) {
        if (json) {
            ObjectNode node = services.json.createObjectNode();
            if (task != null) {
                node.put("task", task).put("adapter", adapter);
            }
            node.put("text", text).put("label", label);
            ObjectNode p = node.putObject("probabilities");
            for (int i = 0; i < labels.size(); i++) {
                p.put(labels.get(i), probabilities[i]);
            }
            services.out.println(node);
        } else {
            services.out.printf("%s%-10s %.3f  %s%n", task == null ? "" : String.format("%-18s ", task), label,
                    probabilities[labels.indexOf(label)], text);
        }
    }
}
