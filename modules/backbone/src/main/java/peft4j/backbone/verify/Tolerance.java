package peft4j.backbone.verify;

/**
 * How far a computed value may be from its reference: {@code |a - b| <= atol + rtol·|b|}, the rule of the golden
 * fixtures (and of numpy's {@code allclose}).
 */
public record Tolerance(double atol, double rtol) {

    public boolean allows(double actual, double expected) {
        return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
    }

    @Override
    public String toString() {
        return String.format("%.0e+%.0e|b|", atol, rtol);
    }
}
