package peft4j.data.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
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
 * {@code wordnet-base}): given a noun or verb and two sentences that both contain it, is it used in the same sense?
 *
 * <p>Each line of {@code data.noun} and {@code data.verb} is a synset:
 * {@code offset lexfile pos wcnt lemma lexid ... pcnt (symbol offset pos st)... | gloss; "example"; ...}
 * ({@code wcnt} in hex, {@code pcnt} in decimal). An example sentence counts for a lemma of its synset only if the
 * lemma occurs in it literally (case-insensitive, as a whole word: {@code banks} does not count for {@code bank}).
 * For each lemma and part of speech with such sentences in two or more synsets, every two sentences of one synset
 * make a {@code same} pair; two sentences of different synsets make a {@code different} pair only if the senses are
 * clearly apart, as WiC prunes them: different lexicographer files (supersenses), no pointer between the two
 * synsets and no shared hypernym (not sister senses). WordNet's finer distinctions (and its adjectives, whose senses
 * are mostly such neighbours) make pairs that even people disagree on. The smaller kind is kept whole and as many of
 * the larger kind are drawn (seeded), so each lemma is balanced. The example's text is
 * {@code "<word>: <first sentence>"}, its pair the second sentence. The split group is the lemma, so no word of the
 * test set is seen in training.
 */
public final class WordSenseSource implements DatasetSource {

    static final List<String> FILES = List.of("data.noun", "data.verb");

    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");
    private static final Set<String> HYPERNYM_POINTERS = Set.of("@", "@i");

    /** One synset's place in WordNet, as far as pruning needs it; keys are {@code pos:offset}. */
    record Synset(String lexicographerFile, Set<String> neighbours, Set<String> hypernyms) {

        /** Whether two senses of one word are far enough apart to make a {@code different} pair. */
        boolean clearlyApartFrom(String key, String otherKey, Synset other) {
            return !lexicographerFile.equals(other.lexicographerFile)
                    && !neighbours.contains(otherKey) && !other.neighbours.contains(key)
                    && Collections.disjoint(hypernyms, other.hypernyms);
        }
    }

    /** What the construction reads from WordNet: sentences per word and sense, and each sense's neighbourhood. */
    static final class Senses {
        /** {@code lemma/pos} to synset key to the sentences that contain the lemma, in file order. */
        final Map<String, Map<String, List<String>>> sentences = new TreeMap<>();
        final Map<String, Synset> synsets = new HashMap<>();
    }

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
        Senses senses = new Senses();
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

    /** Adds each synset line's example sentences and neighbourhood to {@code senses}. */
    static void readSynsets(List<String> lines, String where, Senses senses) {
        int lineNumber = 0;
        for (String line : lines) {
            lineNumber++;
            if (line.isBlank() || line.startsWith(" ")) {
                continue; // the licence header
            }
            int bar = line.indexOf(" | ");
            String[] fields = (bar < 0 ? line : line.substring(0, bar)).trim().split(" ");
            try {
                String pos = partOfSpeech(fields[2]);
                String key = pos + ":" + fields[0];
                int count = Integer.parseInt(fields[3], 16);
                Set<String> lemmas = new LinkedHashSet<>();
                for (int i = 0; i < count; i++) {
                    lemmas.add(fields[4 + 2 * i].replace('_', ' ').toLowerCase(Locale.ROOT));
                }
                int pointerField = 4 + 2 * count;
                int pointers = Integer.parseInt(fields[pointerField]);
                Set<String> neighbours = new HashSet<>();
                Set<String> hypernyms = new HashSet<>();
                for (int p = 0; p < pointers; p++) {
                    int at = pointerField + 1 + 4 * p;
                    String target = partOfSpeech(fields[at + 2]) + ":" + fields[at + 1];
                    neighbours.add(target);
                    if (HYPERNYM_POINTERS.contains(fields[at])) {
                        hypernyms.add(target);
                    }
                }
                senses.synsets.put(key, new Synset(fields[1], neighbours, hypernyms));
                List<String> examples = new ArrayList<>();
                if (bar >= 0) {
                    Matcher m = QUOTED.matcher(line.substring(bar + 3));
                    while (m.find()) {
                        String sentence = m.group(1).strip();
                        if (!sentence.isEmpty()) {
                            examples.add(sentence);
                        }
                    }
                }
                for (String lemma : lemmas) {
                    Pattern word = wholeWord(lemma);
                    for (String sentence : examples) {
                        if (word.matcher(sentence).find()) {
                            List<String> kept = senses.sentences.computeIfAbsent(lemma + "/" + pos,
                                    k -> new TreeMap<>()).computeIfAbsent(key, k -> new ArrayList<>());
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

    /** Adjective satellites ({@code s}) are adjectives. */
    private static String partOfSpeech(String symbol) {
        return symbol.equals("s") ? "a" : symbol;
    }

    private static Pattern wholeWord(String lemma) {
        return Pattern.compile("(?<![\\p{L}\\p{N}_'-])" + Pattern.quote(lemma) + "(?![\\p{L}\\p{N}_'-])",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    /** Balanced same/different pairs per lemma and part of speech, with ids {@code <task>-<lemma>-NNNNN}. */
    List<Example> examples(Senses senses) {
        Random random = new Random(task.split().seed());
        List<Example> examples = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Map.Entry<String, Map<String, List<String>>> entry : senses.sentences.entrySet()) {
            if (entry.getValue().size() < 2) {
                continue;
            }
            String lemma = entry.getKey().substring(0, entry.getKey().lastIndexOf('/'));
            List<String[]> same = new ArrayList<>();
            List<String[]> different = new ArrayList<>();
            List<Map.Entry<String, List<String>>> synsets = new ArrayList<>(entry.getValue().entrySet());
            for (int a = 0; a < synsets.size(); a++) {
                String firstKey = synsets.get(a).getKey();
                List<String> first = synsets.get(a).getValue();
                for (int i = 0; i < first.size(); i++) {
                    for (int j = i + 1; j < first.size(); j++) {
                        same.add(new String[] {first.get(i), first.get(j)});
                    }
                    for (int b = a + 1; b < synsets.size(); b++) {
                        String otherKey = synsets.get(b).getKey();
                        if (!senses.synsets.get(firstKey).clearlyApartFrom(firstKey, otherKey,
                                senses.synsets.get(otherKey))) {
                            continue;
                        }
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
