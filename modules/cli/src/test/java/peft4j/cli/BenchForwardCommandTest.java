package peft4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code peft4j bench forward} on the golden tiny GPT-2 and T5: it says what it times and prints one row per engine. */
class BenchForwardCommandTest {

    private static Path golden(String folder) {
        return Path.of(System.getProperty("peft4j.golden", "../shared/golden")).resolve(folder);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"gpt2-tiny, 'causal stack over every token + LM logits at the last position'",
            "t5-tiny-v1_1, 'encoder over every token + decoder teacher-forced over 4 target tokens'",
            "t5-tiny-v1_0, 'encoder over every token + decoder teacher-forced over 4 target tokens'"})
    void tinyModelsAreTimedOnBothEngines(String folder, String timed) {
        CliTest.Result result = CliTest.run("bench", "forward", "--model", golden(folder).toString(), "--engines",
                "pytorch,mxnet", "--device", "cpu", "--batch-size", "2", "--length", "16", "--target-length", "4",
                "--warmup", "1", "--iterations", "2");
        System.out.print(result.out());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("timed: " + timed);
        assertThat(result.out().lines().filter(l -> l.startsWith("pytorch ") || l.startsWith("mxnet ")))
                .hasSize(2).allSatisfy(l -> assertThat(l.trim().split("\\s+")).hasSize(6));
    }

    @Test
    void inputsLongerThanTheModelsPositionsAreAOneLineError() {
        CliTest.Result result = CliTest.run("bench", "forward", "--model", golden("gpt2-tiny").toString(),
                "--engines", "pytorch", "--device", "cpu", "--length", "65", "--iterations", "1");
        assertThat(result.exitCode()).isEqualTo(Main.USER_ERROR);
        assertThat(result.err().lines()).hasSize(1);
        assertThat(result.err()).contains("--length 65 exceeds the model's 64 positions");
    }
}
