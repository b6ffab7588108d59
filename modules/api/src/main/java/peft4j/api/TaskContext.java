package peft4j.api;

import java.util.List;
import java.util.function.Function;

/**
 * Task facts a method may use to initialise itself, tokenised for the backbone at hand.
 *
 * @param labelWordIds      token ids of each label's verbalizer word (sub-tokens), in label order
 * @param frequentTokenIds  the most frequent tokens of the task's training text, most frequent first
 * @param tokenizer         text to token ids, e.g. for a prompt initialised from text: without BERT's [CLS] and [SEP];
 *                          with the {@code </s>} T5's tokenizer appends, as PEFT's TEXT initialisation reads it
 * @param demonstrations    filled-in training examples (template with the answer), for in-context prompts
 */
public record TaskContext(List<long[]> labelWordIds, long[] frequentTokenIds, Function<String, long[]> tokenizer,
        List<String> demonstrations) {

    public static final TaskContext NONE = new TaskContext(List.of(), new long[0], text -> {
        throw new UserError("no tokenizer is available to turn text into a prompt here");
    }, List.of());
}
