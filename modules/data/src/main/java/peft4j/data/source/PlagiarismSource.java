package peft4j.data.source;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import peft4j.api.Progress;
import peft4j.api.UserError;
import peft4j.data.DatasetSource;
import peft4j.data.Example;
import peft4j.data.RawData;
import peft4j.data.TaskDefinition;

/**
 * The {@code paraphrase-plagiarism} task, an out-of-domain evaluation set for paraphrase models: Clough and
 * Stevenson's corpus of short answers written by students, shipped as a test corpus in Debian's
 * {@code python3-pattern}. Each CSV record is {@code answer,source,level}: a student's answer, the Wikipedia passage
 * it may be based on, and how: 0 written independently, 1 heavy revision, 2 light revision, 3 cut and paste.
 * Levels 1-3 are {@code equivalent} (the answer restates the source), 0 is {@code not_equivalent} (same topic, own
 * words). The file's smart quotes and dashes are Windows-1252 bytes that were read as Latin-1 (U+0091 for a left
 * quote, ...); they are repaired.
 */
public final class PlagiarismSource implements DatasetSource {

    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    private final TaskDefinition task;
    private final DebianPackages debian;

    public PlagiarismSource(TaskDefinition task) {
        this(task, DebianPackages.system());
    }

    public PlagiarismSource(TaskDefinition task, DebianPackages debian) {
        this.task = task;
        this.debian = debian;
    }

    @Override
    public TaskDefinition task() {
        return task;
    }

    @Override
    public RawData acquire(Path downloads, Progress.Factory progress) throws IOException {
        return DebianSources.acquire(debian, task, downloads, progress, List.of(task.source().path()));
    }

    @Override
    public List<Example> parse(RawData raw) throws IOException {
        Path file = DebianSources.requireFile(raw, task, task.source().path());
        return parseCsv(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Examples with ids {@code <task>-NNN}: text the source passage, text pair the answer. */
    List<Example> parseCsv(String csv, String where) {
        List<CsvReader.CsvRecord> records;
        try {
            records = CsvReader.parse(csv);
        } catch (IllegalArgumentException e) {
            throw new UserError("cannot parse " + where + ": " + e.getMessage());
        }
        List<Example> examples = new ArrayList<>();
        for (CsvReader.CsvRecord record : records) {
            if (record.fields().size() != 3) {
                throw new UserError(where + " line " + record.line() + ": expected 3 fields answer,source,level but"
                        + " found " + record.fields().size());
            }
            String label = switch (record.fields().get(2).strip()) {
                case "0" -> "not_equivalent";
                case "1", "2", "3" -> "equivalent";
                default -> throw new UserError(where + " line " + record.line() + ": level must be 0 to 3 but is '"
                        + record.fields().get(2) + "'");
            };
            String id = String.format(Locale.ROOT, "%s-%03d", task.name(), examples.size());
            examples.add(new Example(id, clean(record.fields().get(1)), clean(record.fields().get(0)), label));
        }
        return examples;
    }

    /** Repairs C1 control characters that stand for Windows-1252 punctuation and collapses whitespace. */
    static String clean(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80 && c <= 0x9f) {
                out.append(new String(new byte[] {(byte) c}, WINDOWS_1252));
            } else {
                out.append(c);
            }
        }
        return SPACES.matcher(out).replaceAll(" ").strip();
    }
}
