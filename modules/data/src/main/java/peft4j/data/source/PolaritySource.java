package peft4j.data.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import peft4j.api.Progress;
import peft4j.api.UserError;
import peft4j.data.DatasetSource;
import peft4j.data.Example;
import peft4j.data.RawData;
import peft4j.data.TaskDefinition;

/**
 * The {@code polarity} task's data: a balanced sample of Pang & Lee's sentence polarity dataset shipped as a test
 * corpus in Debian's {@code python3-pattern}. The file is CSV with records {@code "label","text"}, label {@code 1}
 * (positive) or {@code -1} (negative). The corpus README swaps the descriptions of the two Pang & Lee files: the one
 * named {@code ...pang&lee2.csv} holds the 4,000 sentences, {@code ...pang&lee1.csv} the 1,500 long reviews.
 */
public final class PolaritySource implements DatasetSource {

    private final TaskDefinition task;
    private final DebianPackages debian;

    public PolaritySource(TaskDefinition task) {
        this(task, DebianPackages.system());
    }

    public PolaritySource(TaskDefinition task, DebianPackages debian) {
        this.task = task;
        this.debian = debian;
    }

    @Override
    public TaskDefinition task() {
        return task;
    }

    @Override
    public RawData acquire(Path downloads, Progress.Factory progress) throws IOException {
        String name = task.source().packageName();
        try (Progress bar = progress.start("download " + name, 2, "steps")) {
            DebianPackage deb = debian.download(name, downloads);
            bar.advance(1);
            Path unpacked = debian.extract(deb, downloads.resolve(name + "_" + deb.version()),
                    List.of(task.source().path()));
            bar.advance(1);
            return new RawData("debian", deb.name(), deb.version(), deb.sha256(), unpacked);
        }
    }

    @Override
    public List<Example> parse(RawData raw) throws IOException {
        Path file = raw.root().resolve(task.source().path());
        if (!Files.isRegularFile(file)) {
            throw new UserError("package " + raw.name() + " " + raw.version() + " has no file " + task.source().path()
                    + " (task " + task.name() + " expects it there); the package layout changed: update the task's"
                    + " source.path");
        }
        return parseCsv(readUtf8(file), file.toString());
    }

    /**
     * Examples from the polarity CSV text, with ids {@code <task>-NNNN} numbered in file order.
     *
     * @param where the file name, for error messages
     */
    List<Example> parseCsv(String csv, String where) {
        List<CsvReader.CsvRecord> records;
        try {
            records = CsvReader.parse(csv);
        } catch (IllegalArgumentException e) {
            throw new UserError("cannot parse " + where + ": " + e.getMessage());
        }
        if (!records.isEmpty() && records.get(0).fields().get(0).strip().equalsIgnoreCase("label")) {
            records = records.subList(1, records.size()); // a header row, should a later version add one
        }
        List<Example> examples = new ArrayList<>(records.size());
        for (CsvReader.CsvRecord record : records) {
            if (record.fields().size() != 2) {
                throw new UserError(where + " line " + record.line() + ": expected 2 fields \"label\",\"text\" but found "
                        + record.fields().size());
            }
            String text = record.fields().get(1).strip(); // each sentence ends with a line break inside its quotes
            if (text.isEmpty()) {
                throw new UserError(where + " line " + record.line() + ": the text is empty");
            }
            String id = String.format(Locale.ROOT, "%s-%04d", task.name(), examples.size());
            examples.add(Example.of(id, text, label(record, where)));
        }
        return examples;
    }

    private static String label(CsvReader.CsvRecord record, String where) {
        return switch (record.fields().get(0).strip()) {
            case "1" -> "positive";
            case "-1" -> "negative";
            default -> throw new UserError(where + " line " + record.line() + ": label must be 1 or -1 but is '"
                    + record.fields().get(0) + "'");
        };
    }

    private static String readUtf8(Path file) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new UserError(file + " is not valid UTF-8; the package's file changed: check the task's source", e);
        }
    }
}
