package peft4j.train.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import peft4j.api.Adapter;
import peft4j.api.Backbone;
import peft4j.api.EncoderOutput;
import peft4j.api.UserError;
import peft4j.backbone.bert.BertMaskedLm;
import peft4j.backbone.tokenizer.BertTokenizer;
import peft4j.backbone.tokenizer.TokenBatches;
import peft4j.data.Example;
import peft4j.data.TaskDefinition;

/**
 * Classification with a masked LM, as in PET and LM-BFF: the text goes into the task's cloze template
 * ({@code {text} It was [MASK].}), and each label is scored by the MLM logit of its verbalizer word at [MASK]
 * (the mean over the word's pieces when it has several). Training minimises cross-entropy over the label words only.
 */
public final class ClozeHead implements TaskHead {

    /**
     * One example ready for the model: its ids, where its [MASK] is, its gold class index (-1 if unlabelled), and
     * the question it answers for tasks scored per question (MultiRC, ReCoRD; {@code null} otherwise).
     */
    public record Encoded(BertTokenizer.Encoded tokens, int maskPosition, int label, Example.Group group)
            implements EncodedExample {

        /** An example scored on its own. */
        public Encoded(BertTokenizer.Encoded tokens, int maskPosition, int label) {
            this(tokens, maskPosition, label, null);
        }

        @Override
        public int length() {
            return tokens.length();
        }
    }

    private final TaskDefinition task;
    private final BertTokenizer tokenizer;
    private final List<long[]> labelWordIds;
    private final int maxLength;

    /**
     * @param maxLength the most tokens an example may have, the adapter's inserted rows not counted
     */
    public ClozeHead(TaskDefinition task, BertTokenizer tokenizer, int maxLength) {
        this.task = task;
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
        this.labelWordIds = new ArrayList<>();
        for (String label : task.labels()) {
            String word = task.verbalizer().get(label);
            long[] ids = tokenizer.encode(word).ids();
            long[] pieces = java.util.Arrays.copyOfRange(ids, 1, ids.length - 1); // drop [CLS], [SEP]
            if (pieces.length == 0) {
                throw new UserError("task " + task.name() + ": the verbalizer word '" + word + "' of label '" + label
                        + "' has no tokens in this vocabulary");
            }
            labelWordIds.add(pieces);
        }
    }

    @Override
    public TaskDefinition task() {
        return task;
    }

    @Override
    public List<long[]> labelWordIds() {
        return labelWordIds;
    }

    /** The example in its template, rewritten by the adapter (demonstrations), tokenised and cut to fit. */
    @Override
    public Encoded encode(Example example, Adapter adapter) {
        String text = adapter.transformText(task.fill(example));
        BertTokenizer.Encoded tokens = tokenizer.encode(text);
        if (tokens.length() > maxLength) {
            tokens = keepTail(tokens, maxLength);
        }
        int mask = -1;
        for (int i = 0; i < tokens.length(); i++) {
            if (tokens.ids()[i] == tokenizer.maskId()) {
                if (mask >= 0) {
                    throw new UserError("task " + task.name() + ": example " + example.id() + " has more than one "
                            + "[MASK] after filling the template; remove [MASK] from the text");
                }
                mask = i;
            }
        }
        if (mask < 0) {
            throw new UserError("task " + task.name() + ": example " + example.id() + " lost its [MASK]; the "
                    + "template must put [MASK] after the text");
        }
        int label = example.label() == null ? -1 : task.labels().indexOf(example.label());
        return new Encoded(tokens, mask, label, example.group());
    }

    /**
     * Keeps [CLS] and the last {@code length - 1} tokens: the [MASK] sits at the end of the template, so the start of
     * a too-long text (or the oldest demonstrations) is what goes.
     */
    private static BertTokenizer.Encoded keepTail(BertTokenizer.Encoded tokens, int length) {
        int from = tokens.length() - (length - 1);
        long[] ids = new long[length];
        long[] types = new long[length];
        String[] pieces = new String[length];
        ids[0] = tokens.ids()[0];
        types[0] = tokens.typeIds()[0];
        pieces[0] = tokens.tokens()[0];
        System.arraycopy(tokens.ids(), from, ids, 1, length - 1);
        System.arraycopy(tokens.typeIds(), from, types, 1, length - 1);
        System.arraycopy(tokens.tokens(), from, pieces, 1, length - 1);
        return new BertTokenizer.Encoded(ids, types, pieces);
    }

