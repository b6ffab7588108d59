package peft4j.backbone.t5;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import peft4j.backbone.Engines;
import peft4j.backbone.Golden;
import peft4j.backbone.verify.GoldenChecks;
import peft4j.backbone.verify.TensorComparison;
import peft4j.backbone.verify.Verification;

/**
 * The T5 golden check on every T5 fixture: plain models compare every output they store, the prompt and prefix
 * fixtures are run through the hooks and compare logits, loss, encoder output and the stored gradients.
 */
class T5GoldenCheckTest {

    @ParameterizedTest(name = "{1} with {0} on {2}")
    @CsvSource({
            "t5-tiny-v1_0, t5-tiny-v1_0, pytorch, 13",
            "t5-tiny-v1_0, t5-tiny-v1_0, mxnet, 13",
            "t5-tiny-v1_1, t5-tiny-v1_1, pytorch, 13",
            "t5-tiny-v1_1, t5-tiny-v1_1, mxnet, 13",
            "t5-tiny-v1_1, t5-tiny-v1_1-prompt-tuning, pytorch, 9",
            "t5-tiny-v1_1, t5-tiny-v1_1-prompt-tuning, mxnet, 9",
            "t5-tiny-v1_1, t5-tiny-v1_1-prefix-tuning, pytorch, 13",
            "t5-tiny-v1_1, t5-tiny-v1_1-prefix-tuning, mxnet, 13",
            "t5-tiny-v1_1, t5-tiny-v1_1-prefix-tuning-encdec-variant, pytorch, 8",
            "t5-tiny-v1_1, t5-tiny-v1_1-prefix-tuning-encdec-variant, mxnet, 8"})
    void everyStoredOutputIsComparedAndWithinTolerance(String model, String fixture, String engine, int compared) {
        Path io = Golden.dir(fixture).resolve("io.safetensors");
        try (NDManager manager = Engines.newManager(engine, "cpu")) {
            Verification result = GoldenChecks.run(Golden.dir(model), io, manager);
            result.compared().forEach(c -> System.out.println(fixture + " [" + engine + "] " + c.line()));
            assertThat(result.unchecked()).isEmpty();
            assertThat(result.compared()).hasSize(compared).allSatisfy(c -> assertThat(c.ok()).as(c.line()).isTrue());
            assertThat(result.compared()).extracting(TensorComparison::name).contains("logits", "loss",
                    "encoder_last_hidden_state");
        }
    }
}
