package peft4j.backbone.verify;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import peft4j.api.UserError;
import peft4j.api.io.Safetensors;

/**
 * A golden-style {@code io.safetensors} during one check: compares computed tensors with the references it holds
 * (skipping the ones it does not hold) and collects the comparisons.
 */
public final class ReferenceFile {

    private final Safetensors io;
    private final List<TensorComparison> comparisons = new ArrayList<>();

    public ReferenceFile(Safetensors io) {
        this.io = io;
    }

    public Safetensors io() {
        return io;
    }

    public boolean has(String name) {
        return io.contains(name);
    }

    /** Compares {@code actual} with the reference {@code name}, if the file holds one. */
    public void compare(String name, NDArray actual, Tolerance tolerance) {
        if (io.contains(name)) {
            comparisons.add(TensorComparison.of(name, actual.toType(DataType.FLOAT32, false).toFloatArray(),
                    actual.getShape().getShape(), io.floats(name), io.info(name).shape(), tolerance));
        }
    }

    /** Compares ids or a mask, which must be equal, with the reference {@code name}, if the file holds one. */
    public void compareExactly(String name, NDArray actual) {
        if (io.contains(name)) {
            comparisons.add(TensorComparison.exactly(name, actual.toType(DataType.INT64, false).toLongArray(),
                    actual.getShape().getShape(), io.longs(name), io.info(name).shape()));
        }
    }

    /**
     * Refuses ids that the model cannot embed, which means the file was made with another model's tokenizer.
     *
     * @param ignored an id that stands for "no token" (-100 in labels), or {@code 0} when there is none
     */
    public void requireIdsWithin(String name, int vocabularySize, long ignored) {
        if (!io.contains(name)) {
            return;
        }
        long[] ids = io.longs(name);
        long max = Arrays.stream(ids).filter(id -> ignored == 0 || id != ignored).max().orElse(0);
        long min = Arrays.stream(ids).filter(id -> ignored == 0 || id != ignored).min().orElse(0);
        if (max >= vocabularySize || min < 0) {
            throw new UserError(io.path() + ": " + name + " holds id " + (max >= vocabularySize ? max : min)
                    + " but the model's vocabulary has " + vocabularySize + " entries (ids from another tokenizer? "
                    + "make the file with this model's tokenizer)");
        }
    }

    public List<TensorComparison> comparisons() {
        return List.copyOf(comparisons);
    }
}
