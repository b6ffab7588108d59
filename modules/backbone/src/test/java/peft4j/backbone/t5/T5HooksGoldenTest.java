package peft4j.backbone.t5;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import peft4j.api.AttentionPrefixHook;
import peft4j.api.AttentionStack;
import peft4j.api.EmbeddedInput;
import peft4j.api.EncoderOutput;
import peft4j.api.ForwardHooks;
import peft4j.api.InputEmbeddingHook;
import peft4j.api.KeyValuePrefix;
import peft4j.api.Seq2SeqBackbone;
import peft4j.api.TokenBatch;
import peft4j.backbone.Engines;

/**
 * The backbone's hook points on t5-tiny-v1_1 against PEFT 0.6.2 / Hugging Face: prompt tuning (rows prepended to the
 * encoder input), PEFT's prefix tuning (decoder self-attention only) and the encoder+decoder prefix variant, each with
 * logits, loss and the gradient of the trainable tensors through DJL's {@link GradientCollector}.
 */
class T5HooksGoldenTest {

    private static final String MODEL = "t5-tiny-v1_1";

    /** What one forward/backward pass gave. */
    private record Pass(EncoderOutput encoded, NDArray logits, NDArray loss) {
    }

    private static Pass forwardBackward(T5Model model, T5Fixture fixture, NDManager manager, ForwardHooks hooks) {
        TokenBatch batch = fixture.batch(manager);
        NDArray labels = fixture.array("labels", manager);
        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
            EncoderOutput encoded = model.encode(batch, hooks);
            NDArray logits = model.decoderLogits(encoded, model.shiftRight(labels), hooks);
            NDArray loss = Seq2SeqBackbone.tokenLoss(logits, labels);
            collector.backward(loss);
            return new Pass(encoded, logits, loss.reshape(1));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pytorch", "mxnet"})
    void promptTuningPrependsRowsAndMatchesPeft(String engine) {
        T5Fixture fixture = new T5Fixture("t5-tiny-v1_1-prompt-tuning");
        try (NDManager manager = Engines.newManager(engine, "cpu");
                T5Model model = T5Model.load(T5Fixture.modelDir(MODEL), manager)) {
            // PEFT's table has 2 × 5 rows for seq2seq; prompt tuning reads rows 0..4 only.
            NDArray table = fixture.array("peft_prompt_embeddings_full", manager);
            table.setRequiresGradient(true);
            int virtualTokens = 5;
            EmbeddedInput[] seen = new EmbeddedInput[1];
            InputEmbeddingHook prepend = in -> {
                long batchSize = in.wordEmbeddings().getShape().get(0);
                NDArray prompt = table.get(new NDIndex("0:{}, :", virtualTokens)).expandDims(0)
                        .broadcast(batchSize, virtualTokens, model.spec().hiddenSize());
                NDArray ones = manager.ones(new Shape(batchSize, virtualTokens), DataType.INT64);
                seen[0] = new EmbeddedInput(prompt.concat(in.wordEmbeddings(), 1), in.tokenTypeIds(),
                        ones.concat(in.attentionMask(), 1), (row, position) -> position + virtualTokens);
                return seen[0];
            };
            Pass pass = forwardBackward(model, fixture, manager, ForwardHooks.inputEmbedding(prepend));

            fixture.assertClose(engine, "inputs_embeds", seen[0].wordEmbeddings(), "inputs_embeds", 0, 0);
            assertThat(pass.encoded().attentionMask().toLongArray())
                    .containsExactly(fixture.io.longs("encoder_attention_mask_extended"));
            assertThat(pass.encoded().positions().outputPosition(1, 2)).isEqualTo(7);
            fixture.assertClose(engine, "encoder_last_hidden_state", pass.encoded().hiddenStates(),
                    "encoder_last_hidden_state", T5Fixture.HIDDEN_ATOL, T5Fixture.HIDDEN_RTOL);
            fixture.assertClose(engine, "logits", pass.logits(), "logits", T5Fixture.LOGIT_ATOL, T5Fixture.LOGIT_RTOL);
            fixture.assertClose(engine, "loss", pass.loss(), "loss", T5Fixture.LOSS_ATOL, T5Fixture.LOSS_RTOL);
            NDArray gradient = table.getGradient();
            fixture.assertClose(engine, "grad_prompt", gradient.get(new NDIndex("0:{}, :", virtualTokens)),
                    "grad_prompt", T5Fixture.GRAD_ATOL, T5Fixture.GRAD_RTOL);
            fixture.assertClose(engine, "grad_peft_prompt_embeddings_full", gradient,
                    "grad_peft_prompt_embeddings_full", T5Fixture.GRAD_ATOL, T5Fixture.GRAD_RTOL);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pytorch", "mxnet"})
    void peftPrefixTuningPrefixesOnlyTheDecoderSelfAttention(String engine) {
        T5Fixture fixture = new T5Fixture("t5-tiny-v1_1-prefix-tuning");
        try (NDManager manager = Engines.newManager(engine, "cpu");
                T5Model model = T5Model.load(T5Fixture.modelDir(MODEL), manager)) {
            NDArray table = fixture.array("peft_prefix_embedding", manager); // [P, 2L·H·d_kv]
            table.setRequiresGradient(true);
            int layers = model.spec().decoderLayers();
            AttentionPrefixHook peft = (stack, layer, batchSize) -> stack != AttentionStack.DECODER ? null
                    : new KeyValuePrefix(peftSlot(model, table, (4 * layer) % (2 * layers), batchSize),
                            peftSlot(model, table, (4 * layer + 1) % (2 * layers), batchSize));
            for (int layer = 0; layer < layers; layer++) {
                KeyValuePrefix prefix = peft.prefix(AttentionStack.DECODER, layer, 2);
                fixture.assertClose(engine, "past_key_values." + layer + ".self_key", prefix.keys(),
                        "past_key_values." + layer + ".0.self_key", 0, 0);
                fixture.assertClose(engine, "past_key_values." + layer + ".self_value", prefix.values(),
                        "past_key_values." + layer + ".1.self_value", 0, 0);
            }
            Pass pass = forwardBackward(model, fixture, manager, ForwardHooks.attentionPrefix(peft));

            fixture.assertClose(engine, "encoder_last_hidden_state", pass.encoded().hiddenStates(),
                    "encoder_last_hidden_state", T5Fixture.HIDDEN_ATOL, T5Fixture.HIDDEN_RTOL);
            fixture.assertClose(engine, "logits", pass.logits(), "logits", T5Fixture.LOGIT_ATOL, T5Fixture.LOGIT_RTOL);
            fixture.assertClose(engine, "loss", pass.loss(), "loss", T5Fixture.LOSS_ATOL, T5Fixture.LOSS_RTOL);
            fixture.assertClose(engine, "grad_peft_prefix_embedding", table.getGradient(),
                    "grad_peft_prefix_embedding", T5Fixture.GRAD_ATOL, T5Fixture.GRAD_RTOL);
        }
    }

    /** PEFT's slot {@code s} of the table: {@code table[p, s·H·d + h·d + i]} as {@code [batch, H, P, d]}. */
    private static NDArray peftSlot(T5Model model, NDArray table, int slot, long batchSize) {
        int heads = model.spec().attentionHeads();
        int headSize = model.spec().headSize();
        long width = (long) heads * headSize;
        long length = table.getShape().get(0);
        return table.get(new NDIndex(":, {}:{}", slot * width, (slot + 1) * width))
                .reshape(length, heads, headSize).transpose(1, 0, 2).expandDims(0)
                .broadcast(batchSize, heads, length, headSize);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pytorch", "mxnet"})
    void encoderAndDecoderPrefixesMatchHuggingFacePastKeyValues(String engine) {
        T5Fixture fixture = new T5Fixture("t5-tiny-v1_1-prefix-tuning-encdec-variant");
        try (NDManager manager = Engines.newManager(engine, "cpu");
                T5Model model = T5Model.load(T5Fixture.modelDir(MODEL), manager)) {
            List<String> names = List.of("encoder_prefix_key", "encoder_prefix_value", "decoder_prefix_key",
                    "decoder_prefix_value");
            NDArray[] prefixes = new NDArray[names.size()]; // each [layer, H, P, d]
            for (int i = 0; i < prefixes.length; i++) {
                prefixes[i] = fixture.array(names.get(i), manager);
                prefixes[i].setRequiresGradient(true);
            }
            AttentionPrefixHook perLayer = (stack, layer, batchSize) -> {
                int first = stack == AttentionStack.INPUT ? 0 : 2;
                return new KeyValuePrefix(broadcastLayer(prefixes[first], layer, batchSize),
                        broadcastLayer(prefixes[first + 1], layer, batchSize));
            };
            Pass pass = forwardBackward(model, fixture, manager,
                    new ForwardHooks(Optional.empty(), Optional.of(perLayer)));

            assertThat(pass.encoded().hiddenStates().getShape()).isEqualTo(new Shape(2, 9, 64));
            fixture.assertClose(engine, "encoder_last_hidden_state", pass.encoded().hiddenStates(),
                    "encoder_last_hidden_state", T5Fixture.HIDDEN_ATOL, T5Fixture.HIDDEN_RTOL);
            fixture.assertClose(engine, "logits", pass.logits(), "logits", T5Fixture.LOGIT_ATOL, T5Fixture.LOGIT_RTOL);
            fixture.assertClose(engine, "loss", pass.loss(), "loss", T5Fixture.LOSS_ATOL, T5Fixture.LOSS_RTOL);
            for (int i = 0; i < prefixes.length; i++) {
                fixture.assertClose(engine, "grad_" + names.get(i), prefixes[i].getGradient(), "grad_" + names.get(i),
                        T5Fixture.GRAD_ATOL, T5Fixture.GRAD_RTOL);
            }
        }
    }

    private static NDArray broadcastLayer(NDArray perLayer, int layer, long batchSize) {
        Shape shape = perLayer.getShape();
        return perLayer.get(layer).expandDims(0).broadcast(batchSize, shape.get(1), shape.get(2), shape.get(3));
    }
}
