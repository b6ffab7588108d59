package peft4j.backbone.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import peft4j.api.ForwardHooks;
import peft4j.api.TokenBatch;
import peft4j.api.UserError;
import peft4j.backbone.tokenizer.BertTokenizer;
import peft4j.backbone.tokenizer.TokenBatches;

/**
 * Fills every {@code [MASK]} of a text with the model's most likely tokens. Only the [MASK] rows go through the
 * 30k-wide output layer, which is most of the head's cost.
 */
public final class MaskFiller {

    /** One candidate token for a mask. */
    public record Candidate(String token, long id, double probability) {
    }

    /** The candidates for the mask at token {@code position} ([CLS] is position 0). */
    public record Mask(int position, List<Candidate> top) {
    }

    /** Everything predicted for one input text. */
    public record Filled(String text, List<Mask> masks) {
    }

    private static final int BATCH_SIZE = 16;

    private final BertMaskedLm model;
    private final BertTokenizer tokenizer;

    public MaskFiller(BertMaskedLm model, BertTokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
    }

    public List<Filled> fill(List<String> texts, int topK) {
        if (topK < 1 || topK > tokenizer.vocabularySize()) {
            throw new UserError("--top must be between 1 and " + tokenizer.vocabularySize() + ", got " + topK);
        }
        List<BertTokenizer.Encoded> encoded = new ArrayList<>();
        for (String text : texts) {
            BertTokenizer.Encoded e = tokenizer.encode(text);
            if (maskPositions(e).isEmpty()) {
                throw new UserError("no [MASK] in \"" + abbreviate(text) + "\"; write [MASK] (upper case) where a "
                        + "word should be predicted");
            }
            if (e.length() > model.config().maxPositions()) {
                throw new UserError("\"" + abbreviate(text) + "\" has " + e.length() + " tokens; the model accepts "
                        + model.config().maxPositions());
            }
            encoded.add(e);
        }
        List<Filled> results = new ArrayList<>();
        for (int start = 0; start < encoded.size(); start += BATCH_SIZE) {
            List<BertTokenizer.Encoded> chunk = encoded.subList(start, Math.min(encoded.size(), start + BATCH_SIZE));
            results.addAll(fillBatch(texts.subList(start, start + chunk.size()), chunk, topK));
        }
        return results;
    }

    private List<Filled> fillBatch(List<String> texts, List<BertTokenizer.Encoded> encoded, int topK) {
        long length = encoded.stream().mapToInt(BertTokenizer.Encoded::length).max().orElse(0);
        List<Integer> rowsOfMasks = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int r = 0; r < encoded.size(); r++) {
            for (int p : maskPositions(encoded.get(r))) {
                rowsOfMasks.add(r);
                positions.add(p);
            }
        }
        long[] flatRows = new long[positions.size()];
        for (int i = 0; i < flatRows.length; i++) {
            flatRows[i] = rowsOfMasks.get(i) * length + positions.get(i);
        }
        float[] probabilities;
        try (NDManager step = model.manager().newSubManager();
                TokenBatch batch = TokenBatches.pad(encoded, tokenizer.padId(), step)) {
            NDArray hidden = model.encode(batch, ForwardHooks.NONE).hiddenStates();
            NDArray logits = model.lmLogits(BertMaskedLm.gatherPositions(hidden, flatRows));
            probabilities = logits.softmax(-1).toFloatArray();
        }
        int vocab = tokenizer.vocabularySize();
        List<Filled> results = new ArrayList<>();
        for (int r = 0; r < encoded.size(); r++) {
            results.add(new Filled(texts.get(r), new ArrayList<>()));
        }
        for (int i = 0; i < flatRows.length; i++) {
            List<Candidate> top = topK(probabilities, i * vocab, vocab, topK);
            results.get(rowsOfMasks.get(i)).masks().add(new Mask(positions.get(i), top));
        }
        return results;
    }

    private List<Candidate> topK(float[] probabilities, int offset, int vocab, int k) {
        Integer[] order = new Integer[vocab];
        for (int i = 0; i < vocab; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Float.compare(probabilities[offset + b], probabilities[offset + a]));
        List<Candidate> top = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            top.add(new Candidate(tokenizer.token(order[i]), order[i], probabilities[offset + order[i]]));
        }
        return top;
    }

    private List<Integer> maskPositions(BertTokenizer.Encoded e) {
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < e.ids().length; i++) {
            if (e.ids()[i] == tokenizer.maskId()) {
                positions.add(i);
            }
        }
        return positions;
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
