package peft4j.backbone.t5;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import peft4j.api.AttentionPrefixHook;
import peft4j.api.AttentionStack;
import peft4j.api.BackboneSpec;
import peft4j.api.ForwardHooks;
import peft4j.api.UserError;
import peft4j.api.io.Safetensors;
import peft4j.backbone.verify.LayerPrefixes;
import peft4j.backbone.verify.PeftPrefixTable;
import peft4j.backbone.verify.PrependedPrompt;
import peft4j.backbone.verify.ReferenceFile;
import peft4j.backbone.verify.Tolerance;

/**
 * The prompt or prefixes a T5 reference file carries (the layouts of golden/t5-tiny-v1_1-prompt-tuning,
 * -prefix-tuning and -prefix-tuning-encdec-variant), turned into backbone hooks, and the trainable tensors whose
 * gradients the file may store as {@code grad_<name>}.
 */
final class T5GoldenHooks {

    static final String PROMPT = "prompt";
    static final String PEFT_PROMPT_TABLE = "peft_prompt_embeddings_full";
    static final String PEFT_PREFIX_TABLE = "peft_prefix_embedding";
    static final String PAST_KEY_VALUES = "past_key_values.";
    static final List<String> LAYER_PREFIXES = List.of("encoder_prefix_key", "encoder_prefix_value",
            "decoder_prefix_key", "decoder_prefix_value");
    /** The four entries of one layer of {@code past_key_values}, in PEFT's order. */
    private static final List<String> PAST_ENTRIES = List.of("self_key", "self_value", "cross_key", "cross_value");

    /** The gradient reference {@code grad_<name>} of each trainable tensor, with the slice of it that is compared. */
    record Trainable(String gradientName, NDArray leaf, String rows) {
    }

    final ForwardHooks hooks;
    final List<Trainable> trainables;

    private T5GoldenHooks(ForwardHooks hooks, List<Trainable> trainables) {
        this.hooks = hooks;
        this.trainables = trainables;
    }

    static boolean isHookInput(String name) {
        return name.equals(PROMPT) || name.equals(PEFT_PROMPT_TABLE) || name.equals(PEFT_PREFIX_TABLE)
                || name.startsWith(PAST_KEY_VALUES) || LAYER_PREFIXES.contains(name);
    }

    /** Reads the hook tensors of {@code references} into {@code manager}; exact copies are compared on the way. */
    static T5GoldenHooks read(ReferenceFile references, BackboneSpec spec, long batchSize, NDManager manager) {
        Safetensors io = references.io();
        List<Trainable> trainables = new ArrayList<>();
        Optional<PrependedPrompt> prompt = prompt(references, manager, trainables);
        Map<AttentionStack, AttentionPrefixHook> prefixes = new EnumMap<>(AttentionStack.class);
        if (io.contains(PEFT_PREFIX_TABLE)) {
            PeftPrefixTable table = peftTable(io, spec, manager, trainables);
            prefixes.put(AttentionStack.DECODER, table);
            comparePastKeyValues(references, table, spec, batchSize);
        } else if (io.contains(PAST_KEY_VALUES + "0.0.self_key")) {
            prefixes.put(AttentionStack.DECODER, pastKeyValues(io, spec, manager));
        }
        if (LAYER_PREFIXES.stream().anyMatch(io::contains)) {
            NDArray[] rows = new NDArray[LAYER_PREFIXES.size()];
            for (int i = 0; i < rows.length; i++) {
                if (!io.contains(LAYER_PREFIXES.get(i))) {
                    throw new UserError(io.path() + " has some of " + LAYER_PREFIXES + " but not "
                            + LAYER_PREFIXES.get(i) + "; the encoder/decoder prefix variant needs all four");
                }
                rows[i] = trainable(io, LAYER_PREFIXES.get(i), manager, trainables);
            }
            LayerPrefixes bothStacks = new LayerPrefixes(Map.of(
                    AttentionStack.INPUT, new LayerPrefixes.Stack(rows[0], rows[1]),
                    AttentionStack.DECODER, new LayerPrefixes.Stack(rows[2], rows[3])));
            prefixes.put(AttentionStack.INPUT, bothStacks);
            prefixes.put(AttentionStack.DECODER, bothStacks);
        }
        AttentionPrefixHook byStack = (stack, layer, rows) -> prefixes.containsKey(stack)
                ? prefixes.get(stack).prefix(stack, layer, rows) : null;
        ForwardHooks hooks = new ForwardHooks(prompt.map(p -> p), prefixes.isEmpty() ? Optional.empty()
                : Optional.of(byStack));
        return new T5GoldenHooks(hooks, trainables);
    }

