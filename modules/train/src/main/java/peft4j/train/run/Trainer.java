package peft4j.train.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import peft4j.api.Adapter;
import peft4j.api.Backbone;
import peft4j.api.Progress;
import peft4j.api.UserError;
import peft4j.train.head.EncodedExample;
import peft4j.train.head.TaskHead;

/**
 * The training loop, the same for every method: it only sees the adapter's trainable tensors and hooks. Batches
 * follow a {@link BatchSchedule}; every {@code evalEvery} steps it scores dev with the task's metric (accuracy for most
 * tasks, Matthews correlation for acceptability), keeps the best adapter and
 * writes a checkpoint (atomically) from which {@code resume} continues a killed run to the same result.
 */
public final class Trainer {

    /** What a finished run reports. */
    public record Outcome(int stepsRun, double bestDevScore, int bestStep, double seconds, boolean stoppedEarly) {
    }

    private final Backbone backbone;
    private final Adapter adapter;
    private final TaskHead head;
    private final TrainSettings settings;
    private final RunDirectory run;
    private final Progress.Factory progress;

    public Trainer(Backbone backbone, Adapter adapter, TaskHead head, TrainSettings settings, RunDirectory run,
            Progress.Factory progress) {
        this.backbone = backbone;
        this.adapter = adapter;
        this.head = head;
        this.settings = settings;
        this.run = run;
        this.progress = progress;
    }

    public Outcome train(List<? extends EncodedExample> train, List<? extends EncodedExample> dev,
            Map<String, Object> description,
            boolean resume) throws IOException {
        if (adapter.trainableTensors().isEmpty()) {
            throw new UserError("method " + adapter.methodName() + " has nothing to train; evaluate it with "
                    + "'peft4j eval' instead");
        }
        checkBackboneStaysFrozen();
        int[] lengths = train.stream().mapToInt(EncodedExample::length).toArray();
        BatchSchedule schedule = new BatchSchedule(lengths, settings.batchSize(), settings.seed());
        List<? extends EncodedExample> devSample = EvaluationLimit.first(dev, settings.evalLimit(),
                EncodedExample::group);
        try (ParameterOptimizer optimizer = ParameterOptimizer.create(settings.optimizer(), settings.learningRate())) {
            return train(train, schedule, devSample, optimizer, description, resume);
        }
    }

    /** Only an adapter that says it replaces the backbone's weights (model tuning) may train them. */
    private void checkBackboneStaysFrozen() {
        if (adapter.replacesBackboneWeights()) {
            return;
        }
        java.util.Set<Object> weights = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        weights.addAll(backbone.weights().values());
        for (var t : adapter.trainableTensors()) {
            if (weights.contains(t.array())) {
                throw new IllegalStateException("method " + adapter.methodName() + " trains the backbone weight "
                        + t.name() + " but does not declare that it replaces the backbone's weights");
            }
        }
    }

    private Outcome train(List<? extends EncodedExample> train, BatchSchedule schedule,
            List<? extends EncodedExample> devSample,
            ParameterOptimizer optimizer, Map<String, Object> description, boolean resume) throws IOException {
        Evaluator evaluator = new Evaluator(backbone, head, 32);
        TrainingStep step = new TrainingStep(backbone, adapter, head, optimizer);
        TrainingState state = TrainingState.start();
        if (resume) {
            state = run.loadCheckpoint(adapter, optimizer);
        } else {
            run.truncateMetrics(0);
        }
        run.truncateMetrics(state.step());
        long started = System.nanoTime();
        double secondsBefore = state.seconds();
        boolean stoppedEarly = false;
        try (Progress bar = progress.start("Training " + adapter.methodName(), settings.steps(), "steps")) {
            bar.advance(state.step());
            while (state.step() < settings.steps()) {
                int[] indices = schedule.batch(state.step());
                List<EncodedExample> batch = new ArrayList<>();
                for (int i : indices) {
                    batch.add(train.get(i));
                }
                float loss;
                try {
                    loss = step.run(batch);
                } catch (TrainingStep.NonFiniteLoss e) {
                    throw new UserError(e.getMessage() + " at step " + (state.step() + 1) + "; training stopped. The "
                            + "last good checkpoint is in " + run.checkpointDirectory() + ": lower --lr and resume with "
                            + "--resume, or start again");
                }
                int done = state.step() + 1;
                double seconds = secondsBefore + (System.nanoTime() - started) / 1e9;
                Map<String, Object> metrics = new LinkedHashMap<>();
                metrics.put("step", done);
                metrics.put("loss", loss);
                metrics.put("seconds", Math.round(seconds * 100) / 100.0);
                state = state.next(seconds);
                if (done % settings.evalEvery() == 0 || done == settings.steps()) {
                    Evaluator.Predictions predictions = evaluator.predict(adapter, devSample, Progress.SILENT);
                    double accuracy = predictions.accuracy(devSample);
                    double score = predictions.score(head.task(), devSample);
                    metrics.put("dev_accuracy", accuracy);
                    if (!head.task().metric().equals("accuracy")) {
                        metrics.put("dev_" + head.task().metric(), score);
                    }
                    state = state.evaluated(score, done);
                    if (state.bestStep() == done) {
                        run.saveBestAdapter(adapter, description);
                    }
                    run.appendMetrics(metrics);
                    run.saveCheckpoint(adapter, optimizer, state);
                    bar.message(String.format("loss %.3f dev %.3f best %.3f", loss, score, state.bestAccuracy()));
                    if (settings.patience() > 0 && state.evalsSinceBest() >= settings.patience()) {
                        stoppedEarly = true;
                        bar.advance(1);
                        break;
                    }
                } else {
                    run.appendMetrics(metrics);
                    bar.message(String.format("loss %.3f best dev %.3f", loss, state.bestAccuracy()));
                }
                bar.advance(1);
            }
        }
        run.loadBestAdapter(adapter);
        return new Outcome(state.step(), state.bestAccuracy(), state.bestStep(), state.seconds(), stoppedEarly);
    }
}
