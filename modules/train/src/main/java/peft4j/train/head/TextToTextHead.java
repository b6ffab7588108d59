package peft4j.train.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import peft4j.api.Adapter;
import peft4j.api.Backbone;
import peft4j.api.EncoderOutput;
import peft4j.api.Seq2SeqBackbone;
import peft4j.api.UserError;
import peft4j.backbone.tokenizer.TextTokenizer;
import peft4j.data.Example;
import peft4j.data.TaskDefinition;

/**
 * Classification with an encoder-decoder model as text-to-text (T5; Lester et al. 2021): the encoder reads the
 * task's {@code text_to_text.input} ({@code "sentence: {text}"}), and each label is a target text ending in EOS.
 * Training is teacher-forced token cross-entropy of the gold target, averaged over its tokens as Hugging Face does.
 * Labels are scored by rank classification (the summed log-likelihood of each target); greedy decoding answers
 * freely, and an answer counts as a label only when it is exactly that label's target.
 */
public final class TextToTextHead implements TaskHead {

    /** An example ready for T5: its input ids (ending in EOS), gold class index (-1 if unlabelled) and group. */
    public record Encoded(long[] ids, int label, Example.Group group) implements EncodedExample {
        @Override
        public int length() {
            return ids.length;
        }
    }

    private final TaskDefinition task;
    private final TextTokenizer tokenizer;
    private final Seq2SeqBackbone model;
    private final int maxLength;
    /** Per label its target's ids, EOS included. */
    private final List<long[]> targets;

    /** @param maxLength the most input tokens an example may have, the adapter's inserted rows not counted */
    public TextToTextHead(TaskDefinition task, TextTokenizer tokenizer, Seq2SeqBackbone model, int maxLength) {
        if (task.textToText() == null) {
            throw new UserError("task " + task.name() + " has no text_to_text form; add one to its task card to use "
                    + "it with an encoder-decoder model");
        }
        this.task = task;
        this.tokenizer = tokenizer;
        this.model = model;
        this.maxLength = maxLength;
        this.targets = new ArrayList<>();
        for (String label : task.labels()) {
            String target = task.textToTextTarget(label);
            long[] ids = withEos(tokenizer.ids(target));
            if (ids.length < 2) {
                throw new UserError("task " + task.name() + ": the target '" + target + "' of label '" + label
                        + "' has no tokens in this vocabulary");
            }
            for (int other = 0; other < targets.size(); other++) {
                if (Arrays.equals(targets.get(other), ids)) {
                    throw new UserError("task " + task.name() + ": the targets of labels '" + task.labels().get(other)
                            + "' and '" + label + "' are the same tokens in this vocabulary ("
                            + tokenizer.tokenize(target) + "), so no model could tell them apart; use a tokenizer "
                            + "that knows both targets");
                }
            }
            targets.add(ids);
        }
    }

    @Override
    public TaskDefinition task() {
        return task;
    }

    /** The targets' ids without EOS. */
    @Override
    public List<long[]> labelWordIds() {
        return targets.stream().map(t -> Arrays.copyOf(t, t.length - 1)).toList();
    }

    /** Input text, rewritten by the adapter; a too-long input loses its end (EOS kept). */
    @Override
    public Encoded encode(Example example, Adapter adapter) {
        long[] ids = withEos(tokenizer.ids(adapter.transformText(task.textToTextInput(example))));
        if (ids.length > maxLength) {
            long[] cut = Arrays.copyOf(ids, maxLength);
            cut[maxLength - 1] = model.eosTokenId();
            ids = cut;
        }
        int label = example.label() == null ? -1 : task.labels().indexOf(example.label());
        return new Encoded(ids, label, example.group());
    }

    /** Rank classification: {@code [batch, labels]} summed log-likelihoods of each label's target. */
    @Override
    public NDArray labelScores(Backbone backbone, Adapter adapter, List<? extends EncodedExample> batch,
            NDManager manager) {
        EncoderOutput encoded = encode(batch, adapter, manager);
        NDArray candidates = PaddedIds.array(targets, Seq2SeqBackbone.IGNORE, manager);
        return model.scoreCandidates(encoded, candidates, adapter.hooks()).logLikelihood();
    }

