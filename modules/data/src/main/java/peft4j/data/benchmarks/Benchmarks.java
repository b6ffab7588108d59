package peft4j.data.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import peft4j.api.UserError;
import peft4j.data.Example;
import peft4j.data.Splits;
import peft4j.data.TaskDefinition;
import peft4j.data.TaskDefinitionReader;
import peft4j.data.TaskSplits;

/**
 * GLUE and SuperGLUE tasks read from their official files, which the user downloads and names with a directory
 * ({@code --data-dir}). SuperGLUE tasks read {@code train.jsonl} and {@code val.jsonl}, GLUE tasks {@code train.tsv}
 * and {@code dev.tsv}; the official test files have no labels and are not read.
 *
 * <p>The splits follow common practice for these tasks in prompt-tuning papers: the official validation set is the
 * test split, and the dev split (for early stopping and model selection) is a stratified, seeded 10% of the official
 * training set, the rest of which is the train split. MultiRC and ReCoRD, whose lines hold several questions of
 * several candidate answers each, hold out whole lines instead ({@code group_by: passage}), and their examples carry
 * their question ({@link Example#group()}) for per-question scoring.
 */
public final class Benchmarks {

    private static final String RESOURCE_DIR = "/peft4j/data/benchmarks/";
    private static final Pattern TAGS = Pattern.compile("<[^>]*>");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final String PLACEHOLDER = "@placeholder";

    private enum Format { JSONL, TSV }

    private record Benchmark(Format format, String trainFile, String evalFile,
            BiFunction<Object, String, List<Example>> convert) {
    }

    private static final Map<String, Benchmark> BENCHMARKS = new TreeMap<>(Map.ofEntries(
            superGlue("superglue-boolq", (line, id) -> List.of(new Example(id, line.text("passage"),
                    line.text("question"), bool(line, "label")))),
            superGlue("superglue-cb", (line, id) -> List.of(new Example(id, line.text("premise"),
                    line.text("hypothesis"), line.text("label")))),
            superGlue("superglue-copa", Benchmarks::copa),
            superGlue("superglue-rte", (line, id) -> List.of(new Example(id, line.text("premise"),
                    line.text("hypothesis"), line.text("label")))),
            superGlue("superglue-wic", (line, id) -> List.of(new Example(id,
                    line.text("word") + ": " + line.text("sentence1"), line.text("sentence2"), bool(line, "label")))),
            superGlue("superglue-wsc", Benchmarks::wsc),
            superGlue("superglue-multirc", Benchmarks::multiRc),
            superGlue("superglue-record", Benchmarks::record),
            glue("glue-sst2", (row, id) -> List.of(Example.of(id, row.get("sentence"),
                    choose(row, "label", "negative", "positive")))),
            glue("glue-mrpc", (row, id) -> List.of(new Example(id, row.get("#1 String"), row.get("#2 String"),
                    choose(row, "Quality", "not_equivalent", "equivalent")))),
            glue("glue-qqp", (row, id) -> List.of(new Example(id, row.get("question1"), row.get("question2"),
                    choose(row, "is_duplicate", "not_duplicate", "duplicate")))),
            glue("glue-rte", (row, id) -> List.of(new Example(id, row.get("sentence1"), row.get("sentence2"),
                    row.get("label"))))));

    private Benchmarks() {
    }

    /** The supported benchmark tasks, sorted. */
    public static List<String> names() {
        return List.copyOf(BENCHMARKS.keySet());
    }

    /** Whether {@code name} is a benchmark task read from user files. */
    public static boolean isBenchmark(String name) {
        return BENCHMARKS.containsKey(name);
    }

    /** The files a directory for task {@code name} must hold, e.g. {@code [train.jsonl, val.jsonl]}. */
    public static List<String> files(String name) {
        Benchmark benchmark = benchmark(name);
        return List.of(benchmark.trainFile(), benchmark.evalFile());
    }

