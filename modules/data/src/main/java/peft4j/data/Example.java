package peft4j.data;

import java.util.Objects;

/**
 * One labelled example of a task.
 *
 * @param id       stable identifier, the task name and the example's position in the source, e.g. {@code polarity-0042}
 * @param text     the (first) input sentence
 * @param textPair the second sentence of a sentence-pair task, or {@code null} for single-sentence tasks
 * @param label    the gold label, one of the task's label names; {@code null} for an unlabelled input (predict)
 */
public record Example(String id, String text, String textPair, String label) {

    public Example {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
    }

    /** An input to label: no gold label. */
    public static Example unlabelled(String id, String text) {
        return new Example(id, text, null, null);
    }

    /** A single-sentence example. */
    public static Example of(String id, String text, String label) {
        return new Example(id, text, null, label);
    }
}
