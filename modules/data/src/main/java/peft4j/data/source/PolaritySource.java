package peft4j.data.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import peft4j.api.UserError;
import peft4j.data.Example;
import peft4j.data.TaskDefinition;

/**
 * The {@code polarity} task's data: a balanced sample of Pang & Lee's sentence polarity dataset shipped as a test
 * corpus in Debian's {@code python3-pattern}. The file is CSV with records {@code "label","text"}, label {@code 1}
 * (positive) or {@code -1} (negative); examples have ids {@code <task>-NNNN} numbered in file order. The corpus
 * README swaps the descriptions of the two Pang & Lee files: the one named {@code ...pang&lee2.csv} holds the 4,000
 * sentences, {@code ...pang&lee1.csv} the 1,500 long reviews.
 */
public final class PolaritySource extends PatternCorpusSource {

    public PolaritySource(TaskDefinition task) {
        this(task, DebianPackages.system());
    }

    public PolaritySource(TaskDefinition task, DebianPackages debian) {
        super(task, debian, "\"label\",\"text\"", false);
    }

    @Override
    boolean isHeader(CsvReader.CsvRecord first) {
        return first.fields().get(0).strip().equalsIgnoreCase("label"); // should a later version add one
    }

    @Override
    Example example(CsvReader.CsvRecord record, int index, String where) {
        // each sentence ends with a line break inside its quotes
        String text = requireText(record.fields().get(1), record, where);
        String label = signLabel(record, 0, where, "positive", "negative");
        return Example.of(String.format(Locale.ROOT, "%s-%04d", task().name(), index), text, label);
    }

    /** Reads strictly, so a changed file fails with a {@link UserError} rather than an I/O error. */
    @Override
    String read(Path file) throws IOException {
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
