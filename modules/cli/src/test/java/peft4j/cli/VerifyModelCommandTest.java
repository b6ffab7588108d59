package peft4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import peft4j.api.io.Safetensors;
import peft4j.api.io.SafetensorsWriter;

/** {@code peft4j verify-model} on the golden tiny GPT-2, as a user runs it. */
class VerifyModelCommandTest {

    @TempDir
    Path tmp;

    private static Path gpt2() {
        return Path.of(System.getProperty("peft4j.golden", "../shared/golden")).resolve("gpt2-tiny");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pytorch", "mxnet"})
    void theGoldenGpt2PassesOnBothEngines(String engine) {
        CliTest.Result result = CliTest.run("verify-model", "--model", gpt2().toString(), "--io",
                gpt2().resolve("io.safetensors").toString(), "--engine", engine);
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out().lines()).hasSize(6).allSatisfy(line -> assertThat(line).endsWith("ok"));
        assertThat(result.out()).contains("hidden_states.0", "hidden_states.2", "last_hidden_state", "logits", "loss");
    }

    @Test
    void aReferenceThatDisagreesFailsWithExitCode1() throws Exception {
        Safetensors golden = Safetensors.open(gpt2().resolve("io.safetensors"));
        Map<String, SafetensorsWriter.Tensor> tensors = new LinkedHashMap<>();
        for (var info : golden.tensors().values()) {
            if (info.dtype().equals("I64")) {
                tensors.put(info.name(), SafetensorsWriter.Tensor.ofLongs(golden.longs(info.name()), info.shape()));
            } else {
                float[] values = golden.floats(info.name());
                if (info.name().equals("logits")) {
                    values[7] += 0.01f;
                }
                tensors.put(info.name(), SafetensorsWriter.Tensor.ofFloats(values, info.shape()));
            }
        }
        Path io = tmp.resolve("io.safetensors");
        SafetensorsWriter.write(io, tensors, Map.of());
        CliTest.Result result = CliTest.run("verify-model", "--model", gpt2().toString(), "--io", io.toString());
        assertThat(result.exitCode()).isEqualTo(VerifyModelCommand.MISMATCH);
        assertThat(result.out().lines().filter(l -> l.contains("FAIL"))).singleElement().asString()
                .startsWith("logits");
    }

    @Test
    void badPathsAreOneLineErrors() {
        String io = gpt2().resolve("io.safetensors").toString();
        for (String[] args : new String[][] {
                {"verify-model", "--model", tmp.resolve("absent").toString(), "--io", io},
                {"verify-model", "--model", gpt2().toString(), "--io", tmp.resolve("absent.safetensors").toString()},
                {"verify-model", "--model", tmp.toString(), "--io", io},
                {"verify-model", "--model", gpt2().toString()},
                {"verify-model", "--model", gpt2().toString(), "--io", io, "--engine", "tensorflow"}}) {
            CliTest.Result result = CliTest.run(args);
            assertThat(result.exitCode()).as(String.join(" ", args)).isEqualTo(Main.USER_ERROR);
            assertThat(result.err().lines()).as(result.err()).hasSize(1);
            assertThat(result.err()).startsWith("peft4j: error: ").doesNotContain("Exception");
        }
    }
}
