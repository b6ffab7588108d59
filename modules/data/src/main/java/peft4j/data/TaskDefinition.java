package peft4j.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a task is, as read from {@code peft4j/data/tasks/<name>.json} by {@link TaskDefinitionReader}: its labels in
 * class-index order, how an example becomes a cloze prompt for MLM backbones ({@link #template()} plus
 * {@link #verbalizer()}) or a text-to-text pair for T5, how it is scored, where its data comes from, and how it is
 * split.
 *
 * @param name          the task's name, also its file name, e.g. {@code polarity}
 * @param description   one sentence for the dataset card
 * @param labels        label names; a label's position is its class index
 * @param template      cloze template with {@code {text}}, optionally {@code {text_pair}}, and one {@code [MASK]}
 * @param verbalizer    label name to the word that fills the mask, e.g. positive to "great"
 * @param textToText    the task as text-to-text (T5-style) input and targets
 * @param metric        the headline metric, e.g. {@code accuracy}
 * @param source        where the raw data comes from
 * @param licence       the data's licence or terms, for the dataset card
 * @param citation      how to cite the data
 * @param construction  how the examples were built from the raw data (filtering, deduplication, pairing, splitting),
 *                      for the dataset card
 * @param split         how the data is split into train/dev/test
 * @param expectedSizes the sizes a pull must produce; a different count means the source changed
 */
public record TaskDefinition(
        String name,
        String description,
        List<String> labels,
        String template,
        Map<String, String> verbalizer,
        TextToText textToText,
        String metric,
        Source source,
        String licence,
        String citation,
        String construction,
        SplitPolicy split,
        ExpectedSizes expectedSizes) {

    public TaskDefinition {
        labels = labels == null ? null : List.copyOf(labels);
        verbalizer = ordered(verbalizer);
    }

    /**
     * The task in text-to-text form.
     *
     * @param input   input template with {@code {text}} (and {@code {text_pair}}), e.g. {@code "sentence: {text}"}
     * @param targets label name to target text
     */
    public record TextToText(String input, Map<String, String> targets) {
        public TextToText {
            targets = ordered(targets);
        }
    }

    /**
     * Where the raw data comes from.
     *
     * @param kind        how it is fetched, e.g. {@code debian} (a Debian package fetched with apt-get)
     * @param packageName the package name
     * @param version     the package version this definition was checked against (the manifest records the one used)
     * @param path        the data file's path inside the package
     */
    public record Source(String kind, @JsonProperty("package") String packageName, String version, String path) {
    }

    /**
     * How examples are divided into train, dev and test, and the seed that fixes which examples land where.
     *
     * <p>With {@code group_by} {@value #BY_LABEL} (the default when the field is absent) the split is stratified:
     * each label's examples are cut into the fractions. Any other value names the unit a task keeps together, e.g.
     * {@code rule} or {@code lemma}: the task's source assigns each example to a group and whole groups are dealt to
     * the splits (see {@link Splits#grouped}), so no group is in two splits and the fractions hold only roughly.
     *
     * @param seed    seed of the shuffle
     * @param train   fraction of the examples (of each label, or of all when grouped) for training; 0 together with
     *                {@code dev} 0 marks an evaluation-only task, whose examples are all test
     * @param dev     fraction for development; the rest is test
     * @param groupBy {@value #BY_LABEL}, or what the groups of a grouped split are
     */
    public record SplitPolicy(long seed, double train, double dev, String groupBy) {

        /** The {@code group_by} of a stratified split. */
        public static final String BY_LABEL = "label";

        private static final Set<String> FIELDS = java.util.Set.of("seed", "train", "dev", "group_by");

        public SplitPolicy {
            groupBy = groupBy == null || groupBy.isBlank() ? BY_LABEL : groupBy;
        }

        /** A stratified split. */
        public SplitPolicy(long seed, double train, double dev) {
            this(seed, train, dev, BY_LABEL);
        }

        /** Whether whole groups, not single examples, are dealt to the splits. */
        @JsonIgnore
        public boolean isGrouped() {
            return !BY_LABEL.equals(groupBy);
        }

        /**
         * Reads the JSON object by hand so that {@code group_by} may be left out (task files and manifests written
         * before it existed) while every other field stays required.
         */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static SplitPolicy fromJson(Map<String, JsonNode> json) {
            for (String key : json.keySet()) {
                if (!FIELDS.contains(key)) {
                    throw new Json.FieldProblem(key, "unknown field");
                }
            }
            return new SplitPolicy(number(json, "seed").longValue(), number(json, "train").doubleValue(),
                    number(json, "dev").doubleValue(),
                    json.get("group_by") == null || json.get("group_by").isNull() ? BY_LABEL
                            : json.get("group_by").asText());
        }

        private static Number number(Map<String, JsonNode> json, String field) {
            JsonNode node = json.get(field);
            if (node == null || node.isNull()) {
                throw new Json.FieldProblem(field, "missing field");
            }
            if (!node.isNumber()) {
                throw new Json.FieldProblem(field, "not a number: " + node);
            }
            return node.numberValue();
        }
    }

    /** The split sizes a pull of this task must produce. */
    public record ExpectedSizes(int total, int train, int dev, int test) {
    }

    /** Whether examples have a second sentence ({@code {text_pair}} in the template). */
    public boolean isPairTask() {
        return clozeTemplate().usesTextPair();
    }

    /** The parsed cloze {@link #template()}. */
    public PromptTemplate clozeTemplate() {
        return PromptTemplate.parse(template);
    }

    /** The cloze prompt of {@code example}, with the {@code [MASK]} left in place for the model to fill. */
    public String fill(Example example) {
        return clozeTemplate().fill(example.text(), example.textPair(), PromptTemplate.MASK);
    }

    /** The cloze prompt with the mask replaced by the gold label's word: a demonstration for in-context prompts. */
    public String fillWithAnswer(Example example) {
        return clozeTemplate().fill(example.text(), example.textPair(), verbalizerWord(example.label()));
    }

    /** The word that stands for {@code label} at the mask position. */
    public String verbalizerWord(String label) {
        return verbalizer.get(requireLabel(label));
    }

    /** The class index of {@code label}: its position in {@link #labels()}. */
    public int labelIndex(String label) {
        return labels.indexOf(requireLabel(label));
    }

    /** The text-to-text input of {@code example}, e.g. {@code "sentence: a fine film"}. */
    public String textToTextInput(Example example) {
        return PromptTemplate.parse(textToText.input()).fill(example.text(), example.textPair(), PromptTemplate.MASK);
    }

    /** The text-to-text target of {@code label}. */
    public String textToTextTarget(String label) {
        return textToText.targets().get(requireLabel(label));
    }

    private String requireLabel(String label) {
        if (!labels.contains(label)) {
            throw new IllegalArgumentException("task " + name + " has no label '" + label + "'; its labels are "
                    + labels);
        }
        return label;
    }

    /** Label maps keep the file's order (JSON objects are read into insertion-ordered maps). */
    private static Map<String, String> ordered(Map<String, String> map) {
        return map == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
