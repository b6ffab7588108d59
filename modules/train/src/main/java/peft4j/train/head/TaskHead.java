package peft4j.train.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import peft4j.api.Adapter;
import peft4j.api.Backbone;
import peft4j.data.Example;
import peft4j.data.TaskDefinition;

/**
 * How a backbone answers a classification task: how an example becomes tokens, how each label is scored, and what
 * training minimises. One implementation per kind of language model: {@link ClozeHead} (masked LM, BERT),
 * {@link ContinuationHead} (causal LM, GPT-2), {@link TextToTextHead} (encoder-decoder, T5). The trainer, the
 * evaluator and the methods see only this interface.
 *
 * <p>Batches are lists of what {@link #encode} returned for this head; another head's examples are an error.
 */
public interface TaskHead {

    TaskDefinition task();

    /** Token ids of each label's answer (verbalizer word or target text), in label order, for class-label init. */
    List<long[]> labelWordIds();

    /** The example in the head's input form, rewritten by the adapter (demonstrations), tokenised and cut to fit. */
    EncodedExample encode(Example example, Adapter adapter);

    /**
     * Label scores {@code [batch, labels]} whose softmax over labels is the predicted distribution: MLM logits of
     * the label words, or log-likelihoods of each label's tokens.
     */
    NDArray labelScores(Backbone backbone, Adapter adapter, List<? extends EncodedExample> batch,
            NDManager manager);

    /** The training loss of a labelled batch, a scalar to differentiate. */
    NDArray loss(Backbone backbone, Adapter adapter, List<? extends EncodedExample> batch, NDManager manager);

    /**
     * For heads that can also answer freely (T5's greedy decoding): per example the label whose target text was
     * generated exactly, or -1 when the output is no label. Empty for heads that only rank labels.
     */
    default Optional<int[]> generatedLabels(Backbone backbone, Adapter adapter, List<? extends EncodedExample> batch,
            NDManager manager) {
        return Optional.empty();
    }

    /** Ids of {@code text} without the special tokens the tokenizer adds: for token frequencies. */
    long[] contentIds(String text);

    /** Ids a prompt initialised from {@code text} takes its rows from; by default {@link #contentIds}. */
    default long[] promptTextIds(String text) {
        return contentIds(text);
    }

    /** The id that pads token batches. */
    long padId();

    /** A synthetic example of {@code length} random tokens with gold {@code label}, for benchmarks. */
    EncodedExample randomExample(Random random, int length, int label);

    /** Mean cross-entropy of the gold labels under the softmax of {@code labelScores} {@code [batch, labels]}. */
    static NDArray labelCrossEntropy(NDArray labelScores, int[] gold) {
        NDArray logProbs = labelScores.logSoftmax(-1);
        long labels = labelScores.getShape().get(1);
        NDArray oneHot = labelScores.getManager().create(gold).oneHot((int) labels);
        return logProbs.mul(oneHot).sum(new int[] {1}).mean().neg();
    }

    /** The batch as this head's own example type. */
    static <E extends EncodedExample> List<E> cast(List<? extends EncodedExample> batch, Class<E> type) {
        for (EncodedExample e : batch) {
            if (!type.isInstance(e)) {
                throw new IllegalArgumentException("a " + type.getEnclosingClass().getSimpleName() + " cannot score "
                        + e.getClass().getName() + "; encode examples with the head that scores them");
            }
        }
        return batch.stream().map(type::cast).toList();
    }

    /** Gold class indices of a batch. */
    static int[] gold(List<? extends EncodedExample> batch) {
        return batch.stream().mapToInt(EncodedExample::label).toArray();
    }
}
