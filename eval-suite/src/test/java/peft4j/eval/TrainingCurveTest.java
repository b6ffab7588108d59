package peft4j.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingCurveTest {

    @TempDir
    Path run;

    @Test
    void drawsLossAndDevAccuracyFromMetrics() throws Exception {
        StringBuilder metrics = new StringBuilder();
        for (int step = 1; step <= 30; step++) {
            metrics.append("{\"step\":").append(step).append(",\"loss\":").append(1.0 / step);
            if (step % 10 == 0) {
                metrics.append(",\"dev_accuracy\":").append(0.5 + step / 100.0);
            }
            metrics.append("}\n");
        }
        Files.writeString(run.resolve("metrics.jsonl"), metrics);
        Path png = TrainingCurve.write(run);
        byte[] bytes = Files.readAllBytes(png);
        assertThat(png.getFileName().toString()).isEqualTo(TrainingCurve.FILE);
        assertThat(bytes).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        assertThat(bytes.length).isGreaterThan(5_000);
    }

    @Test
    void smoothsOverATrailingWindow() {
        assertThat(TrainingCurve.smooth(List.of(2.0, 4.0, 6.0))).containsExactly(2.0, 3.0, 4.0);
    }
}
