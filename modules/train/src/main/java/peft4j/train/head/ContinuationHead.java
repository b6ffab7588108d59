package peft4j.train.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import peft4j.api.Adapter;
import peft4j.api.Backbone;
import peft4j.api.EncoderOutput;
import peft4j.api.UserError;
import peft4j.backbone.bert.BertMaskedLm;
import peft4j.backbone.tokenizer.TextTokenizer;
import peft4j.data.Example;
import peft4j.data.TaskDefinition;

/**
 * Classification with a causal LM (GPT-2): the cloze template is read up to its [MASK] ({@code "{text} It was"}), and
 * each label is scored by the summed log-probability of its verbalizer word's tokens continuing that text
 * ({@code " great"}: GPT-2 keeps the space with the following word). Training minimises cross-entropy over those
 * label scores, as the cloze head does over its label words.
 */
public final class ContinuationHead implements TaskHead {

    /**
     * An example ready for GPT-2: the ids of its text up to the mask, whether a space stood before the mask (the label
     * words then start with one), its gold class index (-1 if unlabelled) and group.
     */
    public record Encoded(long[] context, boolean spaced, int label, Example.Group group) implements EncodedExample {
        @Override
        public int length() {
            return context.length;
        }
    }

    private static final String MASK = "[MASK]";

    private final TaskDefinition task;
    private final TextTokenizer tokenizer;
    private final long padId;
    private final int maxLength;
    /** Per label the ids of its word after a space, and without one. */
    private final List<long[]> spacedWords = new ArrayList<>();
    private final List<long[]> plainWords = new ArrayList<>();

    /**
     * @param padId     any id: padding is masked, so it only fills the batch
     * @param maxLength the most tokens an example may have with its longest label word, inserted rows not counted
     */
    public ContinuationHead(TaskDefinition task, TextTokenizer tokenizer, long padId, int maxLength) {
        this.task = task;
        this.tokenizer = tokenizer;
        this.padId = padId;
        for (String label : task.labels()) {
            String word = task.verbalizer().get(label);
            long[] spaced = tokenizer.ids(" " + word);
            long[] plain = tokenizer.ids(word);
            if (spaced.length == 0 || plain.length == 0) {
                throw new UserError("task " + task.name() + ": the verbalizer word '" + word + "' of label '" + label
                        + "' has no tokens in this vocabulary");
            }
            spacedWords.add(spaced);
            plainWords.add(plain);
        }
        int longestWord = java.util.stream.Stream.concat(spacedWords.stream(), plainWords.stream())
                .mapToInt(w -> w.length).max().orElseThrow();
        this.maxLength = maxLength - longestWord;
        if (this.maxLength < 1) {
            throw new UserError("task " + task.name() + ": the label words leave no room for text in this model");
        }
    }

    @Override
    public TaskDefinition task() {
        return task;
    }

    /** The label words as they follow a space. */
    @Override
    public List<long[]> labelWordIds() {
        return List.copyOf(spacedWords);
    }

    /** The filled template up to the last [MASK] (demonstrations before it hold none); its start goes if too long. */
    @Override
    public Encoded encode(Example example, Adapter adapter) {
        String filled = adapter.transformText(task.fill(example));
        int mask = filled.lastIndexOf(MASK);
        if (mask < 0) {
            throw new UserError("task " + task.name() + ": example " + example.id() + " has no " + MASK + " after "
                    + "filling the template; the template must put " + MASK + " where the label word goes");
        }
        String context = filled.substring(0, mask);
        String trimmed = context.stripTrailing();
        if (trimmed.isEmpty()) {
            throw new UserError("task " + task.name() + ": the template puts " + MASK + " first, but a causal LM "
                    + "needs text before the label word");
        }
        long[] ids = tokenizer.ids(trimmed);
        if (ids.length > maxLength) {
            ids = Arrays.copyOfRange(ids, ids.length - maxLength, ids.length);
        }
        int label = example.label() == null ? -1 : task.labels().indexOf(example.label());
        return new Encoded(ids, trimmed.length() < context.length(), label, example.group());
    }

    /**
     * {@code [batch, labels]}: per example and label, the summed log-probability of the label word's tokens after the
     * context. Row {@code b·labels + l} of one forward pass holds example b followed by label l's word.
     */
    @Override
    public NDArray labelScores(Backbone backbone, Adapter adapter, List<? extends EncodedExample> batch,
            NDManager manager) {
        List<Encoded> examples = TaskHead.cast(batch, Encoded.class);
        int labels = spacedWords.size();
        List<long[]> rows = new ArrayList<>();
        List<long[]> words = new ArrayList<>();
        for (Encoded e : examples) {
            for (int l = 0; l < labels; l++) {
                long[] word = (e.spaced() ? spacedWords : plainWords).get(l);
                long[] row = Arrays.copyOf(e.context(), e.context().length + word.length);
                System.arraycopy(word, 0, row, e.context().length, word.length);
                rows.add(row);
                words.add(word);
            }
        }
        EncoderOutput out = backbone.encode(PaddedIds.batch(rows, padId, manager), adapter.hooks());
        long length = out.hiddenStates().getShape().get(1);
        int predicted = words.stream().mapToInt(w -> w.length).sum();
        long[] hiddenRows = new long[predicted];
        long[] targets = new long[predicted];
        // owner[r][i] = 1 when predicted token i belongs to row r: a matrix product sums each row's log-probabilities.
        float[] owner = new float[rows.size() * predicted];
        int i = 0;
        for (int r = 0; r < rows.size(); r++) {
            int contextLength = rows.get(r).length - words.get(r).length;
            for (int j = 0; j < words.get(r).length; j++) {
                // The hidden state at position t predicts token t + 1.
                hiddenRows[i] = r * length + out.positions().outputPosition(r, contextLength - 1 + j);
                targets[i] = words.get(r)[j];
                owner[r * predicted + i] = 1f;
                i++;
            }
        }
        NDArray logits = backbone.lmLogits(BertMaskedLm.gatherPositions(out.hiddenStates(), hiddenRows));
        int vocabulary = (int) logits.getShape().get(1);
        // A one-hot product rather than gather: MXNet's DJL engine has no gather.
        NDArray picked = logits.logSoftmax(-1).mul(manager.create(targets).oneHot(vocabulary)).sum(new int[] {1});
        NDArray perRow = manager.create(owner, new Shape(rows.size(), predicted)).matMul(picked.reshape(predicted, 1));
        return perRow.reshape(examples.size(), labels);
    }

    @Override
    public NDArray loss(Backbone backbone, Adapter adapter, List<? extends EncodedExample> batch, NDManager manager) {
        return TaskHead.labelCrossEntropy(labelScores(backbone, adapter, batch, manager), TaskHead.gold(batch));
    }

    @Override
    public long[] contentIds(String text) {
        return tokenizer.ids(text);
    }

    @Override
    public long padId() {
        return padId;
    }

    @Override
    public Encoded randomExample(Random random, int length, int label) {
        long[] ids = new long[length];
        for (int i = 0; i < length; i++) {
            ids[i] = random.nextInt(tokenizer.vocabularySize());
        }
        return new Encoded(ids, true, label, null);
    }
}
