package peft4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import peft4j.api.UserError;
import peft4j.data.source.AcceptabilitySource;
import peft4j.data.source.BibleParaphraseSource;
import peft4j.data.source.PlagiarismSource;
import peft4j.data.source.PolaritySource;
import peft4j.data.source.SentimentSource;
import peft4j.data.source.SpamSource;
import peft4j.data.source.UncertaintySource;
import peft4j.data.source.WordSenseSource;

/**
 * The catalog of built-in tasks. Adding a task takes two steps: its definition file
 * {@code src/main/resources/peft4j/data/tasks/<name>.json}, and one line in {@link #SOURCES} naming the
 * {@link DatasetSource} that fetches its data.
 */
public final class Tasks {

    /** Where task definition files live inside this module. */
    static final String RESOURCE_DIR = "/peft4j/data/tasks/";

    /** Every built-in task and the source of its data, sorted by name. */
    private static final Map<String, Function<TaskDefinition, DatasetSource>> SOURCES = new TreeMap<>(Map.ofEntries(
            Map.entry("acceptability-lt", AcceptabilitySource::new),
            Map.entry("paraphrase-bible", BibleParaphraseSource::new),
            Map.entry("paraphrase-plagiarism", PlagiarismSource::new),
            Map.entry("polarity", PolaritySource::new),
            Map.entry("sentiment-amazon", SentimentSource::new),
            Map.entry("sentiment-imdb", SentimentSource::new),
            Map.entry("sentiment-yelp", SentimentSource::new),
            Map.entry("spam", SpamSource::new),
            Map.entry("uncertainty", UncertaintySource::new),
            Map.entry("wic-wordnet", WordSenseSource::new)));

    private static final Map<String, TaskDefinition> DEFINITIONS = new ConcurrentHashMap<>();

    private Tasks() {
    }

    /** Names of all built-in tasks, sorted. */
    public static List<String> names() {
        return List.copyOf(SOURCES.keySet());
    }

    /**
     * The definition of task {@code name}.
     *
     * @throws UserError if there is no such task
     */
    public static TaskDefinition get(String name) {
        requireKnown(name);
        return DEFINITIONS.computeIfAbsent(name, Tasks::readDefinition);
    }

    /** The source of task {@code name}'s data. */
    public static DatasetSource source(String name) {
        return SOURCES.get(requireKnown(name)).apply(get(name));
    }

    /** Sources of all built-in tasks, by name. */
    public static Map<String, DatasetSource> sources() {
        Map<String, DatasetSource> sources = new LinkedHashMap<>();
        for (String name : names()) {
            sources.put(name, source(name));
        }
        return sources;
    }

    private static String requireKnown(String name) {
        if (!SOURCES.containsKey(name)) {
            throw unknownTask(name, names());
        }
        return name;
    }

    static UserError unknownTask(String name, List<String> known) {
        return new UserError("unknown task '" + name + "'; known tasks: " + String.join(", ", known));
    }

    private static TaskDefinition readDefinition(String name) {
        String resource = RESOURCE_DIR + name + ".json";
        // Same-module lookup: the resource package stays encapsulated, no 'opens' needed.
        try (InputStream in = Tasks.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("task " + name + " is registered but " + resource
                        + " is missing from the peft4j.data module");
            }
            return TaskDefinitionReader.read(in, resource.substring(1));
        } catch (IOException e) {
            throw new UserError("cannot read task file " + resource + ": " + e.getMessage(), e);
        }
    }
}
