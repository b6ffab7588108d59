package peft4j.serve;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import peft4j.api.Adapter;
import peft4j.api.Progress;
import peft4j.api.UserError;
import peft4j.backbone.models.ModelStore;
import peft4j.data.DatasetStore;
import peft4j.train.run.RunConfig;
import peft4j.train.run.SavedRun;
import peft4j.train.run.TaskData;
import peft4j.train.run.Workbench;

/**
 * Several finished runs loaded onto ONE backbone: the model they share is loaded once, each run's best adapter is
 * attached beside the others. Members are named by their run directory's name.
 */
public final class ServedRuns implements AutoCloseable {

    private final Workbench bench;
    private final List<MixedTaskPredictor.Member> members;
    private final java.util.Map<String, TaskData> tasks;

    private ServedRuns(Workbench bench, List<MixedTaskPredictor.Member> members, java.util.Map<String, TaskData> tasks) {
        this.bench = bench;
        this.members = members;
        this.tasks = tasks;
    }

    public static ServedRuns open(List<Path> runs, ModelStore models, DatasetStore datasets, String engine,
            String device, Progress.Factory progress) {
        if (runs.isEmpty()) {
            throw new UserError("name at least one run directory");
        }
        List<RunConfig> configs = runs.stream().map(RunConfig::read).toList();
        Set<String> modelNames = new LinkedHashSet<>();
        configs.forEach(c -> modelNames.add(c.model()));
        if (modelNames.size() > 1) {
            throw new UserError("these runs were trained on different models " + modelNames
                    + "; one batch needs one backbone — serve each model's runs separately");
        }
        RunConfig first = configs.get(0);
        Workbench bench = Workbench.open(models.resolve(first.model(), progress),
                engine != null ? engine : first.engine(), device != null ? device : first.device());
        List<MixedTaskPredictor.Member> members = new ArrayList<>();
        java.util.Map<String, TaskData> tasks = new java.util.HashMap<>();
        try {
            for (int i = 0; i < runs.size(); i++) {
                RunConfig config = configs.get(i);
                TaskData task = TaskData.load(datasets, config.task(), config.dataDirectory(), progress);
                Adapter adapter = SavedRun.attach(runs.get(i), config, bench, task.definition(), task.splits());
                tasks.put(name(runs.get(i)), task);
                members.add(new MixedTaskPredictor.Member(name(runs.get(i)), adapter,
                        bench.head(task.definition(), adapter.insertedPositions())));
            }
            return new ServedRuns(bench, members, tasks);
        } catch (RuntimeException e) {
            members.forEach(m -> m.adapter().close());
            bench.close();
            throw e;
        }
    }

    static String name(Path run) {
        Path name = run.toAbsolutePath().normalize().getFileName();
        return name == null ? run.toString() : name.toString();
    }

    public Workbench bench() {
        return bench;
    }

    public List<MixedTaskPredictor.Member> members() {
        return members;
    }

    /** The task data (definition and splits) of the member run called {@code member}. */
    public TaskData task(String member) {
        return tasks.get(member);
    }

    public MixedTaskPredictor predictor(int batchSize) {
        return new MixedTaskPredictor(bench.backbone(), bench.tokenizer().padId(), members, batchSize);
    }

    @Override
    public void close() {
        members.forEach(m -> m.adapter().close());
        bench.close();
    }
}
