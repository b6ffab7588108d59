package peft4j.train.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import peft4j.api.AdaptationMethod;
import peft4j.api.Adapter;
import peft4j.api.MethodConfig;
import peft4j.api.Methods;
import peft4j.api.Progress;
import peft4j.api.UserError;
import peft4j.backbone.models.ModelStore;
import peft4j.data.DatasetStore;
import peft4j.data.Example;
import peft4j.data.TaskDefinition;
import peft4j.data.TaskSplits;
import peft4j.train.head.EncodedExample;
import peft4j.train.head.TaskHead;

/** Accuracy of a saved run, or of a method used without training (prompt design), on a task's splits. */
public final class EvaluationJob {

    /**
     * Accuracy on one split, and the task's own metric (the same for accuracy tasks). For heads that also answer
     * freely (T5), {@code freeAccuracy} is the fraction of answers that are exactly the gold label's text and
     * {@code freeLegal} the fraction that are some label's text; NaN otherwise.
     */
    public record SplitScore(String split, int examples, double accuracy, String metric, double score,
            double freeAccuracy, double freeLegal) {

        public SplitScore(String split, int examples, double accuracy, String metric, double score) {
            this(split, examples, accuracy, metric, score, Double.NaN, Double.NaN);
        }
    }

    /** What an evaluation found. */
    public record Report(String task, String method, long tunableParameters, List<SplitScore> scores,
            double seconds) {

        public double accuracy(String split) {
            return scores.stream().filter(s -> s.split().equals(split)).mapToDouble(SplitScore::accuracy).findFirst()
                    .orElse(Double.NaN);
        }
    }

    /** One text's predicted label and the probabilities over all labels. */
    public record Prediction(String text, String label, List<String> labels, float[] probabilities) {
    }

    private final ModelStore models;
    private final DatasetStore datasets;
    private final Progress.Factory progress;

    public EvaluationJob(ModelStore models, DatasetStore datasets, Progress.Factory progress) {
        this.models = models;
        this.datasets = datasets;
        this.progress = progress;
    }

    /** Evaluates {@code method} as configured, with nothing trained (prompt design; an untrained prompt). */
    public Report untrained(String model, String engine, String device, String taskName, Path dataDir,
            String methodName, JsonNode methodConfig, long seed, List<String> splits) {
        AdaptationMethod<?> method = Methods.require(methodName);
        MethodConfig config = method.readConfig(methodConfig);
        TaskData taskData = TaskData.load(datasets, taskName, dataDir, progress);
        Path modelDir = models.resolve(model, progress);
        TaskDefinition task = taskData.definition();
        TaskSplits data = taskData.splits();
        try (Workbench bench = Workbench.open(modelDir, engine, device);
                Adapter adapter = bench.attachUnchecked(method, config, task, data, seed)) {
            return evaluate(bench, adapter, task, data, splits);
        }
    }

    /** Evaluates the best adapter of a run, on its own task or on {@code taskOverride} (domain shift). */
    public Report saved(Path runDirectory, String taskOverride, Path dataDir, List<String> splits, String engine,
            String device) {
        RunConfig config = RunConfig.read(runDirectory);
        String taskName = taskOverride != null ? taskOverride : config.task();
        TaskData evaluated = TaskData.load(datasets, taskName, taskOverride != null ? dataDir : config.dataDirectory(),
                progress);
        TaskData trainedOn = taskName.equals(config.task()) ? evaluated
                : TaskData.load(datasets, config.task(), config.dataDirectory(), progress);
        Path modelDir = SavedRun.modelDirectory(runDirectory, config, models, progress);
        TaskDefinition task = evaluated.definition();
        TaskSplits data = evaluated.splits();
        try (Workbench bench = Workbench.open(modelDir, engine != null ? engine : config.engine(),
                device != null ? device : config.device());
                Adapter adapter = SavedRun.attach(runDirectory, config, bench, trainedOn.definition(),
                        trainedOn.splits())) {
            return evaluate(bench, adapter, task, data, splits);
        }
    }

    /** Labels for free texts with a run's adapter and task template. */
    public List<Prediction> predict(Path runDirectory, List<String> texts, String engine, String device) {
        RunConfig config = RunConfig.read(runDirectory);
        TaskData taskData = TaskData.load(datasets, config.task(), config.dataDirectory(), progress);
        Path modelDir = SavedRun.modelDirectory(runDirectory, config, models, progress);
        TaskDefinition task = taskData.definition();
        TaskSplits data = taskData.splits();
        try (Workbench bench = Workbench.open(modelDir, engine != null ? engine : config.engine(),
                device != null ? device : config.device());
                Adapter adapter = SavedRun.attach(runDirectory, config, bench, task, data)) {
            TaskHead head = bench.taskHead(task, adapter.insertedPositions());
            List<EncodedExample> encoded = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                encoded.add(head.encode(Example.unlabelled("input-" + i, texts.get(i)), adapter));
            }
            Evaluator.Predictions predictions = new Evaluator(bench.backbone(), head, 32).predict(adapter, encoded,
                    Progress.SILENT);
            List<Prediction> out = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                out.add(new Prediction(texts.get(i), task.labels().get(predictions.predicted()[i]), task.labels(),
                        predictions.probabilities()[i]));
            }
            return out;
        }
    }

    private Report evaluate(Workbench bench, Adapter adapter, TaskDefinition task, TaskSplits data,
            List<String> splits) {
        long started = System.nanoTime();
        TaskHead head = bench.taskHead(task, adapter.insertedPositions());
        Evaluator evaluator = new Evaluator(bench.backbone(), head, 32);
        List<SplitScore> scores = new ArrayList<>();
        for (String split : splits) {
            if (!TaskSplits.NAMES.contains(split)) {
                throw new UserError("unknown split '" + split + "'; choose " + String.join(", ", TaskSplits.NAMES));
            }
            List<Example> examples = data.split(split);
            if (examples.isEmpty()) {
                continue;
            }
            List<EncodedExample> encoded = TrainingJob.encode(head, adapter, examples);
            try (Progress bar = progress.start("Evaluating " + adapter.methodName() + " on " + task.name() + "/"
                    + split, encoded.size(), "examples")) {
                Evaluator.Predictions predictions = evaluator.predict(adapter, encoded, bar, true);
                scores.add(new SplitScore(split, encoded.size(), predictions.accuracy(encoded), task.metric(),
                        predictions.score(task, encoded), predictions.generationAccuracy(encoded),
                        predictions.generationLegal()));
            }
        }
        return new Report(task.name(), adapter.methodName(), adapter.tunableParameterCount(), scores,
                (System.nanoTime() - started) / 1e9);
    }
}
