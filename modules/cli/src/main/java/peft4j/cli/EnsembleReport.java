package peft4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import peft4j.api.Progress;
import peft4j.api.UserError;
import peft4j.data.Example;
import peft4j.data.TaskDefinition;
import peft4j.data.TaskSplits;
import peft4j.serve.MixedTaskPredictor;
import peft4j.serve.PromptEnsemble;
import peft4j.serve.ServedRuns;
import peft4j.train.run.RunConfig;
import peft4j.train.run.TaskData;

/** {@code peft4j eval --ensemble A,B,C}: the columns of the prompt-tuning paper's Table 3 for N runs of one task. */
final class EnsembleReport {

    private final Services services;
    private final RunOptions options;
    private final List<Path> runs;
    private final List<String> splits;
    private final int batchSize;
    private final boolean json;

    EnsembleReport(Services services, RunOptions options, List<Path> runs, List<String> splits, int batchSize,
            boolean json) {
        this.services = services;
        this.options = options;
        this.runs = runs;
        this.splits = splits;
        this.batchSize = batchSize;
        this.json = json;
    }

    void run() {
        if (options.run != null) {
            throw new UserError("--ensemble names all the runs; drop --run");
        }
        if (batchSize < 1) {
            throw new UserError("--batch-size must be at least 1, not " + batchSize);
        }
        runs.forEach(r -> options.requireSameModel(r, RunConfig.read(r)));
        List<PromptEnsemble.Result> results = new ArrayList<>();
        String taskName;
        try (ServedRuns served = ServedRuns.open(runs, services.models, services.datasets, options.engine,
                options.device, services.progress)) {
            List<String> names = served.members().stream().map(MixedTaskPredictor.Member::key).toList();
            TaskData task = served.task(names.get(0));
            TaskDefinition definition = task.definition();
            taskName = definition.name();
            PromptEnsemble ensemble = new PromptEnsemble(served.predictor(batchSize * names.size()), names,
                    definition);
            for (String split : splits) {
                if (!TaskSplits.NAMES.contains(split)) {
                    throw new UserError("unknown split '" + split + "'; choose " + String.join(", ", TaskSplits.NAMES));
                }
                List<Example> examples = task.splits().split(split);
                if (examples.isEmpty()) {
                    continue;
                }
                try (Progress bar = services.progress.start("Ensemble of " + names.size() + " on " + taskName + "/"
                        + split, (long) examples.size() * names.size(), "scores")) {
                    results.add(ensemble.evaluate(split, examples, bar));
                }
            }
        }
        print(taskName, results);
    }

    private void print(String task, List<PromptEnsemble.Result> results) {
        if (json) {
            ObjectNode node = services.json.createObjectNode().put("task", task);
            ArrayNode members = node.putArray("members");
            runs.forEach(r -> members.add(r.toString()));
            ObjectNode bySplit = node.putObject("splits");
            for (PromptEnsemble.Result r : results) {
                ObjectNode s = bySplit.putObject(r.split()).put("examples", r.examples()).put("metric", r.metric());
                ArrayNode scores = s.putArray("member_scores");
                for (double v : r.memberScores()) {
                    scores.add(v);
                }
                s.put("mean", r.mean()).put("best", r.best()).put("majority_vote", r.majorityVote());
            }
            services.out.println(node);
            return;
        }
        services.out.printf("Ensemble of %d runs on %s (%s):%n", runs.size(), task,
                results.isEmpty() ? "no examples" : results.get(0).metric());
        for (PromptEnsemble.Result r : results) {
            services.out.printf("  %-5s (%d examples)%n", r.split(), r.examples());
            for (int m = 0; m < r.members().size(); m++) {
                services.out.printf("    %-40s %.4f%n", r.members().get(m), r.memberScores()[m]);
            }
            services.out.printf("    %-40s %.4f%n    %-40s %.4f%n    %-40s %.4f%n", "mean", r.mean(), "best", r.best(),
                    "majority vote", r.majorityVote());
        }
    }
}
