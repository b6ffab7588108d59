package peft4j.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import peft4j.api.io.AtomicFiles;

/**
 * The training curve of a run as a PNG: loss per step (smoothed over 10 steps) and dev accuracy at each evaluation,
 * read from {@code metrics.jsonl}.
 */
public final class TrainingCurve {

    public static final String FILE = "training-curve.png";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SMOOTHING = 10;

    private TrainingCurve() {
    }

    /** Writes {@code training-curve.png} into the run directory; returns its path. */
    public static Path write(Path runDirectory) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<Double> steps = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        List<Double> evalSteps = new ArrayList<>();
        List<Double> accuracies = new ArrayList<>();
        Path metrics = runDirectory.resolve("metrics.jsonl");
        for (String line : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node = JSON.readTree(line);
            steps.add(node.get("step").asDouble());
            losses.add(node.get("loss").asDouble());
            if (node.has("dev_accuracy")) {
                evalSteps.add(node.get("step").asDouble());
                accuracies.add(node.get("dev_accuracy").asDouble());
            }
        }
        XYChart chart = new XYChartBuilder().width(1000).height(500)
                .title("Training curve: " + runDirectory.getFileName()).xAxisTitle("step").yAxisTitle("value").build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setXAxisTickMarkSpacingHint(90);
        // XChart puts x ticks on the (evenly spaced) data steps; grouped labels such as "1,036" ran into each other.
        chart.getStyler().setXAxisDecimalPattern("#");
        if (!steps.isEmpty()) {
            XYSeries loss = chart.addSeries("training loss (mean of " + SMOOTHING + " steps)", steps, smooth(losses));
            loss.setMarker(SeriesMarkers.NONE);
        }
        if (!evalSteps.isEmpty()) {
            chart.addSeries("dev accuracy", evalSteps, accuracies).setMarker(SeriesMarkers.CIRCLE);
        }
        Path png = runDirectory.resolve(FILE);
        AtomicFiles.write(png, tmp -> Files.write(tmp, BitmapEncoder.getBitmapBytes(chart,
                BitmapEncoder.BitmapFormat.PNG)));
        return png;
    }

    static List<Double> smooth(List<Double> values) {
        List<Double> out = new ArrayList<>();
        double sum = 0;
        for (int i = 0; i < values.size(); i++) {
            sum += values.get(i);
            if (i >= SMOOTHING) {
                sum -= values.get(i - SMOOTHING);
            }
            out.add(sum / Math.min(i + 1, SMOOTHING));
        }
        return out;
    }
}
