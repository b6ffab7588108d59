package peft4j.train.optim;

import static org.assertj.core.api.Assertions.assertThat;

/** Elementwise {@code |actual - expected| <= atol + rtol * |expected|}, reporting the worst element. */
final class Tolerance {

    private final double atol;
    private final double rtol;

    Tolerance(double atol, double rtol) {
        this.atol = atol;
        this.rtol = rtol;
    }

    /** Asserts closeness and returns the largest absolute difference. */
    double check(String what, float[] actual, float[] expected) {
        assertThat(actual).as(what + " length").hasSameSizeAs(expected);
        double maxDiff = 0;
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs((double) actual[i] - expected[i]);
            maxDiff = Math.max(maxDiff, diff);
            if (!(diff <= atol + rtol * Math.abs(expected[i]))) {
                throw new AssertionError(what + "[" + i + "] = " + actual[i] + ", expected " + expected[i]
                        + " (diff " + diff + ")");
            }
        }
        return maxDiff;
    }
}