    /**
     * PEFT's seq2seq table has 2·P rows of which prompt tuning reads the first P (the second half would serve a
     * second transformer submodule and never enters the forward pass).
     */
    private static Optional<PrependedPrompt> prompt(ReferenceFile references, NDManager manager,
            List<Trainable> trainables) {
        Safetensors io = references.io();
        if (io.contains(PEFT_PROMPT_TABLE)) {
            NDArray table = trainable(io, PEFT_PROMPT_TABLE, manager, trainables);
            long rows = io.contains(PROMPT) ? io.info(PROMPT).shape()[0] : table.getShape().get(0) / 2;
            references.compare(PROMPT, table.get(new NDIndex("0:{}, :", rows)), Tolerance.EXACT);
            trainables.add(new Trainable("grad_" + PROMPT, table, "0:" + rows + ", :"));
            return Optional.of(new PrependedPrompt(table, rows));
        }
        if (io.contains(PROMPT)) {
            NDArray prompt = trainable(io, PROMPT, manager, trainables);
            return Optional.of(new PrependedPrompt(prompt, prompt.getShape().get(0)));
        }
        return Optional.empty();
    }

    private static PeftPrefixTable peftTable(Safetensors io, BackboneSpec spec, NDManager manager,
            List<Trainable> trainables) {
        NDArray table = trainable(io, PEFT_PREFIX_TABLE, manager, trainables);
        // PEFT sizes the table by the config's num_layers (the encoder's) and assumes d_kv = d_model / heads.
        long width = 2L * spec.layers() * spec.attentionHeads() * spec.headSize();
        if (table.getShape().dimension() != 2 || table.getShape().get(1) != width) {
            throw new UserError(io.path() + ": " + PEFT_PREFIX_TABLE + " has shape " + table.getShape() + " but "
                    + "this model's PEFT prefix table is [P, " + width + "] (2 · layers · heads · d_kv); a prefix "
                    + "of another model?");
        }
        return new PeftPrefixTable(table, spec.layers(), spec.attentionHeads(), spec.headSize());
    }

    /** What {@code get_prompt} handed to Hugging Face, rebuilt from the table, against the stored copy. */
    private static void comparePastKeyValues(ReferenceFile references, PeftPrefixTable table, BackboneSpec spec,
            long batchSize) {
        for (int layer = 0; layer < spec.decoderLayers(); layer++) {
            for (int k = 0; k < PAST_ENTRIES.size(); k++) {
                references.compare(PAST_KEY_VALUES + layer + "." + k + "." + PAST_ENTRIES.get(k),
                        table.slot(table.entry(layer, k), batchSize), Tolerance.EXACT);
            }
        }
    }

    /** Decoder self-attention keys and values as stored, {@code [batch, heads, P, d_kv]} per layer. */
    private static LayerPrefixes pastKeyValues(Safetensors io, BackboneSpec spec, NDManager manager) {
        List<NDArray> keys = new ArrayList<>();
        List<NDArray> values = new ArrayList<>();
        for (int layer = 0; layer < spec.decoderLayers(); layer++) {
            String key = PAST_KEY_VALUES + layer + ".0.self_key";
            String value = PAST_KEY_VALUES + layer + ".1.self_value";
            if (!io.contains(key) || !io.contains(value)) {
                throw new UserError(io.path() + " lacks " + key + " or " + value + "; the model has "
                        + spec.decoderLayers() + " decoder layers, each needs its prefix");
            }
            keys.add(io.toNDArray(key, manager));
            values.add(io.toNDArray(value, manager));
        }
        return new LayerPrefixes(Map.of(AttentionStack.DECODER, new LayerPrefixes.Stack(
                NDArrays.stack(new NDList(keys)), NDArrays.stack(new NDList(values)))));
    }

    /** The stored tensor as a leaf that collects its gradient. */
    private static NDArray trainable(Safetensors io, String name, NDManager manager, List<Trainable> trainables) {
        NDArray leaf = io.toNDArray(name, manager);
        leaf.setRequiresGradient(true);
        trainables.add(new Trainable("grad_" + name, leaf, null));
        return leaf;
    }
}
