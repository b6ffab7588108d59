package peft4j.backbone.verify;

import java.util.Arrays;

/**
 * One computed tensor against its reference.
 *
 * @param name       the reference's name, e.g. {@code logits}
 * @param maxAbsDiff the largest {@code |a - b|} over all elements (infinite when the shapes differ, NaN when a value
 *                   is NaN)
 * @param tolerance  what each element was allowed
 * @param ok         every element within its tolerance
 * @param note       why it failed beyond the numbers (a shape mismatch), or empty
 */
public record TensorComparison(String name, double maxAbsDiff, Tolerance tolerance, boolean ok, String note) {

    public static TensorComparison of(String name, float[] actual, long[] actualShape, float[] expected,
            long[] expectedShape, Tolerance tolerance) {
        if (!Arrays.equals(actualShape, expectedShape)) {
            return new TensorComparison(name, Double.POSITIVE_INFINITY, tolerance, false,
                    "shape " + Arrays.toString(actualShape) + " but the reference has " + Arrays.toString(expectedShape));
        }
        double max = 0;
        boolean ok = true;
        for (int i = 0; i < actual.length; i++) {
            double diff = Math.abs((double) actual[i] - expected[i]);
            if (!(diff <= max)) {
                max = Double.isNaN(diff) || Double.isNaN(max) ? Double.NaN : diff;
            }
            ok &= tolerance.allows(actual[i], expected[i]);
        }
        return new TensorComparison(name, max, tolerance, ok, "");
    }

    /** Ids or a mask against their reference, which must be equal. */
    public static TensorComparison exactly(String name, long[] actual, long[] actualShape, long[] expected,
            long[] expectedShape) {
        return of(name, asFloats(actual), actualShape, asFloats(expected), expectedShape, Tolerance.EXACT);
    }

    private static float[] asFloats(long[] values) {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = values[i];
        }
        return floats;
    }

    /** One line: name, max abs diff, tolerance, ok/FAIL. */
    public String line() {
        return String.format("%-34s max|a-b| %.3e  tol %s  %s%s", name, maxAbsDiff, tolerance, ok ? "ok" : "FAIL",
                note.isEmpty() ? "" : " (" + note + ")");
    }
}
