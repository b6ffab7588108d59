package peft4j.train.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import peft4j.train.head.ClozeHead;
import peft4j.train.head.EncodedExample;
import peft4j.train.head.TaskHead;

/**
 * One training run from a {@link RunConfig} to a finished run directory: pull model and data, attach the method,
 * train, then evaluate the best adapter on dev and test ({@code eval.json}).
 */
public final class TrainingJob {

    /**
     * The run's final figures. {@code devFreeAccuracy} is the fraction of dev examples whose freely generated answer
     * is exactly the gold label's text (T5), NaN for heads that only rank labels.
     */
    public record Result(Path directory, String method, long tunableParameters, double devAccuracy,
            double testAccuracy, double trainSeconds, int steps, int bestStep, double devFreeAccuracy) {
    }


    private final ModelStore models;
    private final DatasetStore datasets;
    private final Progress.Factory progress;

    public TrainingJob(ModelStore models, DatasetStore datasets, Progress.Factory progress) {
        this.models = models;
        this.datasets = datasets;
        this.progress = progress;
    }

    /** Starts a new run in {@code out}, which must not hold one already. */
    public Result start(RunConfig config, Path out) throws IOException {
        RunDirectory run = new RunDirectory(out);
        if (Files.exists(run.config())) {
            throw new UserError(out + " already holds a run; choose another --out, or add --resume to continue it");
        }
        AdaptationMethod<?> method = Methods.require(config.method());
        method.readConfig(config.methodConfig()); // validate before any download
        TaskData.definition(datasets, config.task());
        TaskData data = TaskData.load(datasets, config.task(), config.dataDirectory(), progress);
        if (data.splits().train().isEmpty()) {
            throw new UserError("task " + config.task() + " is for evaluation only (it has no training split); train "
                    + "on a related task and evaluate with 'peft4j eval --run DIR --task " + config.task() + "'");
        }
        Path modelDir = models.resolve(config.model(), progress);
        run.writeJson("config.json", config);
        return execute(config, run, modelDir, data.definition(), data.splits(), false);
    }

    /** Continues the run in {@code out} from its last checkpoint, with the settings it was started with. */
    public Result resume(Path out) throws IOException {
        RunDirectory run = new RunDirectory(out);
        RunConfig config = RunConfig.read(out);
        if (!run.hasCheckpoint() && !Files.isDirectory(out.resolve(".checkpoint-old"))) {
            throw new UserError("no checkpoint in " + out + " to resume from; start it again without --resume");
        }
        Path modelDir = models.resolve(config.model(), progress);
        TaskData data = TaskData.load(datasets, config.task(), config.dataDirectory(), progress);
        return execute(config, run, modelDir, data.definition(), data.splits(), true);
    }

    private Result execute(RunConfig config, RunDirectory run, Path modelDir, TaskDefinition task, TaskSplits splits,
            boolean resume) throws IOException {
        AdaptationMethod<?> method = Methods.require(config.method());
        MethodConfig methodConfig = method.readConfig(config.methodConfig());
        run = new RunDirectory(run.directory(), modelDir);
        try (Workbench bench = Workbench.open(modelDir, config.engine(), config.device());
                Adapter adapter = bench.attachUnchecked(method, methodConfig, task, splits, config.training().seed())) {
            Map<String, Object> provenance = Provenance.describe(
                    bench.backbone().manager().getEngine(), bench.device(), config.training().seed());
            TaskHead head = bench.taskHead(task, adapter.insertedPositions());
            List<EncodedExample> train = encode(head, adapter, splits.train());
            List<EncodedExample> dev = encode(head, adapter, splits.dev());
            int finalLimit = config.training().finalEvalLimit();
            List<EncodedExample> test = encode(head, adapter,
                    EvaluationLimit.first(splits.test(), finalLimit, Example::group));
            Map<String, Object> description = new LinkedHashMap<>();
            description.put("task", task.name());
            description.put("model", config.model());
            description.put("template", task.template());
            description.put("verbalizer", task.verbalizer());
            description.put("provenance", new LinkedHashMap<>(provenance));
            Trainer trainer = new Trainer(bench.backbone(), adapter, head, config.training(), run, progress);
            Trainer.Outcome outcome = trainer.train(train, dev, description, resume);

            Evaluator evaluator = new Evaluator(bench.backbone(), head, 32);
            Evaluator.Predictions devPredictions;
            Evaluator.Predictions testPredictions;
            List<EncodedExample> finalDev = EvaluationLimit.first(dev, finalLimit, EncodedExample::group);
            try (Progress bar = progress.start("Evaluating best adapter", finalDev.size() + test.size(), "examples")) {
                devPredictions = evaluator.predict(adapter, finalDev, bar, true);
                testPredictions = evaluator.predict(adapter, test, bar, true);
            }
            double devAccuracy = devPredictions.accuracy(finalDev);
            double testAccuracy = testPredictions.accuracy(test);
            Map<String, Object> eval = new LinkedHashMap<>();
            eval.put("task", task.name());
            eval.put("method", method.name());
            eval.put("tunable_parameters", adapter.tunableParameterCount());
            eval.put("dev_accuracy", devAccuracy);
            eval.put("test_accuracy", testAccuracy);
            if (devPredictions.generated() != null) {
                // Rank classification above; here the answers the model writes itself (T5's greedy decoding).
                eval.put("dev_free_decoding_accuracy", devPredictions.generationAccuracy(finalDev));
                eval.put("dev_free_decoding_legal", devPredictions.generationLegal());
                eval.put("test_free_decoding_accuracy", testPredictions.generationAccuracy(test));
                eval.put("test_free_decoding_legal", testPredictions.generationLegal());
            }
            eval.put("dev_majority_baseline", majorityShare(finalDev));
            eval.put("dev_examples", finalDev.size());
            eval.put("test_examples", test.size());
            eval.put("best_step", outcome.bestStep());
            eval.put("selection_metric", task.metric());
            eval.put("best_dev_score_during_training", outcome.bestDevScore());
            eval.put("steps", outcome.stepsRun());
            eval.put("stopped_early", outcome.stoppedEarly());
            eval.put("train_seconds", outcome.seconds());
            run.writeJson("eval.json", eval);
            provenance.put("train_seconds", outcome.seconds());
            run.writeJson("provenance.json", provenance);
            return new Result(run.directory(), method.name(), adapter.tunableParameterCount(), devAccuracy,
                    testAccuracy, outcome.seconds(), outcome.stepsRun(), outcome.bestStep(),
                    devPredictions.generationAccuracy(finalDev));
        }
    }

    static List<ClozeHead.Encoded> encode(ClozeHead head, Adapter adapter, List<Example> examples) {
        return examples.stream().map(e -> head.encode(e, adapter)).toList();
    }

    static List<EncodedExample> encode(TaskHead head, Adapter adapter, List<Example> examples) {
        return examples.stream().map(e -> head.encode(e, adapter)).toList();
    }

    /** The share of the most frequent gold label: what always answering it would score. */
    static double majorityShare(List<? extends EncodedExample> examples) {
        Map<Integer, Integer> counts = new java.util.HashMap<>();
        examples.forEach(e -> counts.merge(e.label(), 1, Integer::sum));
        return examples.isEmpty() ? Double.NaN
                : counts.values().stream().mapToInt(Integer::intValue).max().orElse(0) / (double) examples.size();
    }

}
