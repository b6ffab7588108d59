package peft4j.serve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import peft4j.api.AttentionPrefixHook;
import peft4j.api.AttentionStack;
import peft4j.api.EmbeddedInput;
import peft4j.api.ForwardHooks;
import peft4j.api.InputEmbeddingHook;
import peft4j.api.KeyValuePrefix;
import peft4j.api.PositionMap;
import peft4j.api.UserError;

/**
 * The hooks of one batch whose rows are grouped by adapter: rows {@code [start, start + size)} get group g's hooks.
 * Each group's input hook runs on its own rows; the results are right-padded (mask 0) to a common length, so a row
 * keeps exactly the positions it would have alone and the padding is invisible to attention.
 */
final class MixedHooks {

    /** Consecutive rows that share one adapter's hooks. */
    record Group(int start, int size, ForwardHooks hooks) {
    }

    private MixedHooks() {
    }

    static ForwardHooks combine(List<Group> groups) {
        boolean anyInput = groups.stream().anyMatch(g -> g.hooks().inputEmbedding().isPresent());
        boolean anyPrefix = groups.stream().anyMatch(g -> g.hooks().attentionPrefix().isPresent());
        return new ForwardHooks(anyInput ? Optional.of(inputHook(groups)) : Optional.empty(),
                anyPrefix ? Optional.of(prefixHook(groups)) : Optional.empty());
    }

    private static InputEmbeddingHook inputHook(List<Group> groups) {
        return input -> {
            List<EmbeddedInput> parts = new ArrayList<>();
            long longest = 0;
            for (Group g : groups) {
                EmbeddedInput rows = rows(input, g.start(), g.size());
                EmbeddedInput part = g.hooks().inputEmbedding().map(h -> h.apply(rows)).orElse(rows);
                parts.add(part);
                longest = Math.max(longest, part.wordEmbeddings().getShape().get(1));
            }
            NDList words = new NDList();
            NDList types = new NDList();
            NDList masks = new NDList();
            for (EmbeddedInput part : parts) {
                words.add(padRight(part.wordEmbeddings(), longest));
                types.add(padRight(part.tokenTypeIds(), longest));
                masks.add(padRight(part.attentionMask(), longest));
            }
            int[] groupOfRow = groupOfRow(groups);
            PositionMap positions = (row, position) -> {
                Group g = groups.get(groupOfRow[row]);
                return parts.get(groupOfRow[row]).positions().outputPosition(row - g.start(), position);
            };
            return new EmbeddedInput(NDArrays.concat(words, 0), NDArrays.concat(types, 0), NDArrays.concat(masks, 0),
                    positions);
        };
    }

    private static AttentionPrefixHook prefixHook(List<Group> groups) {
        return (AttentionStack stack, int layer, long batchSize) -> {
            List<KeyValuePrefix> prefixes = new ArrayList<>();
            for (Group g : groups) {
                prefixes.add(g.hooks().attentionPrefix().map(h -> h.prefix(stack, layer, g.size())).orElse(null));
            }
            if (prefixes.stream().allMatch(p -> p == null)) {
                return null;
            }
            if (prefixes.stream().anyMatch(p -> p == null)
                    || prefixes.stream().mapToLong(KeyValuePrefix::length).distinct().count() > 1) {
                throw new UserError("adapters with attention prefixes can share a batch only with adapters whose "
                        + "prefixes have the same length (layer " + layer + " has lengths " + prefixes.stream()
                                .map(p -> p == null ? "none" : String.valueOf(p.length())).toList()
                        + "); serve them in separate batches");
            }
            NDList keys = new NDList();
            NDList values = new NDList();
            prefixes.forEach(p -> {
                keys.add(p.keys());
                values.add(p.values());
            });
            return new KeyValuePrefix(NDArrays.concat(keys, 0), NDArrays.concat(values, 0));
        };
    }

    private static EmbeddedInput rows(EmbeddedInput input, int start, int size) {
        NDIndex rows = new NDIndex("{}:{}", start, start + size);
        PositionMap positions = (row, position) -> input.positions().outputPosition(row + start, position);
        return new EmbeddedInput(input.wordEmbeddings().get(rows), input.tokenTypeIds().get(rows),
                input.attentionMask().get(rows), positions);
    }

    /** Zeros appended along axis 1 up to {@code length}: zero mask, zero segment, zero vectors. */
    private static NDArray padRight(NDArray x, long length) {
        long missing = length - x.getShape().get(1);
        if (missing == 0) {
            return x;
        }
        long[] shape = x.getShape().getShape().clone();
        shape[1] = missing;
        return x.concat(x.getManager().zeros(new Shape(shape), x.getDataType()), 1);
    }

    private static int[] groupOfRow(List<Group> groups) {
        Group last = groups.get(groups.size() - 1);
        int[] owner = new int[last.start() + last.size()];
        for (int g = 0; g < groups.size(); g++) {
            for (int r = groups.get(g).start(); r < groups.get(g).start() + groups.get(g).size(); r++) {
                owner[r] = g;
            }
        }
        return owner;
    }
}
