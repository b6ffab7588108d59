package peft4j.train.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import peft4j.api.Progress;
import peft4j.api.UserError;
import peft4j.data.DatasetStore;
import peft4j.data.TaskDefinition;
import peft4j.data.TaskSplits;
import peft4j.data.benchmarks.Benchmarks;

/**
 * A task's definition and splits, from peft4j's dataset store (pulled with the package clients) or, for the official
 * GLUE/SuperGLUE tasks, from files the user brings in {@code dataDir}.
 */
public record TaskData(TaskDefinition definition, TaskSplits splits) {

    public static TaskDefinition definition(DatasetStore store, String task) {
        return Benchmarks.isBenchmark(task) ? Benchmarks.definition(task) : store.definition(task);
    }

    public static TaskData load(DatasetStore store, String task, Path dataDir, Progress.Factory progress) {
        if (!Benchmarks.isBenchmark(task)) {
            return new TaskData(store.definition(task), store.load(task, progress));
        }
        if (dataDir == null) {
            throw new UserError("task " + task + " reads the official files you bring: pass --data-dir DIR holding "
                    + String.join(", ", Benchmarks.files(task)));
        }
        try {
            return new TaskData(Benchmarks.definition(task), Benchmarks.read(task, dataDir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
