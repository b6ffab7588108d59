package peft4j.data.source;

import java.util.Locale;
import peft4j.data.Example;
import peft4j.data.TaskDefinition;

/**
 * The {@code uncertainty} task's data: 1,500 certain and 1,500 uncertain (hedged) Wikipedia sentences of the CoNLL
 * 2010 shared task 1, shipped as a test corpus in Debian's {@code python3-pattern}. The file is CSV with records
 * {@code label,text}, label {@code 1} (certain) or {@code -1} (uncertain), the first one behind a byte-order mark.
 * Texts keep some HTML entities ({@code &quot;}); they are decoded. A text seen before is dropped.
 */
public final class UncertaintySource extends PatternCorpusSource {

    public UncertaintySource(TaskDefinition task) {
        this(task, DebianPackages.system());
    }

    public UncertaintySource(TaskDefinition task, DebianPackages debian) {
        super(task, debian, "label,text", true);
    }

    @Override
    Example example(CsvReader.CsvRecord record, int index, String where) {
        String label = signLabel(record, 0, where, "certain", "uncertain");
        String text = requireText(HtmlEntities.decode(record.fields().get(1)), record, where);
        return Example.of(String.format(Locale.ROOT, "%s-%04d", task().name(), index), text, label);
    }
}
