package peft4j.data.source;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import peft4j.api.Progress;
import peft4j.api.UserError;
import peft4j.data.DatasetSource;
import peft4j.data.Example;
import peft4j.data.RawData;
import peft4j.data.TaskDefinition;

/**
 * The {@code paraphrase-bible} task, an MRPC analogue: is a verse of the World English Bible (2020) a paraphrase of a
 * verse of the King James Version (1769)? Both come as SWORD zText modules in Debian ({@code sword-text-kjv},
 * {@code sword-text-web}), read by {@link SwordZText} and turned into plain text by {@link OsisText}.
 *
 * <p>For every verse of the KJV that both modules have (WEB's deuterocanon is ignored), one seeded coin decides
 * whether the example pairs it with the same verse of the WEB ({@code equivalent}) or with a different verse of the
 * same WEB chapter ({@code not_equivalent}, a hard negative: same story, names and style). The split group is the
 * book, so test books are unseen in training.
 */
public final class BibleParaphraseSource implements DatasetSource {

    private final TaskDefinition task;
    private final DebianPackages debian;

    public BibleParaphraseSource(TaskDefinition task) {
        this(task, DebianPackages.system());
    }

    public BibleParaphraseSource(TaskDefinition task, DebianPackages debian) {
        this.task = task;
        this.debian = debian;
    }

    @Override
    public TaskDefinition task() {
        return task;
    }

    /** Package name to module directory inside it, from {@code source.package} and {@code source.path}. */
    private Map<String, String> modules() {
        String[] packages = task.source().packageName().split(",");
        String path = task.source().path();
        int brace = path.indexOf('{');
        String[] names = path.substring(brace + 1, path.indexOf('}')).split(",");
        if (packages.length != 2 || names.length != 2) {
            throw new IllegalStateException("task " + task.name() + " names two packages and two modules, not "
                    + task.source().packageName() + " and " + path);
        }
        Map<String, String> modules = new LinkedHashMap<>();
        for (int i = 0; i < 2; i++) {
            modules.put(packages[i], path.substring(0, brace) + names[i] + "/");
        }
        return modules;
    }

    @Override
    public RawData acquire(Path downloads, Progress.Factory progress) throws IOException {
        List<String> versions = new ArrayList<>();
        List<String> sha256s = new ArrayList<>();
        try (Progress bar = progress.start("download " + task.source().packageName(), 4, "steps")) {
            for (Map.Entry<String, String> module : modules().entrySet()) {
                DebianPackage deb = debian.download(module.getKey(), downloads);
                bar.advance(1);
                List<String> files = new ArrayList<>();
                for (String testament : List.of("ot", "nt")) {
                    for (String suffix : List.of(".bzs", ".bzv", ".bzz")) {
                        files.add(module.getValue() + testament + suffix);
                    }
                }
                debian.extract(deb, downloads.resolve(deb.name() + "_" + deb.version()), files);
                bar.advance(1);
                versions.add(deb.version());
                sha256s.add(deb.sha256());
            }
        }
        // Two packages: the manifest records both, comma-separated in the same order.
        return new RawData("debian", task.source().packageName(), String.join(",", versions),
                String.join(",", sha256s), downloads);
    }

    @Override
    public List<Example> parse(RawData raw) throws IOException {
        String[] versions = raw.version().split(",");
        List<Map<String, String>> bibles = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, String> module : modules().entrySet()) {
            Path dir = raw.root().resolve(module.getKey() + "_" + versions[i++]).resolve(module.getValue());
            Map<String, String> plain = new LinkedHashMap<>();
            SwordZText.verses(dir).forEach((ref, osis) -> {
                String text = OsisText.plain(osis);
                if (!text.isEmpty()) {
                    plain.put(ref, text);
                }
            });
            bibles.add(plain);
        }
        if (bibles.get(0).isEmpty() || bibles.get(1).isEmpty()) {
            throw new UserError("the SWORD modules of task " + task.name() + " hold no verses; the packages changed:"
                    + " check the task's source");
        }
        return examples(bibles.get(0), bibles.get(1));
    }

    @Override
    public String splitGroup(Example example) {
        String id = example.id();
        return id.substring(task.name().length() + 1, id.lastIndexOf('-'));
    }

    /**
     * One example per verse of {@code first} that {@code second} also has, in {@code first}'s order, with ids
     * {@code <task>-<Book>-CCC.VVV}.
     */
    List<Example> examples(Map<String, String> first, Map<String, String> second) {
        Map<String, List<String>> chapters = new LinkedHashMap<>(); // Book.chapter -> refs of second, in order
        for (String ref : second.keySet()) {
            chapters.computeIfAbsent(ref.substring(0, ref.lastIndexOf('.')), c -> new ArrayList<>()).add(ref);
        }
        Random random = new Random(task.split().seed());
        List<Example> examples = new ArrayList<>();
        for (Map.Entry<String, String> verse : first.entrySet()) {
            String ref = verse.getKey();
            if (!second.containsKey(ref)) {
                continue;
            }
            String[] parts = ref.split("\\.");
            String id = String.format(Locale.ROOT, "%s-%s-%03d.%03d", task.name(), parts[0],
                    Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
            boolean positive = random.nextBoolean();
            List<String> others = new ArrayList<>(chapters.get(ref.substring(0, ref.lastIndexOf('.'))));
            others.remove(ref);
            if (positive || others.isEmpty()) {
                examples.add(new Example(id, verse.getValue(), second.get(ref), "equivalent"));
            } else {
                String other = others.get(random.nextInt(others.size()));
                examples.add(new Example(id, verse.getValue(), second.get(other), "not_equivalent"));
            }
        }
        return examples;
    }
}
