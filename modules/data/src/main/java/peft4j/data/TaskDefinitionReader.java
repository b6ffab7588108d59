package peft4j.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import peft4j.api.UserError;

/**
 * Reads and validates a task definition file. Every problem is reported at once, in one {@link UserError} line that
 * names the file, so whoever writes a new task file fixes it in one round.
 */
public final class TaskDefinitionReader {

    private TaskDefinitionReader() {
    }

    /**
     * Reads a task definition.
     *
     * @param in   the JSON
     * @param file where it came from, named in error messages, e.g. {@code peft4j/data/tasks/polarity.json}
     */
    public static TaskDefinition read(InputStream in, String file) {
        try {
            return validated(Json.MAPPER.readValue(in, TaskDefinition.class), file);
        } catch (JsonMappingException e) {
            throw new UserError("task file " + file + " is not a valid task definition: " + Json.describe(e)
                    + "; fix the file");
        } catch (JsonProcessingException e) {
            throw new UserError("task file " + file + " is not valid JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + "; fix the file");
        } catch (IOException e) {
            throw new UserError("cannot read task file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a task definition from a JSON string; see {@link #read(InputStream, String)}. */
    public static TaskDefinition parse(String json, String file) {
        return read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), file);
    }

    private static TaskDefinition validated(TaskDefinition task, String file) {
        List<String> problems = problems(task, file);
        if (!problems.isEmpty()) {
            throw new UserError("task file " + file + " is invalid: " + String.join("; ", problems) + "; fix the file");
        }
        return task;
    }

    static List<String> problems(TaskDefinition task, String file) {
        List<String> problems = new ArrayList<>();
        if (task.name().isBlank()) {
            problems.add("name is blank");
        } else if (!fileStem(file).equals(task.name())) {
            problems.add("name '" + task.name() + "' differs from the file name " + fileStem(file) + ".json");
        }
        checkLabels(task.labels(), problems);

        PromptTemplate cloze = checkTemplate("template", task.template(), problems);
        if (cloze != null && cloze.maskCount() != 1) {
            problems.add("template must contain exactly one " + PromptTemplate.MASK + " (found " + cloze.maskCount()
                    + "), e.g. \"{text} It was [MASK].\"");
        }
        checkLabelMap("verbalizer", task.verbalizer(), task.labels(), problems);

        PromptTemplate textToText = checkTemplate("text_to_text.input", task.textToText().input(), problems);
        if (cloze != null && textToText != null && cloze.usesTextPair() != textToText.usesTextPair()) {
            problems.add("template and text_to_text.input must both use {text_pair} or both not");
        }
        checkLabelMap("text_to_text.targets", task.textToText().targets(), task.labels(), problems);

        requireText("metric", task.metric(), problems);
        requireText("description", task.description(), problems);
        requireText("licence", task.licence(), problems);
        requireText("citation", task.citation(), problems);
        requireText("construction", task.construction(), problems);
        requireText("source.kind", task.source().kind(), problems);
        requireText("source.package", task.source().packageName(), problems);
        requireText("source.version", task.source().version(), problems);
        requireText("source.path", task.source().path(), problems);
        checkSplit(task.split(), problems);
        checkExpectedSizes(task.expectedSizes(), problems);
        return problems;
    }

    private static String fileStem(String file) {
        String name = file.substring(file.lastIndexOf('/') + 1);
        return name.endsWith(".json") ? name.substring(0, name.length() - ".json".length()) : name;
    }

    private static void checkLabels(List<String> labels, List<String> problems) {
        if (labels.size() < 2) {
            problems.add("labels must name at least two labels (found " + labels.size() + ")");
        }
        if (labels.stream().anyMatch(String::isBlank)) {
            problems.add("labels must not be blank");
        }
        if (new HashSet<>(labels).size() != labels.size()) {
            problems.add("labels must be distinct (found " + labels + ")");
        }
    }

    private static PromptTemplate checkTemplate(String field, String template, List<String> problems) {
        PromptTemplate parsed;
        try {
            parsed = PromptTemplate.parse(template);
        } catch (IllegalArgumentException e) {
            problems.add(field + ": " + e.getMessage());
            return null;
        }
        if (!parsed.usesText()) {
            problems.add(field + " must contain {text}");
        }
        return parsed;
    }

    /** A map from every label to a distinct, non-blank word, and nothing else. */
    private static void checkLabelMap(String field, Map<String, String> map, List<String> labels,
            List<String> problems) {
        for (String label : labels) {
            String word = map.get(label);
            if (word == null) {
                problems.add(field + " has no word for label '" + label + "'");
            } else if (word.isBlank()) {
                problems.add(field + " word for label '" + label + "' is blank");
            }
        }
        for (String key : map.keySet()) {
            if (!labels.contains(key)) {
                problems.add(field + " names '" + key + "', which is not one of the labels " + labels);
            }
        }
        Set<String> words = new HashSet<>(map.values());
        if (words.size() != map.size()) {
            problems.add(field + " must give each label a different word (found " + map + ")");
        }
    }

    private static void requireText(String field, String value, List<String> problems) {
        if (value.isBlank()) {
            problems.add(field + " is blank");
        }
    }

    private static void checkSplit(TaskDefinition.SplitPolicy split, List<String> problems) {
        boolean evaluationOnly = split.train() == 0 && split.dev() == 0;
        // train + dev = 1 leaves test to another file (the benchmarks read the official validation set as test)
        if (!evaluationOnly && !(split.train() > 0 && split.dev() >= 0 && split.train() + split.dev() <= 1)) {
            problems.add("split fractions must satisfy 0 < train, 0 <= dev and train + dev <= 1, or train = dev = 0"
                    + " for an evaluation-only task (found train " + split.train() + ", dev " + split.dev() + ")");
        }
    }

    private static void checkExpectedSizes(TaskDefinition.ExpectedSizes sizes, List<String> problems) {
        if (sizes.train() + sizes.dev() + sizes.test() != sizes.total()) {
            problems.add("expected_sizes: train + dev + test must equal total (found " + sizes + ")");
        }
    }
}
