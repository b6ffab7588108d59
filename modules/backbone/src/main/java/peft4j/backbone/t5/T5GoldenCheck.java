package peft4j.backbone.t5;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import peft4j.api.EncoderOutput;
import peft4j.api.Seq2SeqBackbone;
import peft4j.api.TokenBatch;
import peft4j.api.UserError;
import peft4j.api.io.Safetensors;
import peft4j.backbone.verify.GoldenCheck;
import peft4j.backbone.verify.ReferenceFile;
import peft4j.backbone.verify.TensorComparison;
import peft4j.backbone.verify.Tolerance;

/**
 * T5 against a golden {@code io.safetensors} (the layout of golden/t5-tiny-v1_*): runs {@code input_ids} and
 * {@code attention_mask}, teacher-forces {@code shiftRight(labels)} (or the stored {@code decoder_input_ids}) and
 * compares the hidden states of both stacks, logits and loss; with {@code greedy_ids} it also decodes greedily. A
 * prompt or prefix stored beside the inputs is applied through the backbone's hooks ({@link T5GoldenHooks}), and the
 * gradients stored for it are compared too. Tolerances are the fixtures' README values.
 */
public final class T5GoldenCheck implements GoldenCheck {

    static final Tolerance HIDDEN_STATES = new Tolerance(1e-4, 1e-4);
    static final Tolerance LOGITS = new Tolerance(2e-4, 1e-4);
    static final Tolerance LOSS = new Tolerance(1e-4, 1e-5);
    static final Tolerance GRADIENTS = new Tolerance(1e-5, 1e-3);

    private static final Set<String> INPUTS = Set.of("input_ids", "attention_mask", "labels", "decoder_input_ids");

    @Override
    public String modelType() {
        return "t5";
    }

    @Override
    public boolean isInput(String name) {
        return INPUTS.contains(name) || T5GoldenHooks.isHookInput(name);
    }

    @Override
    public List<TensorComparison> check(Path modelDir, Safetensors io, NDManager manager) {
        if (!io.contains("input_ids")) {
            throw new UserError(io.path() + " has no input_ids; a T5 check needs them (and attention_mask, labels)");
        }
        ReferenceFile references = new ReferenceFile(io);
        try (NDManager scope = manager.newSubManager(); T5Model model = T5Model.load(modelDir, scope)) {
            int vocabulary = model.spec().vocabSize();
            references.requireIdsWithin("input_ids", vocabulary, 0);
            references.requireIdsWithin("labels", vocabulary, Seq2SeqBackbone.IGNORE);
            references.requireIdsWithin("decoder_input_ids", vocabulary, 0);
            NDArray ids = io.toNDArray("input_ids", scope).toType(DataType.INT64, false);
            NDArray mask = io.contains("attention_mask")
                    ? io.toNDArray("attention_mask", scope).toType(DataType.INT64, false) : ids.onesLike();
            TokenBatch batch = new TokenBatch(ids, mask, scope.zeros(ids.getShape(), DataType.INT64));
            T5GoldenHooks hooks = T5GoldenHooks.read(references, model.spec(), ids.getShape().get(0), scope);

            List<NDArray> encoderStates = model.encoderHiddenStates(batch, hooks.hooks);
            compareHiddenStates(references, "encoder_hidden_states.", encoderStates);
            references.compare("inputs_embeds", encoderStates.get(0), HIDDEN_STATES);
            EncoderOutput encoded = model.encode(batch, hooks.hooks);
            references.compare("encoder_last_hidden_state", encoded.hiddenStates(), HIDDEN_STATES);
            references.compareExactly("encoder_attention_mask_extended", encoded.attentionMask());

            NDArray labels = io.contains("labels") ? io.toNDArray("labels", scope).toType(DataType.INT64, false)
                    : null;
            NDArray decoderInputs = labels != null ? model.shiftRight(labels)
                    : io.contains("decoder_input_ids") ? io.toNDArray("decoder_input_ids", scope) : null;
            if (decoderInputs != null) {
                if (labels != null) {
                    references.compareExactly("decoder_input_ids", decoderInputs);
                }
                compareHiddenStates(references, "decoder_hidden_states.",
                        model.decoderHiddenStates(encoded, decoderInputs, hooks.hooks));
                references.compare("decoder_last_hidden_state", model.decode(encoded, decoderInputs, hooks.hooks),
                        HIDDEN_STATES);
                compareLogitsLossAndGradients(references, model, batch, decoderInputs, labels, hooks);
            }
            if (io.contains("greedy_ids")) {
                int steps = Math.toIntExact(io.info("greedy_ids").shape()[1] - 1);
                Seq2SeqBackbone.Greedy greedy = model.greedyDecode(encoded, steps, hooks.hooks);
                references.compareExactly("greedy_ids", greedy.ids());
                references.compare("greedy_step_logits", greedy.stepLogits(), LOGITS);
            }
            return references.comparisons();
        }
    }

    /**
     * Hugging Face's {@code output_hidden_states}: the embeddings, the output of each block but the last, then the
     * stack's normed output. The model's list also holds the last block's un-normed output, which HF does not expose.
     */
    private static void compareHiddenStates(ReferenceFile references, String prefix, List<NDArray> states) {
        int blocks = states.size() - 2;
        for (int i = 0; i < blocks; i++) {
            references.compare(prefix + i, states.get(i), HIDDEN_STATES);
        }
        references.compare(prefix + blocks, states.get(states.size() - 1), HIDDEN_STATES);
    }

    /** One teacher-forced pass; with a trainable prompt or prefix it runs under a gradient collector. */
    private static void compareLogitsLossAndGradients(ReferenceFile references, T5Model model, TokenBatch batch,
            NDArray decoderInputs, NDArray labels, T5GoldenHooks hooks) {
        if (hooks.trainables.isEmpty() || labels == null) {
            NDArray logits = model.decoderLogits(model.encode(batch, hooks.hooks), decoderInputs, hooks.hooks);
            references.compare("logits", logits, LOGITS);
            if (labels != null) {
                references.compare("loss", Seq2SeqBackbone.tokenLoss(logits, labels).reshape(1), LOSS);
            }
            return;
        }
        try (GradientCollector collector = model.manager().getEngine().newGradientCollector()) {
            NDArray logits = model.decoderLogits(model.encode(batch, hooks.hooks), decoderInputs, hooks.hooks);
            NDArray loss = Seq2SeqBackbone.tokenLoss(logits, labels);
            collector.backward(loss);
            references.compare("logits", logits, LOGITS);
            references.compare("loss", loss.reshape(1), LOSS);
        }
        for (T5GoldenHooks.Trainable trainable : hooks.trainables) {
            NDArray gradient = trainable.leaf().getGradient();
            references.compare(trainable.gradientName(),
                    trainable.rows() == null ? gradient : gradient.get(new NDIndex(trainable.rows())), GRADIENTS);
        }
    }
}
