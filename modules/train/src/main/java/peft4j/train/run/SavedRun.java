package peft4j.train.run;

import java.nio.file.Path;
import peft4j.api.AdaptationMethod;
import peft4j.api.Adapter;
import peft4j.api.Methods;
import peft4j.api.MethodConfig;
import peft4j.data.TaskDefinition;
import peft4j.data.TaskSplits;

/** A finished (or checkpointed) run loaded back: its config, and the method re-attached with the best adapter. */
public final class SavedRun {

    private SavedRun() {
    }

    /** Attaches the run's method to {@code bench} with the run's config and loads the saved adapter values. */
    public static Adapter attach(Path runDirectory, RunConfig config, Workbench bench, TaskDefinition task,
            TaskSplits splits) {
        AdaptationMethod<?> method = Methods.require(config.method());
        MethodConfig methodConfig = method.readConfig(config.methodConfig());
        Adapter adapter = bench.attachUnchecked(method, methodConfig, task, splits, config.training().seed());
        try {
            AdapterFiles.loadInto(new RunDirectory(runDirectory).adapterDirectory(), adapter);
            return adapter;
        } catch (RuntimeException e) {
            adapter.close();
            throw e;
        }
    }
}