    /**
     * Label scores {@code [batch, labels]}: the MLM logits of the label words at each example's [MASK]. Only the
     * [MASK] rows go through the vocabulary projection.
     */
    public NDArray labelLogits(Backbone backbone, Adapter adapter, List<Encoded> batch, NDManager manager) {
        List<BertTokenizer.Encoded> tokens = batch.stream().map(Encoded::tokens).toList();
        EncoderOutput out = backbone.encode(TokenBatches.pad(tokens, tokenizer.padId(), manager), adapter.hooks());
        long length = out.hiddenStates().getShape().get(1);
        long[] rows = new long[batch.size()];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = r * length + out.positions().outputPosition(r, batch.get(r).maskPosition());
        }
        return labelLogits(backbone.lmLogits(BertMaskedLm.gatherPositions(out.hiddenStates(), rows)));
    }

    /**
     * Label scores {@code [n, labels]} from vocabulary logits {@code [n, vocab]} at n [MASK] rows: the mean logit of
     * each label word's pieces. Mixed-task batches call it per task on that task's rows.
     */
    public NDArray labelLogits(NDArray vocabularyLogits) {
        List<NDArray> perLabel = new ArrayList<>();
        for (long[] ids : labelWordIds) {
            NDArray columns = vocabularyLogits.getManager().create(ids);
            perLabel.add(BertMaskedLm.selectRows(vocabularyLogits.transpose(), columns).mean(new int[] {0}));
        }
        return ai.djl.ndarray.NDArrays.stack(new ai.djl.ndarray.NDList(perLabel), 1);
    }

    @Override
    public NDArray labelScores(Backbone backbone, Adapter adapter, List<? extends EncodedExample> batch,
            NDManager manager) {
        return labelLogits(backbone, adapter, TaskHead.cast(batch, Encoded.class), manager);
    }

    @Override
    public NDArray loss(Backbone backbone, Adapter adapter, List<? extends EncodedExample> batch, NDManager manager) {
        return loss(labelScores(backbone, adapter, batch, manager), TaskHead.gold(batch));
    }

    /** Mean cross-entropy of the gold labels over the label-word scores. */
    public static NDArray loss(NDArray labelLogits, int[] gold) {
        return TaskHead.labelCrossEntropy(labelLogits, gold);
    }

    /** Word pieces without [CLS] and [SEP]; [MASK] and [PAD] left out too. */
    @Override
    public long[] contentIds(String text) {
        return java.util.Arrays.stream(promptTextIds(text))
                .filter(id -> id != tokenizer.maskId() && id != tokenizer.padId()).toArray();
    }

    /** Word pieces without [CLS] and [SEP]. */
    @Override
    public long[] promptTextIds(String text) {
        long[] ids = tokenizer.encode(text).ids();
        return java.util.Arrays.copyOfRange(ids, 1, ids.length - 1);
    }

    @Override
    public long padId() {
        return tokenizer.padId();
    }

    /** Random word pieces (ids from 1000 up, past BERT's special and unused ones) with [CLS], [MASK] mid-way, [SEP]. */
    @Override
    public Encoded randomExample(java.util.Random random, int length, int label) {
        long[] ends = tokenizer.encode("").ids();
        long[] ids = new long[length];
        int first = Math.min(1000, tokenizer.vocabularySize() / 2);
        for (int i = 0; i < length; i++) {
            ids[i] = first + random.nextInt(tokenizer.vocabularySize() - first);
        }
        ids[0] = ends[0];
        ids[length - 1] = ends[1];
        ids[length / 2] = tokenizer.maskId();
        String[] tokens = new String[length];
        for (int i = 0; i < length; i++) {
            tokens[i] = tokenizer.token(ids[i]);
        }
        return new Encoded(new BertTokenizer.Encoded(ids, new long[length], tokens), length / 2, label);
    }
}
