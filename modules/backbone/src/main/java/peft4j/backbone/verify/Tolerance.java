package peft4j.backbone.verify;

/**
 * How far a computed value may be from its reference: {@code |a - b| <= atol + rtol·|b|}, the rule of the golden
 * fixtures (and of numpy's {@code allclose}).
 */
public record Tolerance(double atol, double rtol) {

    /** For ids and masks: equal or wrong. */
    public static final Tolerance EXACT = new Tolerance(0, 0);

    public boolean allows(double actual, double expected) {
        return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
    }

    @Override
    public String toString() {
        return atol == 0 && rtol == 0 ? "exact" : String.format("%.0e+%.0e|b|", atol, rtol);
    }
}
