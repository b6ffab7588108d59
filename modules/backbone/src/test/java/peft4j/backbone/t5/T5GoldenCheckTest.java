package peft4j.backbone.t5;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import peft4j.api.io.Safetensors;
import peft4j.api.io.SafetensorsWriter;
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

    @TempDir
    Path tmp;

    /** The fixture's io file without the named tensors. */
    private Path without(String fixture, String... dropped) throws IOException {
        Safetensors golden = Safetensors.open(Golden.dir(fixture).resolve("io.safetensors"));
        Map<String, SafetensorsWriter.Tensor> tensors = new LinkedHashMap<>();
        for (var info : golden.tensors().values()) {
            if (List.of(dropped).contains(info.name())) {
                continue;
            }
            tensors.put(info.name(), info.dtype().equals("I64")
                    ? SafetensorsWriter.Tensor.ofLongs(golden.longs(info.name()), info.shape())
                    : SafetensorsWriter.Tensor.ofFloats(golden.floats(info.name()), info.shape()));
        }
        Path file = tmp.resolve(fixture + ".safetensors");
        SafetensorsWriter.write(file, tensors, Map.of());
        return file;
    }

    @Test
    void aPromptAloneIsPrependedAndItsGradientCompared() throws IOException {
        Path io = without("t5-tiny-v1_1-prompt-tuning", "peft_prompt_embeddings_full",
                "grad_peft_prompt_embeddings_full");
        try (NDManager manager = Engines.newManager("pytorch", "cpu")) {
            Verification result = GoldenChecks.run(Golden.dir("t5-tiny-v1_1"), io, manager);
            assertThat(result.compared()).extracting(TensorComparison::name).contains("inputs_embeds", "logits",
                    "loss", "grad_prompt");
            assertThat(result.compared()).allSatisfy(c -> assertThat(c.ok()).as(c.line()).isTrue());
            assertThat(result.inputs()).contains("prompt");
        }
    }

    @Test
    void storedPastKeyValuesAlonePrefixTheDecoder() throws IOException {
        Path io = without("t5-tiny-v1_1-prefix-tuning", "peft_prefix_embedding", "grad_peft_prefix_embedding");
        try (NDManager manager = Engines.newManager("pytorch", "cpu")) {
            Verification result = GoldenChecks.run(Golden.dir("t5-tiny-v1_1"), io, manager);
            assertThat(result.compared()).extracting(TensorComparison::name).containsExactly(
                    "encoder_last_hidden_state", "decoder_input_ids", "logits", "loss");
            assertThat(result.compared()).allSatisfy(c -> assertThat(c.ok()).as(c.line()).isTrue());
            assertThat(result.inputs()).contains("past_key_values.0.0.self_key", "past_key_values.1.3.cross_value");
        }
    }

    @Test
    void withoutItsPrefixTheFixtureFails() throws IOException {
        Path io = without("t5-tiny-v1_1-prefix-tuning", "peft_prefix_embedding", "grad_peft_prefix_embedding",
                "past_key_values.0.0.self_key");
        try (NDManager manager = Engines.newManager("pytorch", "cpu")) {
            Verification result = GoldenChecks.run(Golden.dir("t5-tiny-v1_1"), io, manager);
            assertThat(result.ok()).isFalse();
            assertThat(result.unchecked()).isEmpty();
        }
    }
}
