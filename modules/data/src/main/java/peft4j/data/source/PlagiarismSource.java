package peft4j.data.source;

import java.nio.charset.Charset;
import java.util.Locale;
import java.util.regex.Pattern;
import peft4j.api.UserError;
import peft4j.data.Example;
import peft4j.data.TaskDefinition;

/**
 * The {@code paraphrase-plagiarism} task, an out-of-domain evaluation set for paraphrase models: Clough and
 * Stevenson's corpus of short answers written by students, shipped as a test corpus in Debian's
 * {@code python3-pattern}. Each CSV record is {@code answer,source,level}: a student's answer, the Wikipedia passage
 * it may be based on, and how: 0 written independently, 1 heavy revision, 2 light revision, 3 cut and paste.
 * Levels 1-3 are {@code equivalent} (the answer restates the source), 0 is {@code not_equivalent} (same topic, own
 * words). The file's smart quotes and dashes are Windows-1252 bytes that were read as Latin-1 (U+0091 for a left
 * quote, ...); they are repaired. Examples have ids {@code <task>-NNN}: text the source passage, text pair the answer.
 */
public final class PlagiarismSource extends PatternCorpusSource {

    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    public PlagiarismSource(TaskDefinition task) {
        this(task, DebianPackages.system());
    }

    public PlagiarismSource(TaskDefinition task, DebianPackages debian) {
        // The same source passage has several answers, so repeated texts are kept.
        super(task, debian, "answer,source,level", false);
    }

    @Override
    Example example(CsvReader.CsvRecord record, int index, String where) {
        String label = switch (record.fields().get(2).strip()) {
            case "0" -> "not_equivalent";
            case "1", "2", "3" -> "equivalent";
            default -> throw new UserError(where + " line " + record.line() + ": level must be 0 to 3 but is '"
                    + record.fields().get(2) + "'");
        };
        String id = String.format(Locale.ROOT, "%s-%03d", task().name(), index);
        return new Example(id, clean(record.fields().get(1)), clean(record.fields().get(0)), label);
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