    /** Teacher-forced cross-entropy of the gold targets, the mean over their tokens. */
    @Override
    public NDArray loss(Backbone backbone, Adapter adapter, List<? extends EncodedExample> batch, NDManager manager) {
        EncoderOutput encoded = encode(batch, adapter, manager);
        List<long[]> gold = new ArrayList<>();
        for (int label : TaskHead.gold(batch)) {
            gold.add(targets.get(label));
        }
        NDArray labels = PaddedIds.array(gold, Seq2SeqBackbone.IGNORE, manager);
        NDArray logits = model.decoderLogits(encoded, model.shiftRight(labels), adapter.hooks());
        return Seq2SeqBackbone.tokenLoss(logits, labels);
    }

    /** Greedy decoding: the label whose target (EOS included) came out exactly, else -1. */
    @Override
    public Optional<int[]> generatedLabels(Backbone backbone, Adapter adapter, List<? extends EncodedExample> batch,
            NDManager manager) {
        int longest = targets.stream().mapToInt(t -> t.length).max().orElseThrow();
        EncoderOutput encoded = encode(batch, adapter, manager);
        NDArray ids = model.greedyDecode(encoded, longest, adapter.hooks()).ids();
        int columns = (int) ids.getShape().get(1);
        long[] flat = ids.toLongArray();
        int[] labels = new int[batch.size()];
        for (int r = 0; r < labels.length; r++) {
            // Column 0 is the decoder's start id.
            labels[r] = labelOf(Arrays.copyOfRange(flat, r * columns + 1, (r + 1) * columns));
        }
        return Optional.of(labels);
    }

    /** The label whose target the generated ids begin with, EOS included; -1 when none. */
    private int labelOf(long[] generated) {
        for (int l = 0; l < targets.size(); l++) {
            long[] target = targets.get(l);
            if (generated.length >= target.length
                    && Arrays.equals(Arrays.copyOf(generated, target.length), target)) {
                return l;
            }
        }
        return -1;
    }

    private EncoderOutput encode(List<? extends EncodedExample> batch, Adapter adapter, NDManager manager) {
        List<long[]> rows = TaskHead.cast(batch, Encoded.class).stream().map(Encoded::ids).toList();
        return model.encode(PaddedIds.batch(rows, model.padTokenId(), manager), adapter.hooks());
    }

    /** The pieces of {@code text}, without the EOS the tokenizer appends. */
    @Override
    public long[] contentIds(String text) {
        long[] ids = tokenizer.ids(text);
        return ids.length > 0 && ids[ids.length - 1] == model.eosTokenId() ? Arrays.copyOf(ids, ids.length - 1) : ids;
    }

    /** With the EOS, as PEFT's TEXT initialisation reads the tokenizer's output. */
    @Override
    public long[] promptTextIds(String text) {
        return tokenizer.ids(text);
    }

    @Override
    public long padId() {
        return model.padTokenId();
    }

    /** Random pieces (ids past pad, EOS and unk) ending in EOS. */
    @Override
    public Encoded randomExample(Random random, int length, int label) {
        int vocabulary = Math.min(tokenizer.vocabularySize(), model.spec().vocabSize());
        long[] ids = new long[length];
        for (int i = 0; i < length - 1; i++) {
            ids[i] = 3 + random.nextInt(vocabulary - 3);
        }
        ids[length - 1] = model.eosTokenId();
        return new Encoded(ids, label, null);
    }

    private long[] withEos(long[] ids) {
        if (ids.length > 0 && ids[ids.length - 1] == model.eosTokenId()) {
            return ids;
        }
        long[] out = Arrays.copyOf(ids, ids.length + 1);
        out[ids.length] = model.eosTokenId();
        return out;
    }
}
