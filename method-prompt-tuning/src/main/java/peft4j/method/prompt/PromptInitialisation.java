package peft4j.method.prompt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import peft4j.api.Backbone;
import peft4j.api.TaskContext;
import peft4j.api.UserError;
import peft4j.api.io.Safetensors;

/**
 * The starting values of a soft prompt (Lester et al. §3.2 and §7): uniform noise, embeddings of sampled vocabulary,
 * embeddings of the class labels, embeddings of a text, or a saved prompt.
 *
 * <p>Sampled vocabulary comes from the task's most frequent training tokens, not from the start of the vocabulary:
 * BERT's WordPiece vocabulary is not sorted by frequency, unlike T5's SentencePiece one the paper sampled from.
 */
final class PromptInitialisation {

    static final int SAMPLED_VOCAB_SIZE = 5000;
    private static final List<String> NAMED = List.of("random-uniform", "sampled-vocab", "class-label");

    private PromptInitialisation() {
    }

    static void check(String init) {
        if (!NAMED.contains(init) && !init.startsWith("text:") && !init.startsWith("file:")) {
            throw new UserError("unknown prompt initialisation '" + init + "'; choose class-label, sampled-vocab, "
                    + "random-uniform, text:SOME TEXT or file:PATH");
        }
        if (init.equals("text:")) {
            throw new UserError("--init text: needs some text after the colon, e.g. text:\"classify the sentiment\"");
        }
    }

    /** The initial prompt {@code [length, hidden]} as Java floats, created in {@code manager}. */
    static NDArray create(String init, int length, Backbone backbone, TaskContext task, long seed, NDManager manager) {
        int hidden = backbone.spec().hiddenSize();
        Random random = new Random(seed);
        if (init.equals("random-uniform")) {
            float[] values = new float[length * hidden];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (random.nextDouble() - 0.5);
            }
            return manager.create(values, new Shape(length, hidden));
        }
        if (init.startsWith("file:")) {
            return fromFile(Path.of(init.substring("file:".length())), length, hidden, manager);
        }
        List<long[]> rows = new ArrayList<>();
        if (init.equals("class-label")) {
            if (task.labelWordIds().isEmpty()) {
                throw new UserError("class-label initialisation needs a task with a verbalizer; use --init "
                        + "random-uniform or sampled-vocab");
            }
            for (long[] label : task.labelWordIds()) {
                if (rows.size() < length) {
                    rows.add(label);
                }
            }
        } else if (init.startsWith("text:")) {
            long[] ids = task.tokenizer().apply(init.substring("text:".length()));
            if (ids.length == 0) {
                throw new UserError("the initialisation text '" + init.substring(5) + "' has no tokens");
            }
            // Like PEFT: repeat the text's tokens until the prompt is full, then cut.
            for (int i = 0; rows.size() < length; i++) {
                rows.add(new long[] {ids[i % ids.length]});
            }
        }
        if (rows.size() < length) {
            long[] frequent = task.frequentTokenIds();
            if (frequent.length == 0) {
                throw new UserError(init + " initialisation needs the task's training text to sample vocabulary from; "
                        + "use --init random-uniform");
            }
            int pool = Math.min(SAMPLED_VOCAB_SIZE, frequent.length);
            List<Integer> candidates = new ArrayList<>();
            for (int i = 0; i < pool; i++) {
                candidates.add(i);
            }
            java.util.Collections.shuffle(candidates, random);
            for (int i = 0; rows.size() < length; i++) {
                rows.add(new long[] {frequent[candidates.get(i % pool)]});
            }
        }
        return embeddingRows(rows, backbone, manager);
    }

    /** Each row is the mean of the word embeddings of its token ids (a label word may be several word pieces). */
    private static NDArray embeddingRows(List<long[]> rows, Backbone backbone, NDManager manager) {
        NDArray table = backbone.inputEmbeddings();
        int hidden = backbone.spec().hiddenSize();
        float[] out = new float[rows.size() * hidden];
        for (int r = 0; r < rows.size(); r++) {
            long[] ids = rows.get(r);
            for (long id : ids) {
                float[] embedding = table.get(id).toFloatArray();
                for (int h = 0; h < hidden; h++) {
                    out[r * hidden + h] += embedding[h] / ids.length;
                }
            }
        }
        return manager.create(out, new Shape(rows.size(), hidden));
    }

    /** A saved prompt: a safetensors file with one {@code [length, hidden]} tensor (PEFT's is prompt_embeddings). */
    private static NDArray fromFile(Path file, int length, int hidden, NDManager manager) {
        if (!Files.isRegularFile(file)) {
            throw new UserError("prompt file " + file + " does not exist");
        }
        Safetensors tensors = Safetensors.open(file);
        String name = tensors.contains("prompt_embeddings") ? "prompt_embeddings"
                : tensors.tensors().size() == 1 ? tensors.tensors().keySet().iterator().next() : null;
        if (name == null) {
            throw new UserError(file + " holds " + tensors.tensors().size() + " tensors and none is named "
                    + "prompt_embeddings; which one is the prompt?");
        }
        long[] shape = tensors.info(name).shape();
        if (shape.length != 2 || shape[0] != length || shape[1] != hidden) {
            throw new UserError(file + ": prompt '" + name + "' has shape " + java.util.Arrays.toString(shape)
                    + " but this run needs [" + length + ", " + hidden + "] (prompt length x hidden size)");
        }
        return tensors.toNDArray(name, manager);
    }
}
