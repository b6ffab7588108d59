package peft4j.data.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import peft4j.api.Progress;
import peft4j.api.UserError;
import peft4j.data.DatasetSource;
import peft4j.data.Example;
import peft4j.data.RawData;
import peft4j.data.TaskDefinition;

/**
 * The {@code uncertainty} task's data: 1,500 certain and 1,500 uncertain (hedged) Wikipedia sentences of the CoNLL
 * 2010 shared task 1, shipped as a test corpus in Debian's {@code python3-pattern}. The file is CSV with records
 * {@code label,text}, label {@code 1} (certain) or {@code -1} (uncertain), the first one behind a byte-order mark.
 * Texts keep some HTML entities ({@code &quot;}); they are decoded. A text seen before is dropped.
 */
public final class UncertaintySource implements DatasetSource {

    private final TaskDefinition task;
    private final DebianPackages debian;

    public UncertaintySource(TaskDefinition task) {
        this(task, DebianPackages.system());
    }

    public UncertaintySource(TaskDefinition task, DebianPackages debian) {
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

    List<Example> parseCsv(String csv, String where) {
        List<CsvReader.CsvRecord> records;
        try {
            records = CsvReader.parse(csv);
        } catch (IllegalArgumentException e) {
            throw new UserError("cannot parse " + where + ": " + e.getMessage());
        }
        List<Example> examples = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (CsvReader.CsvRecord record : records) {
            if (record.fields().size() != 2) {
                throw new UserError(where + " line " + record.line() + ": expected 2 fields label,text but found "
                        + record.fields().size());
            }
            String label = switch (record.fields().get(0).strip()) {
                case "1" -> "certain";
                case "-1" -> "uncertain";
                default -> throw new UserError(where + " line " + record.line() + ": label must be 1 or -1 but is '"
                        + record.fields().get(0) + "'");
            };
            String text = HtmlEntities.decode(record.fields().get(1)).strip();
            if (text.isEmpty()) {
                throw new UserError(where + " line " + record.line() + ": the text is empty");
            }
            if (seen.add(text)) {
                examples.add(Example.of(String.format(Locale.ROOT, "%s-%04d", task.name(), examples.size()), text,
                        label));
            }
        }
        return examples;
    }
}
