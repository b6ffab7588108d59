package peft4j.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Where one update's temporary arrays go. DJL puts an op's result in the manager of its left operand, which for an
 * op on a state array is the optimizer's long-lived manager; {@link #own} moves every such result here, and closing
 * the scratch frees them all.
 */
final class Scratch implements AutoCloseable {

    private static final String PYTORCH = "PyTorch";

    private final NDManager manager;

    Scratch(NDManager parent) {
        this.manager = parent.newSubManager();
    }

    /** Takes over a freshly computed array so that it is closed with this scratch; returns it. */
    NDArray own(NDArray array) {
        array.attach(manager);
        return array;
    }

    /**
     * An array that in-place ops may write to update {@code weight} without autograd recording or objecting.
     * PyTorch refuses in-place ops on a leaf that requires grad while grad mode is on (thread-local, on by default
     * in new threads), and its {@code detach()} shares storage, so the detached alias is written instead. Other
     * engines' stopGradient may copy; they accept in-place writes outside recording, so the weight itself is used.
     */
    NDArray writableView(NDArray weight) {
        if (PYTORCH.equals(weight.getManager().getEngine().getEngineName())) {
            return own(weight.stopGradient());
        }
        return weight;
    }

    @Override
    public void close() {
        manager.close();
    }
}
