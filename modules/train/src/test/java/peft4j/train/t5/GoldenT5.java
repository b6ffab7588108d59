package peft4j.train.t5;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import peft4j.api.EncoderOutput;
import peft4j.api.ForwardHooks;
import peft4j.api.Seq2SeqBackbone;
import peft4j.api.TokenBatch;
import peft4j.api.io.Safetensors;

/**
 * The golden tiny T5 (../shared/golden/t5-tiny-v1_1) and its fixtures: inputs as arrays, one forward/backward pass
 * as Hugging Face's {@code model(input_ids, attention_mask, labels=labels).loss.backward()}, and the README's
 * comparison rule {@code |a - b| <= atol + rtol |b|}, printing the largest difference for the report.
 */
final class GoldenT5 {

    static final Path GOLDEN = Path.of(System.getProperty("peft4j.golden", "../shared/golden"));
    static final Path MODEL = GOLDEN.resolve("t5-tiny-v1_1");
    static final Path FORMAT = GOLDEN.resolve("peft-adapter-format");
    static final Path TOKENIZER = FORMAT.resolve("tiny-t5-tokenizer");

    static final double LOGIT_ATOL = 2e-4;
    static final double LOGIT_RTOL = 1e-4;
    static final double LOSS_ATOL = 1e-4;
    static final double LOSS_RTOL = 1e-5;
    static final double GRAD_ATOL = 1e-5;
    static final double GRAD_RTOL = 1e-3;

    /** What one pass gave. */
    record Pass(NDArray logits, NDArray loss) {
    }

    private GoldenT5() {
    }

    static Safetensors fixture(String name) {
        return Safetensors.open(GOLDEN.resolve(name).resolve("io.safetensors"));
    }

    /** The fixture's input_ids and attention_mask; T5 has no segments. */
    static TokenBatch batch(Safetensors io, NDManager manager) {
        NDArray ids = io.toNDArray("input_ids", manager);
        return new TokenBatch(ids, io.toNDArray("attention_mask", manager),
                manager.zeros(ids.getShape(), DataType.INT64));
    }

    /** Logits and loss with {@code labels}, gradients left on the trainable tensors. */
    static Pass forwardBackward(Seq2SeqBackbone model, Safetensors io, NDManager manager, ForwardHooks hooks) {
        NDArray labels = io.toNDArray("labels", manager);
        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
            EncoderOutput encoded = model.encode(batch(io, manager), hooks);
            NDArray logits = model.decoderLogits(encoded, model.shiftRight(labels), hooks);
            NDArray loss = Seq2SeqBackbone.tokenLoss(logits, labels);
            collector.backward(loss);
            return new Pass(logits, loss.reshape(1));
        }
    }

    static void assertClose(String what, float[] actual, float[] expected, double atol, double rtol) {
        assertThat(actual).as(what + " length").hasSize(expected.length);
        double maxDiff = 0;
        for (int i = 0; i < actual.length; i++) {
            double diff = Math.abs((double) actual[i] - expected[i]);
            maxDiff = Math.max(maxDiff, Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff);
            assertThat(diff).as("%s[%d]: %s vs %s", what, i, actual[i], expected[i])
                    .isLessThanOrEqualTo(atol + rtol * Math.abs(expected[i]));
        }
        System.out.printf("golden %s: max |diff| = %.3g%n", what, maxDiff);
    }

    /**
     * A model directory for the pipeline: the golden weights and config with the 128-piece tokenizer PEFT's TEXT
     * fixture used (pad 0, eos 1, unk 2, the same vocabulary size).
     */
    static Path modelWithTokenizer(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String file : new String[] {"config.json", "model.safetensors"}) {
            Files.copy(MODEL.resolve(file), dir.resolve(file));
        }
        for (String file : new String[] {"spiece.model", "tokenizer_config.json", "special_tokens_map.json"}) {
            Files.copy(TOKENIZER.resolve(file), dir.resolve(file));
        }
        return dir;
    }
}
