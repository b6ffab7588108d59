package peft4j.data.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import peft4j.api.Progress;
import peft4j.api.UserError;
import peft4j.data.DatasetSource;
import peft4j.data.Example;
import peft4j.data.RawData;
import peft4j.data.TaskDefinition;

/**
 * The {@code wic-wordnet} task, a Word-in-Context analogue built from the example sentences of WordNet 3.0 (Debian
 * {@code wordnet-base}): given a word and two sentences that both contain it, is the word used in the same sense?
 *
 * <p>Each line of {@code data.noun}, {@code data.verb}, {@code data.adj}, {@code data.adv} is a synset:
 * {@code offset lexfile pos wcnt lemma lexid ... | gloss; "example"; ...} ({@code wcnt} in hex; adjective lemmas
 * may carry a marker such as {@code (a)}). An example sentence counts for a lemma of its synset only if the lemma
 * occurs in it literally (case-insensitive, as a whole word: {@code banks} does not count for {@code bank}). For
 * each lemma and part of speech with such sentences in two or more synsets, every two sentences of one synset make
 * a {@code same} pair and every two of different synsets a {@code different} pair; the smaller kind is kept whole and
 * as many of the larger kind are drawn (seeded), so each lemma is balanced. The example's text is
 * {@code "<word>: <first sentence>"}, its pair the second sentence. The split group is the lemma, so no word of the
 * test set is seen in training.
 */
public final class WordSenseSource implements DatasetSource {

    static final List<String> FILES = List.of("data.noun", "data.verb", "data.adj", "data.adv");

    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");
    private static final Pattern ADJECTIVE_MARKER = Pattern.compile("\\([a-z]+\\)$");

    private final TaskDefinition task;
    private final DebianPackages debian;

    public WordSenseSource(TaskDefinition task) {
        this(task, DebianPackages.system());
    }

    public WordSenseSource(TaskDefinition task, DebianPackages debian) {
        this.task = task;
        this.debian = debian;
    }

    @Override
    public TaskDefinition task() {
        return task;
    }

    /** The directory holding the data files, from {@code source.path} (e.g. {@code usr/share/wordnet/data.*}). */
    private String dataDir() {
        String path = task.source().path();
        return path.substring(0, path.lastIndexOf('/') + 1);
    }

    @Override
    public RawData acquire(Path downloads, Progress.Factory progress) throws IOException {
        return DebianSources.acquire(debian, task, downloads, progress,
                FILES.stream().map(f -> dataDir() + f).toList());
    }

    @Override
    public List<Example> parse(RawData raw) throws IOException {
        Map<String, Map<String, List<String>>> senses = new TreeMap<>();
        for (String name : FILES) {
            Path file = UnpackedFiles.require(raw, task, dataDir() + name);
            readSynsets(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString(), senses);
        }
        return examples(senses);
    }

    @Override
    public String splitGroup(Example example) {
        String id = example.id();
        return id.substring(task.name().length() + 1, id.lastIndexOf('-'));
    }

    /**
     * Adds the example sentences of each synset line to {@code senses}: {@code lemma/pos} to synset offset to the
     * sentences that contain the lemma, in file order.
     */
    static void readSynsets(List<String> lines, String where, Map<String, Map<String, List<String>>> senses) {
        int lineNumber = 0;
        for (String line : lines) {
            lineNumber++;
            if (line.isBlank() || line.startsWith(" ")) {
                continue; // the licence header
            }
            int bar = line.indexOf(" | ");
            String[] fields = (bar < 0 ? line : line.substring(0, bar)).trim().split(" ");
            try {
                String offset = fields[0];
                String pos = fields[2].equals("s") ? "a" : fields[2]; // adjective satellites are adjectives
                int count = Integer.parseInt(fields[3], 16);
                List<String> sentences = new ArrayList<>();
                if (bar >= 0) {
                    Matcher m = QUOTED.matcher(line.substring(bar + 3));
                    while (m.find()) {
                        String sentence = m.group(1).strip();
                        if (!sentence.isEmpty()) {
                            sentences.add(sentence);
                        }
                    }
                }
                Set<String> lemmas = new LinkedHashSet<>();
                for (int i = 0; i < count; i++) {
                    lemmas.add(ADJECTIVE_MARKER.matcher(fields[4 + 2 * i]).replaceAll("").replace('_', ' ')
                            .toLowerCase(Locale.ROOT));
                }
                for (String lemma : lemmas) {
                    Pattern word = wholeWord(lemma);
                    for (String sentence : sentences) {
                        if (word.matcher(sentence).find()) {
                            List<String> kept = senses.computeIfAbsent(lemma + "/" + pos, k -> new TreeMap<>())
                                    .computeIfAbsent(offset, k -> new ArrayList<>());
                            if (!kept.contains(sentence)) {
                                kept.add(sentence);
                            }
                        }
                    }
                }
            } catch (RuntimeException e) {
                throw new UserError(where + " line " + lineNumber + " is not a WordNet synset line ("
                        + e.getMessage() + "); the package changed: check the task's source");
            }
        }
    }

    private static Pattern wholeWord(String lemma) {
        return Pattern.compile("(?<![\\p{L}\\p{N}_'-])" + Pattern.quote(lemma) + "(?![\\p{L}\\p{N}_'-])",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    /** Balanced same/different pairs per lemma and part of speech, with ids {@code <task>-<lemma>-NNNNN}. */
    List<Example> examples(Map<String, Map<String, List<String>>> senses) {
        Random random = new Random(task.split().seed());
        List<Example> examples = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Map.Entry<String, Map<String, List<String>>> entry : senses.entrySet()) {
            if (entry.getValue().size() < 2) {
                continue;
            }
            String lemma = entry.getKey().substring(0, entry.getKey().lastIndexOf('/'));
            List<String[]> same = new ArrayList<>();
            List<String[]> different = new ArrayList<>();
            List<Map.Entry<String, List<String>>> synsets = new ArrayList<>(entry.getValue().entrySet());
            for (int a = 0; a < synsets.size(); a++) {
                List<String> first = synsets.get(a).getValue();
                for (int i = 0; i < first.size(); i++) {
                    for (int j = i + 1; j < first.size(); j++) {
                        same.add(new String[] {first.get(i), first.get(j)});
                    }
                    for (int b = a + 1; b < synsets.size(); b++) {
                        for (String other : synsets.get(b).getValue()) {
                            different.add(new String[] {first.get(i), other});
                        }
                    }
                }
            }
            int keep = Math.min(same.size(), different.size());
            Collections.shuffle(same, random);
            Collections.shuffle(different, random);
            for (int k = 0; k < keep; k++) {
                add(examples, seen, lemma, different.get(k), "different");
                add(examples, seen, lemma, same.get(k), "same");
            }
        }
        return examples;
    }

    private void add(List<Example> examples, Set<String> seen, String lemma, String[] pair, String label) {
        String text = lemma + ": " + pair[0];
        if (seen.add(text + "\n" + pair[1])) {
            String id = String.format(Locale.ROOT, "%s-%s-%05d", task.name(), lemma.replace(' ', '_'),
                    examples.size());
            examples.add(new Example(id, text, pair[1], label));
        }
    }
}
