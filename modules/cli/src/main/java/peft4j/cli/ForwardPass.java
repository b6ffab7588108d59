package peft4j.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.function.Function;
import peft4j.api.Backbone;
import peft4j.api.ForwardHooks;
import peft4j.api.TokenBatch;
import peft4j.api.UserError;
import peft4j.backbone.ModelType;
import peft4j.backbone.bert.BertMaskedLm;
import peft4j.backbone.gpt2.Gpt2Model;
import peft4j.backbone.t5.T5Model;

/**
 * The inference pass {@code bench forward} times for one model directory, by {@code config.json}'s model_type.
 *
 * @param what     the pass in words, printed above the figures
 * @param backbone the loaded model (closed by the caller)
 * @param run      one pass on a batch of token ids; returns the logits, which the caller reads to end the pass
 */
record ForwardPass(String what, Backbone backbone, Function<TokenBatch, NDArray> run) {

    /** @param targetLength T5 only: the decoder tokens teacher-forced after the encoder */
    static ForwardPass load(Path dir, NDManager manager, int targetLength) {
        String type = ModelType.of(dir);
        return switch (type) {
            case "bert" -> bert(BertMaskedLm.load(dir, manager));
            case "gpt2" -> gpt2(Gpt2Model.load(dir, manager));
            case "t5" -> t5(T5Model.load(dir, manager), targetLength);
            default -> throw new UserError(dir.resolve("config.json") + " has model_type '" + type
                    + "'; bench forward runs bert, gpt2 and t5");
        };
    }

    private static ForwardPass bert(BertMaskedLm bert) {
        return new ForwardPass("encoder + MLM logits at one row per example (the middle token)", bert, batch -> {
            Shape shape = batch.inputIds().getShape();
            long rows = shape.get(0);
            long length = shape.get(1);
            long[] middle = new long[Math.toIntExact(rows)];
            for (int r = 0; r < middle.length; r++) {
                middle[r] = r * length + length / 2;
            }
            NDArray hidden = bert.encode(batch, ForwardHooks.NONE).hiddenStates();
            return bert.lmLogits(BertMaskedLm.gatherPositions(hidden, middle));
        });
    }

    private static ForwardPass gpt2(Gpt2Model gpt2) {
        return new ForwardPass("causal stack over every token + LM logits at the last position (next-token "
                + "prediction)", gpt2, batch -> {
                    NDArray hidden = gpt2.encode(batch, ForwardHooks.NONE).hiddenStates();
                    return gpt2.lmLogits(hidden.get(new NDIndex(":, -1, :")));
                });
    }

    private static ForwardPass t5(T5Model t5, int targetLength) {
        return new ForwardPass("encoder over every token + decoder teacher-forced over " + targetLength
                + " target tokens + LM logits at those " + targetLength + " positions (no cache)", t5, batch -> {
                    // The decoder reads the input's first tokens as its targets: any ids in the vocabulary do.
                    NDArray targets = batch.inputIds().get(new NDIndex(":, 0:{}", targetLength));
                    NDArray decoderInputs = t5.shiftRight(targets.toType(DataType.INT64, false));
                    return t5.decoderLogits(t5.encode(batch, ForwardHooks.NONE), decoderInputs, ForwardHooks.NONE);
                });
    }
}