    /** The definition (card) of task {@code name}. */
    public static TaskDefinition definition(String name) {
        benchmark(name);
        String resource = RESOURCE_DIR + name + ".json";
        try (InputStream in = Benchmarks.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the peft4j.data module");
            }
            return TaskDefinitionReader.read(in, resource.substring(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads task {@code name} from {@code dataDir}: train and dev from the official training file (its {@code split}
     * policy's train and dev fractions, stratified or by whole lines, with its seed), test from the official
     * validation file.
     *
     * @throws UserError if a file is missing or malformed (naming file and line), or holds a label the task lacks
     */
    public static TaskSplits read(String name, Path dataDir) throws IOException {
        Benchmark benchmark = benchmark(name);
        TaskDefinition task = definition(name);
        Map<String, String> lineOf = new HashMap<>();
        List<Example> train = examples(name, benchmark, dataDir.resolve(benchmark.trainFile()), "train", task, lineOf);
        List<Example> eval = examples(name, benchmark, dataDir.resolve(benchmark.evalFile()), "val", task, lineOf);
        TaskDefinition.SplitPolicy policy = task.split();
        // Tasks with several examples per line (a MultiRC paragraph, a ReCoRD passage) keep each line's examples in
        // one split, so no question is scored on half its answers and no passage is in both train and dev.
        TaskSplits heldOut = policy.isGrouped()
                ? Splits.grouped(train, example -> lineOf.get(example.id()), policy.seed(), policy.train(),
                        policy.dev())
                : Splits.stratified(train, policy.seed(), policy.train(), policy.dev());
        List<Example> trainPart = new ArrayList<>(heldOut.train());
        trainPart.addAll(heldOut.test()); // rounding leftovers, if any
        return new TaskSplits(trainPart, heldOut.dev(), eval);
    }

    /**
     * The examples of one file, checked against the task's labels.
     *
     * @param lineOf filled with each example's id to the id of the line it came from
     */
    private static List<Example> examples(String name, Benchmark benchmark, Path file, String split,
            TaskDefinition task, Map<String, String> lineOf) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new UserError("task " + name + " needs " + file + " (the official " + benchmark.trainFile() + " and "
                    + benchmark.evalFile() + " of the task, unpacked into the --data-dir directory)");
        }
        List<?> records = benchmark.format() == Format.JSONL ? JsonLines.read(file) : TabSeparated.read(file);
        List<Example> examples = new ArrayList<>();
        int position = 0;
        for (Object record : records) {
            String id = String.format(Locale.ROOT, "%s-%s-%06d", name, split, position++);
            for (Example example : benchmark.convert().apply(record, id)) {
                if (example.label() == null || !task.labels().contains(example.label())) {
                    throw new UserError(file + " line " + lineOf(record) + " has the label '" + example.label()
                            + "', which task " + name + " does not define (labels " + task.labels() + ")");
                }
                examples.add(example);
                lineOf.put(example.id(), id);
            }
        }
        return examples;
    }

    private static int lineOf(Object record) {
        return record instanceof JsonLines.Line line ? line.number() : ((TabSeparated.Row) record).number();
    }

    private static Benchmark benchmark(String name) {
        Benchmark benchmark = BENCHMARKS.get(name);
        if (benchmark == null) {
            throw new UserError("unknown benchmark task '" + name + "'; benchmark tasks: "
                    + String.join(", ", BENCHMARKS.keySet()));
        }
        return benchmark;
    }

    private static Map.Entry<String, Benchmark> superGlue(String name,
            BiFunction<JsonLines.Line, String, List<Example>> convert) {
        return Map.entry(name, new Benchmark(Format.JSONL, "train.jsonl", "val.jsonl",
                (record, id) -> convert.apply((JsonLines.Line) record, id)));
    }

    private static Map.Entry<String, Benchmark> glue(String name,
            BiFunction<TabSeparated.Row, String, List<Example>> convert) {
        return Map.entry(name, new Benchmark(Format.TSV, "train.tsv", "dev.tsv",
                (record, id) -> convert.apply((TabSeparated.Row) record, id)));
    }

    /** A boolean or 0/1 label as {@code false}/{@code true}. */
    private static String bool(JsonLines.Line line, String field) {
        JsonNode label = line.node(field);
        if (label.isBoolean()) {
            return String.valueOf(label.booleanValue());
        }
        if (label.isInt() && (label.intValue() == 0 || label.intValue() == 1)) {
            return String.valueOf(label.intValue() == 1);
        }
        throw line.problem("has the label " + label + ", not true/false");
    }

    /** A 0/1 column as one of two labels. */
    private static String choose(TabSeparated.Row row, String column, String zero, String one) {
        return switch (row.get(column).strip()) {
            case "0" -> zero;
            case "1" -> one;
            default -> throw new UserError(row.file() + " line " + row.number() + ": " + column + " must be 0 or 1"
                    + " but is '" + row.get(column) + "'");
        };
    }

    /** COPA: the premise with its question as text, both choices as the pair; the label names the right one. */
    private static List<Example> copa(JsonLines.Line line, String id) {
        String question = switch (line.text("question")) {
            case "cause" -> " What was the cause?";
            case "effect" -> " What happened as a result?";
            default -> throw line.problem("has the question '" + line.text("question") + "', not cause/effect");
        };
        JsonNode label = line.node("label");
        if (!label.isInt() || label.intValue() < 0 || label.intValue() > 1) {
            throw line.problem("has the label " + label + ", not 0 or 1");
        }
        return List.of(new Example(id, line.text("premise") + question,
                "\"" + line.text("choice1") + "\" or \"" + line.text("choice2") + "\"",
                label.intValue() == 0 ? "choice1" : "choice2"));
    }

    /** WSC: the text, and the question whether the pronoun (span 2) refers to the candidate (span 1). */
    private static List<Example> wsc(JsonLines.Line line, String id) {
        JsonNode target = line.node("target");
        String candidate = target.path("span1_text").asText(null);
        String pronoun = target.path("span2_text").asText(null);
        if (candidate == null || pronoun == null) {
            throw line.problem("has no target.span1_text / target.span2_text");
        }
        return List.of(new Example(id, line.text("text"),
                "Does \"" + pronoun + "\" refer to \"" + candidate + "\"?", bool(line, "label")));
    }

    /**
     * MultiRC: one example per answer, id {@code <id>-qQQ-aAA}; text the passage, pair the question and answer. The
     * answers of a question share its group, {@code <id>-qQQ}, whose gold answers are those labelled 1.
     */
    private static List<Example> multiRc(JsonLines.Line line, String id) {
        JsonNode passage = line.node("passage");
        String text = plain(passage.path("text").asText(""));
        List<Example> examples = new ArrayList<>();
        JsonNode questions = passage.path("questions");
        for (int q = 0; q < questions.size(); q++) {
            JsonNode question = questions.get(q);
            JsonNode answers = question.path("answers");
            List<String> correct = new ArrayList<>();
            for (JsonNode answer : answers) {
                JsonNode label = answer.path("label");
                if (!label.isInt() || label.intValue() < 0 || label.intValue() > 1) {
                    throw line.problem("has an answer label " + label + ", not 0 or 1");
                }
                if (label.intValue() == 1) {
                    correct.add(answer.path("text").asText());
                }
            }
            String group = String.format(Locale.ROOT, "%s-q%02d", id, q);
            for (int a = 0; a < answers.size(); a++) {
                JsonNode answer = answers.get(a);
                String option = answer.path("text").asText();
                examples.add(new Example(String.format(Locale.ROOT, "%s-a%02d", group, a), text,
                        question.path("question").asText() + " Answer: " + option,
                        String.valueOf(answer.path("label").intValue() == 1),
                        new Example.Group(group, option, correct)));
            }
        }
        return examples;
    }

    /**
     * ReCoRD: one example per query and candidate entity, id {@code <id>-qQQ-cCCC}; text the passage, pair the query
     * with the candidate in place of {@code @placeholder}; true if the candidate is a gold answer. Candidates are the
     * passage's entity spans, each distinct text once; the candidates of a query share its group, {@code <id>-qQQ},
     * which keeps the gold answer texts for ReCoRD's EM and F1.
     */
    private static List<Example> record(JsonLines.Line line, String id) {
        JsonNode passage = line.node("passage");
        String raw = passage.path("text").asText("");
        Set<String> candidates = new LinkedHashSet<>();
        for (JsonNode entity : passage.path("entities")) {
            int start = entity.path("start").asInt(-1);
            int end = entity.path("end").asInt(-1); // inclusive
            if (start < 0 || end < start || end >= raw.length()) {
                throw line.problem("has an entity span " + entity + " outside the passage");
            }
            candidates.add(raw.substring(start, end + 1));
        }
        String text = highlightsJoined(raw);
        List<Example> examples = new ArrayList<>();
        JsonNode queries = line.node("qas");
        for (int q = 0; q < queries.size(); q++) {
            JsonNode query = queries.get(q);
            String template = query.path("query").asText();
            if (!template.contains(PLACEHOLDER)) {
                throw line.problem("has a query without " + PLACEHOLDER + ": " + template);
            }
            Set<String> gold = new LinkedHashSet<>();
            query.path("answers").forEach(answer -> gold.add(answer.path("text").asText()));
            String group = String.format(Locale.ROOT, "%s-q%02d", id, q);
            List<String> answers = List.copyOf(gold);
            int c = 0;
            for (String candidate : candidates) {
                examples.add(new Example(String.format(Locale.ROOT, "%s-c%03d", group, c++), text,
                        template.replace(PLACEHOLDER, candidate), String.valueOf(gold.contains(candidate)),
                        new Example.Group(group, candidate, answers)));
            }
        }
        return examples;
    }

    /** The passage with its {@code @highlight} lines made sentences: "...revealed.\n@highlight\nThe..." reads
     * "...revealed. The...". */
    private static String highlightsJoined(String passage) {
        StringBuilder text = new StringBuilder();
        for (String part : passage.split("\\s*@highlight\\s*")) {
            String sentence = SPACES.matcher(part).replaceAll(" ").strip();
            if (sentence.isEmpty()) {
                continue;
            }
            if (!text.isEmpty()) {
                text.append(".!?".indexOf(text.charAt(text.length() - 1)) >= 0 ? " " : ". ");
            }
            text.append(sentence);
        }
        return text.toString();
    }

    private static String plain(String html) {
        return SPACES.matcher(TAGS.matcher(html).replaceAll(" ")).replaceAll(" ").strip();
    }
}
