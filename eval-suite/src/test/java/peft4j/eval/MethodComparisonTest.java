package peft4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import peft4j.api.UserError;

/** Seeds grouped by method, mean ± sample std, and a chart that is really written. */
class MethodComparisonTest {

    @TempDir
    Path tmp;

    private Path run(String name, String task, String method, int seed, long params, double dev, double test)
            throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.writeString(dir.resolve("config.json"), String.format(java.util.Locale.ROOT,
                "{\"task\": \"%s\", \"method\": \"%s\", \"training\": {\"seed\": %d}}", task, method, seed));
        Files.writeString(dir.resolve("eval.json"), String.format(java.util.Locale.ROOT,
                "{\"tunable_parameters\": %d, \"dev_accuracy\": %s, \"test_accuracy\": %s, \"steps\": 150, "
                        + "\"train_seconds\": 10}", params, dev, test));
        return dir;
    }

    @Test
    void seedsAreSummarisedPerMethodWithTheSampleStandardDeviation() throws Exception {
        List<MethodComparison.Run> runs = List.of(
                MethodComparison.read(run("a", "polarity", "prompt-tuning", 0, 15360, 0.8, 0.795)),
                MethodComparison.read(run("b", "polarity", "model-tuning", 0, 109514298, 0.9, 0.88)),
                MethodComparison.read(run("c", "polarity", "prompt-tuning", 1, 15360, 0.8, 0.8075)),
                MethodComparison.read(run("d", "polarity", "prompt-tuning", 2, 15360, 0.8, 0.735)));
        List<MethodComparison.Row> rows = MethodComparison.rows(runs);

        assertThat(rows).extracting(MethodComparison.Row::method).containsExactly("prompt-tuning", "model-tuning");
        // mean (0.795 + 0.8075 + 0.735) / 3 = 0.779167; deviations 0.015833, 0.028333, -0.044167;
        // squares sum 0.000251 + 0.000803 + 0.001951 = 0.003004; / 2 = 0.001502; sqrt = 0.038756
        assertThat(MethodComparison.mean(rows.get(0).test())).isCloseTo(0.779167, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(MethodComparison.std(rows.get(0).test())).isCloseTo(0.038756, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(MethodComparison.std(rows.get(1).test())).isZero();
        String table = MethodComparison.table(rows);
        assertThat(table).contains("| prompt-tuning | 15,360 | 3 | 150 | 0.8000 ± 0.0000 | 0.7792 ± 0.0388 |");

        MethodComparison.write(rows, "polarity", tmp.resolve("out"));
        assertThat(Files.readString(tmp.resolve("out/comparison.md"))).isEqualTo(table);
        byte[] png = Files.readAllBytes(tmp.resolve("out/quality-vs-parameters.png"));
        assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    }

    @Test
    void runsOfDifferentTasksOrUnfinishedRunsAreRefused() throws Exception {
        List<MethodComparison.Run> runs = List.of(
                MethodComparison.read(run("a", "polarity", "prompt-tuning", 0, 1, 0.5, 0.5)),
                MethodComparison.read(run("b", "spam", "prompt-tuning", 0, 1, 0.5, 0.5)));
        assertThatThrownBy(() -> MethodComparison.rows(runs)).isInstanceOf(UserError.class)
                .hasMessageContaining("different tasks [polarity, spam]");
        assertThatThrownBy(() -> MethodComparison.read(tmp.resolve("nothing"))).isInstanceOf(UserError.class)
                .hasMessageContaining("is not a finished run");
    }
}
