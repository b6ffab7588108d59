package peft4j.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * An encoder-decoder language model (T5). {@link #encode} runs the encoder with its final layer norm, applying the
 * {@link InputEmbeddingHook} (prompt tuning) and the {@link AttentionStack#INPUT} prefixes; the decoder methods below
 * take that output and apply the {@link AttentionStack#DECODER} prefixes to the decoder's self-attention.
 * Cross-attention is never prefixed.
 *
 * <p>Targets follow Hugging Face: {@code labels} are {@code [batch, length]} int64 ids where {@value #IGNORE} marks
 * positions that count for nothing; the decoder reads {@link #shiftRight shiftRight(labels)}.
 */
public interface Seq2SeqBackbone extends Backbone {

    /** The label value that the loss and the scores skip (PyTorch's {@code ignore_index}). */
    long IGNORE = -100;

    /** The id the decoder starts from (T5: the pad id 0). */
    int decoderStartTokenId();

    int eosTokenId();

    int padTokenId();

    /**
     * Teacher-forced decoder: hidden states after the decoder's final layer norm, {@code [batch, T, hidden]}.
     *
     * @param encoded          what {@link #encode} returned (its mask is the cross-attention mask)
     * @param decoderInputIds  {@code [batch, T]} int64, e.g. {@link #shiftRight shiftRight(labels)}
     * @param hooks            only {@link AttentionStack#DECODER} prefixes are read
     */
    NDArray decode(EncoderOutput encoded, NDArray decoderInputIds, ForwardHooks hooks);

    /** {@link #lmLogits} of {@link #decode}: {@code [batch, T, vocab]}. */
    default NDArray decoderLogits(EncoderOutput encoded, NDArray decoderInputIds, ForwardHooks hooks) {
        return lmLogits(decode(encoded, decoderInputIds, hooks));
    }

    /**
     * Greedy decoding with a key/value cache: starts from {@link #decoderStartTokenId()} and appends the argmax of
     * each step. A row that produced {@link #eosTokenId()} continues with the pad id; decoding stops early once every
     * row has finished.
     */
    Greedy greedyDecode(EncoderOutput encoded, int maxNewTokens, ForwardHooks hooks);

    /**
     * What {@link #greedyDecode} produced.
     *
     * @param ids        {@code [batch, 1 + steps]} int64, the start id first
     * @param stepLogits {@code [batch, steps, vocab]}, the logits each step chose from
     */
    record Greedy(NDArray ids, NDArray stepLogits) {
    }

    /**
     * Decoder inputs for teacher forcing, as Hugging Face's {@code _shift_right}: the start id, then
     * {@code labels[:, :-1]}, with {@value #IGNORE} replaced by the pad id.
     */
    default NDArray shiftRight(NDArray labels) {
        long batch = labels.getShape().get(0);
        long length = labels.getShape().get(1);
        NDArray start = labels.getManager().full(new Shape(batch, 1), decoderStartTokenId(), DataType.INT64);
        NDArray shifted = start.concat(labels.get(new NDIndex(":, :-1")), 1);
        NDArray pad = labels.getManager().full(new Shape(batch, length), padTokenId(), DataType.INT64);
        return NDArrays.where(shifted.eq(IGNORE), pad, shifted);
    }

    /**
     * Mean token cross-entropy over the positions whose label is not {@value #IGNORE}, as PyTorch's
     * {@code CrossEntropyLoss(ignore_index=-100)} (what Hugging Face's seq2seq models return as {@code loss}).
     *
     * @param logits {@code [batch, T, vocab]}
     * @param labels {@code [batch, T]} int64
     */
    static NDArray tokenLoss(NDArray logits, NDArray labels) {
        NDArray counted = labels.neq(IGNORE).toType(DataType.FLOAT32, false);
        return labelLogProbabilities(logits, labels).sum().neg().div(counted.sum());
    }

    /**
     * Rank classification (the evaluation of Lester et al. 2021): the log-likelihood of each candidate target under
     * the model, for every input row. Candidates are {@code [candidates, L]} int64 label rows (pad the shorter ones
     * with {@value #IGNORE}, and end them with EOS if the model was trained that way); the decoder prefix hook is
     * asked for {@code batch * candidates} rows.
     */
    default CandidateScores scoreCandidates(EncoderOutput encoded, NDArray candidates, ForwardHooks hooks) {
        long batch = encoded.hiddenStates().getShape().get(0);
        long count = candidates.getShape().get(0);
        // Row b * count + c pairs input b with candidate c.
        EncoderOutput repeated = new EncoderOutput(eachRepeated(encoded.hiddenStates(), count),
                eachRepeated(encoded.attentionMask(), count), encoded.positions());
        Shape labelShape = candidates.getShape();
        NDArray labels = candidates.expandDims(0).broadcast(batch, count, labelShape.get(1))
                .reshape(batch * count, labelShape.get(1));
        NDArray logits = decoderLogits(repeated, shiftRight(labels), hooks);
        NDArray sums = labelLogProbabilities(logits, labels).sum(new int[] {1}).reshape(batch, count);
        NDArray lengths = candidates.neq(IGNORE).toType(DataType.FLOAT32, false).sum(new int[] {1});
        return new CandidateScores(sums, sums.div(lengths.reshape(1, count)));
    }

    /**
     * @param logLikelihood     {@code [batch, candidates]}: the sum of the candidate's token log-probabilities
     * @param meanLogLikelihood {@code [batch, candidates]}: the same divided by the candidate's token count
     */
    record CandidateScores(NDArray logLikelihood, NDArray meanLogLikelihood) {
    }

    /** Every row of {@code x} {@code times} times in a row, along axis 0 (broadcast: both engines have it). */
    private static NDArray eachRepeated(NDArray x, long times) {
        long[] dims = x.getShape().getShape();
        long[] broadcast = new long[dims.length + 1];
        broadcast[0] = dims[0];
        broadcast[1] = times;
        System.arraycopy(dims, 1, broadcast, 2, dims.length - 1);
        long[] merged = dims.clone();
        merged[0] = dims[0] * times;
        return x.expandDims(1).broadcast(broadcast).reshape(merged);
    }

    /** {@code log p(label)} at every position, 0 where the label is {@value #IGNORE}: {@code [batch, T]}. */
    private static NDArray labelLogProbabilities(NDArray logits, NDArray labels) {
        NDArray counted = labels.neq(IGNORE);
        NDArray safeLabels = NDArrays.where(counted, labels, labels.zerosLike());
        int vocab = Math.toIntExact(logits.getShape().get(logits.getShape().dimension() - 1));
        // A one-hot product rather than gather: MXNet's DJL engine has no gather.
        NDArray picked = logits.logSoftmax(-1).mul(safeLabels.oneHot(vocab)).sum(new int[] {2});
        return picked.mul(counted.toType(DataType.FLOAT32, false));
    }
}
