package peft4j.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a constant that stays correct under autograd.
 *
 * <p>Why not {@code x.mul(0.5f)}: DJL's PyTorch engine (0.36) turns it into {@code x * c}, where {@code c} wraps a
 * Java direct buffer without copying ({@code torch::from_blob}) and is closed right after the multiply, which lets
 * the garbage collector free that buffer. Autograd keeps {@code c} for the backward pass of {@code mul}, {@code div}
 * and {@code pow}, so the gradient later reads freed memory: NaNs, huge or slightly wrong values, depending on when the
 * collector ran (seen as rare, non-reproducible NaNs and drift under load). Here the constant is made by the engine
 * ({@code full}), so autograd's own reference keeps its memory alive.
 */
public final class Scalars {

    private Scalars() {
    }

    public static NDArray mul(NDArray x, double value) {
        try (NDArray c = constant(x, value)) {
            return x.mul(c);
        }
    }

    public static NDArray div(NDArray x, double value) {
        try (NDArray c = constant(x, value)) {
            return x.div(c);
        }
    }

    public static NDArray pow(NDArray x, double exponent) {
        try (NDArray c = constant(x, exponent)) {
            return x.pow(c);
        }
    }

    /** A 0-d constant of x's type, on x's device, allocated by the engine. */
    private static NDArray constant(NDArray x, double value) {
        return x.getManager().full(new Shape(), (float) value, x.getDataType());
    }
}
