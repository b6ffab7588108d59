package peft4j.train.run;

import java.nio.file.Path;
import peft4j.api.AdaptationMethod;
import peft4j.api.Adapter;
import peft4j.api.Methods;
import peft4j.api.MethodConfig;
import peft4j.api.Progress;
import peft4j.backbone.models.ModelStore;
import peft4j.data.TaskDefinition;
import peft4j.data.TaskSplits;

/** A finished (or checkpointed) run loaded back: its config, and the method re-attached with the best adapter. */
public final class SavedRun {

    private SavedRun() {
    }

    /**
     * The model to open for a run: its own saved model when the method replaced the backbone's weights (model
     * tuning), else the run's base model.
     */
    public static Path modelDirectory(Path runDirectory, RunConfig config, ModelStore models,
            Progress.Factory progress) {
        Path saved = new RunDirectory(runDirectory).adapterDirectory();
        return AdapterFiles.holdsModel(saved) ? saved : models.resolve(config.model(), progress);
    }

    /**
     * Attaches the run's method to {@code bench} with the run's config and loads the saved adapter values; a saved
     * model is not loaded twice when {@code bench} was opened on it ({@link #modelDirectory}).
     */
    public static Adapter attach(Path runDirectory, RunConfig config, Workbench bench, TaskDefinition task,
            TaskSplits splits) {
        AdaptationMethod<?> method = Methods.require(config.method());
        MethodConfig methodConfig = method.readConfig(config.methodConfig());
        Adapter adapter = bench.attachUnchecked(method, methodConfig, task, splits, config.training().seed());
        try {
            Path saved = new RunDirectory(runDirectory).adapterDirectory();
            if (!(adapter.replacesBackboneWeights() && saved.equals(bench.modelDirectory()))) {
                AdapterFiles.loadInto(saved, adapter);
            }
            return adapter;
        } catch (RuntimeException e) {
            adapter.close();
            throw e;
        }
    }
}
