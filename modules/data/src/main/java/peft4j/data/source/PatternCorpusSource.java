package peft4j.data.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import peft4j.api.Progress;
import peft4j.api.UserError;
import peft4j.data.DatasetSource;
import peft4j.data.Example;
import peft4j.data.RawData;
import peft4j.data.TaskDefinition;

/**
 * A task whose data is one CSV test corpus of Debian's {@code python3-pattern} (the task's {@code source.path}):
 * fetches the package, reads the file, checks each record's field count and leaves turning a record into an
 * {@link Example} to the subclass.
 */
abstract class PatternCorpusSource implements DatasetSource {

    private final TaskDefinition task;
    private final DebianPackages debian;
    private final String fields;
    private final int fieldCount;
    private final boolean dropRepeatedTexts;

    /**
     * @param fields            the record's fields as the error messages name them, comma-separated
     *                          (e.g. {@code label,text})
     * @param dropRepeatedTexts whether a record whose text was seen before is dropped
     */
    PatternCorpusSource(TaskDefinition task, DebianPackages debian, String fields, boolean dropRepeatedTexts) {
        this.task = task;
        this.debian = debian;
        this.fields = fields;
        this.fieldCount = fields.split(",").length;
        this.dropRepeatedTexts = dropRepeatedTexts;
    }

    @Override
    public final TaskDefinition task() {
        return task;
    }

    @Override
    public final RawData acquire(Path downloads, Progress.Factory progress) throws IOException {
        return DebianSources.acquire(debian, task, downloads, progress, List.of(task.source().path()));
    }

    @Override
    public final List<Example> parse(RawData raw) throws IOException {
        Path file = UnpackedFiles.require(raw, task, task.source().path());
        return parseCsv(read(file), file.toString());
    }

    /** The CSV file's text. */
    String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    /** Whether the first record is a header row to skip; none of the corpora has one. */
    boolean isHeader(CsvReader.CsvRecord first) {
        return false;
    }

    /**
     * The example for one record that has the expected number of fields.
     *
     * @param index the number of examples before this one, for its id
     * @param where the file name, for error messages
     */
    abstract Example example(CsvReader.CsvRecord record, int index, String where);

    /**
     * Examples from the CSV text, in file order.
     *
     * @param where the file name, for error messages
     */
    final List<Example> parseCsv(String csv, String where) {
        List<CsvReader.CsvRecord> records;
        try {
            records = CsvReader.parse(csv);
        } catch (IllegalArgumentException e) {
            throw new UserError("cannot parse " + where + ": " + e.getMessage());
        }
        if (!records.isEmpty() && isHeader(records.get(0))) {
            records = records.subList(1, records.size());
        }
        List<Example> examples = new ArrayList<>(records.size());
        Set<String> seen = new HashSet<>();
        for (CsvReader.CsvRecord record : records) {
            if (record.fields().size() != fieldCount) {
                throw new UserError(where + " line " + record.line() + ": expected " + fieldCount + " fields " + fields
                        + " but found " + record.fields().size());
            }
            Example example = example(record, examples.size(), where);
            if (!dropRepeatedTexts || seen.add(example.text())) {
                examples.add(example);
            }
        }
        return examples;
    }

    /** Field {@code field}'s label: {@code ifOne} for {@code 1}, {@code ifMinusOne} for {@code -1}. */
    static String signLabel(CsvReader.CsvRecord record, int field, String where, String ifOne, String ifMinusOne) {
        return switch (record.fields().get(field).strip()) {
            case "1" -> ifOne;
            case "-1" -> ifMinusOne;
            default -> throw new UserError(where + " line " + record.line() + ": label must be 1 or -1 but is '"
                    + record.fields().get(field) + "'");
        };
    }

    /** The record's text, stripped; a {@link UserError} if nothing is left. */
    static String requireText(String text, CsvReader.CsvRecord record, String where) {
        String stripped = text.strip();
        if (stripped.isEmpty()) {
            throw new UserError(where + " line " + record.line() + ": the text is empty");
        }
        return stripped;
    }
}
