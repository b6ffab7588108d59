package peft4j.backbone.t5;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import peft4j.api.Scalars;
import java.util.List;
import java.util.Optional;

/**
 * The activation of T5's feed-forward block, under Hugging Face's {@code ACT2FN} names.
 *
 * @param name  {@code relu}, {@code gelu} (exact, erf), {@code gelu_new} / {@code gelu_pytorch_tanh} (tanh
 *              approximation), {@code silu} / {@code swish}
 * @param gated v1.1 style {@code wo(act(wi_0·x) ⊙ wi_1·x)} instead of {@code wo(act(wi·x))}
 */
public record FeedForwardActivation(String name, boolean gated) {

    public static final List<String> NAMES = List.of("relu", "gelu", "gelu_new", "gelu_pytorch_tanh", "silu", "swish");

    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

    public static Optional<FeedForwardActivation> of(String name, boolean gated) {
        return NAMES.contains(name) ? Optional.of(new FeedForwardActivation(name, gated)) : Optional.empty();
    }

    public NDArray apply(NDArray x) {
        return switch (name) {
            case "relu" -> Activation.relu(x);
            case "gelu" -> Scalars.mul(x, 0.5).mul(Scalars.div(x, Math.sqrt(2)).erf().add(1f));
            // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), Hendrycks & Gimpel's approximation used by T5 v1.1
            case "gelu_new", "gelu_pytorch_tanh" -> Scalars.mul(x, 0.5).mul(
                    Scalars.mul(Scalars.mul(Scalars.pow(x, 3), 0.044715).add(x), SQRT_2_OVER_PI).tanh().add(1f));
            case "silu", "swish" -> x.mul(Activation.sigmoid(x));
            default -> throw new IllegalStateException("unhandled activation " + name);
        };
    }
}
