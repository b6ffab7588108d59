package peft4j.api.io;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.List;
import peft4j.api.NamedTensor;
import peft4j.api.UserError;

/** Copies saved values into live tensors by name, with one-line errors for a missing tensor or a wrong shape. */
public final class SavedTensors {

    private SavedTensors() {
    }

    /** Every target takes the values of the saved tensor of the same name and shape. */
    public static void copyInto(Safetensors saved, List<NamedTensor> targets) {
        for (NamedTensor t : targets) {
            copyInto(saved, t.name(), t.array());
        }
    }

    /** {@code target} takes the values of the saved tensor {@code name}, which must have the target's shape. */
    public static void copyInto(Safetensors saved, String name, NDArray target) {
        if (!saved.contains(name)) {
            throw new UserError(saved.path() + " has no tensor '" + name + "' (has " + saved.tensors().keySet()
                    + "); was it saved by another method?");
        }
        long[] shape = saved.info(name).shape();
        if (!Arrays.equals(shape, target.getShape().getShape())) {
            throw new UserError(saved.path() + ": '" + name + "' has shape " + Arrays.toString(shape)
                    + " but this backbone and config need " + target.getShape()
                    + " (adapter trained on a backbone of another size?)");
        }
        target.set(saved.floats(name));
    }
}
