package peft4j.data;

import java.util.List;
import java.util.Objects;

/**
 * One labelled example of a task.
 *
 * @param id       stable identifier, the task name and the example's position in the source, e.g. {@code polarity-0042}
 * @param text     the (first) input sentence
 * @param textPair the second sentence of a sentence-pair task, or {@code null} for single-sentence tasks
 * @param label    the gold label, one of the task's label names; {@code null} for an unlabelled input (predict)
 * @param group    the question this example is one candidate answer of, for tasks scored per question (SuperGLUE
 *                 MultiRC and ReCoRD); {@code null} for every other task
 */
public record Example(String id, String text, String textPair, String label, Group group) {

    public Example {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
    }

    /** An example scored on its own (no group). */
    public Example(String id, String text, String textPair, String label) {
        this(id, text, textPair, label, null);
    }

    /**
     * One question whose candidate answers are separate true/false examples, but which is scored as a whole: MultiRC
     * counts a question right only if every answer is, ReCoRD answers a query with its best-scored candidate.
     *
     * @param id        the question's identifier, shared by all its candidates, e.g.
     *                  {@code superglue-record-val-000003-q01}
     * @param candidate the answer this example proposes
     * @param answers   the question's gold answers, as their texts
     */
    public record Group(String id, String candidate, List<String> answers) {
        public Group {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(candidate, "candidate");
            answers = List.copyOf(answers);
        }
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
