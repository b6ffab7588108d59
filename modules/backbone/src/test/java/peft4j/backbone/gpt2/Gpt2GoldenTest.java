package peft4j.backbone.gpt2;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import peft4j.api.io.Safetensors;
import peft4j.backbone.Engines;
import peft4j.backbone.Golden;
import peft4j.backbone.verify.TensorComparison;

/**
 * The tiny random GPT-2 against Hugging Face's own {@code GPT2LMHeadModel} outputs in golden/gpt2-tiny, on both
 * engines: every hidden state, the logits and the loss, within the fixture README's tolerances.
 */
class Gpt2GoldenTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pytorch", "mxnet"})
    void matchesHuggingFaceOnEveryStoredTensor(String engine) {
        Path dir = Golden.dir("gpt2-tiny");
        try (NDManager manager = Engines.newManager(engine, "cpu")) {
            List<TensorComparison> comparisons = new Gpt2GoldenCheck().check(dir,
                    Safetensors.open(dir.resolve("io.safetensors")), manager);
            comparisons.forEach(c -> System.out.println(engine + "  " + c.line()));
            assertThat(comparisons).extracting(TensorComparison::name).containsExactly("hidden_states.0",
                    "hidden_states.1", "hidden_states.2", "last_hidden_state", "logits", "loss");
            assertThat(comparisons).allSatisfy(c -> assertThat(c.ok()).as(c.line()).isTrue());
        }
    }
}
