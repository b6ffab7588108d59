package peft4j.data.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import peft4j.api.Progress;
import peft4j.api.UserError;
import peft4j.data.DatasetSource;
import peft4j.data.Example;
import peft4j.data.RawData;
import peft4j.data.TaskDefinition;

/**
 * The {@code sentiment-imdb}, {@code sentiment-yelp} and {@code sentiment-amazon} tasks: the three 1,000-sentence
 * domains of Kotzias et al.'s "Sentiment Labelled Sentences", shipped as test fixtures in the npm package
 * {@code sentiment}. Each fixture is a JSON array of {@code {"text": ..., "class": 0|1}} (0 negative, 1 positive)
 * closed by an empty record {@code {"text": "", "class": null}}, which is skipped. Texts are stripped of surrounding
 * whitespace; a text that occurs again is dropped (its first occurrence kept), so no sentence sits in two splits.
 */
public final class SentimentSource implements DatasetSource {

    private final TaskDefinition task;
    private final NpmPackages npm;

    public SentimentSource(TaskDefinition task) {
        this(task, NpmPackages.system());
    }

    public SentimentSource(TaskDefinition task, NpmPackages npm) {
        this.task = task;
        this.npm = npm;
    }

    @Override
    public TaskDefinition task() {
        return task;
    }

    @Override
    public RawData acquire(Path downloads, Progress.Factory progress) throws IOException {
        return NpmSources.acquire(npm, task, downloads, progress, path -> path.equals(task.source().path()));
    }

    @Override
    public List<Example> parse(RawData raw) throws IOException {
        Path file = UnpackedFiles.require(raw, task, task.source().path());
        return parseJson(Files.readString(file), file.toString());
    }

    /** Examples from a fixture's JSON text, with ids {@code <task>-NNNN} numbered in file order after deduplication. */
    List<Example> parseJson(String json, String where) {
        JsonNode array = NpmSources.readJson(json, where, "; the package changed: check the task's source");
        if (array == null || !array.isArray()) {
            throw new UserError(where + " is not a JSON array of {text, class} records");
        }
        List<Example> examples = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode record = array.get(i);
            String text = record.path("text").asText("").strip();
            JsonNode label = record.get("class");
            if (text.isEmpty() && (label == null || label.isNull())) {
                continue; // the empty closing record
            }
            if (text.isEmpty()) {
                throw new UserError(where + " record " + i + " has an empty text");
            }
            String name = switch (label == null ? "null" : label.asText()) {
                case "0" -> "negative";
                case "1" -> "positive";
                default -> throw new UserError(where + " record " + i + ": class must be 0 or 1 but is " + label);
            };
            if (seen.add(text)) {
                examples.add(Example.of(String.format(Locale.ROOT, "%s-%04d", task.name(), examples.size()), text,
                        name));
            }
        }
        return examples;
    }
}
