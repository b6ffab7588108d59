package peft4j.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import peft4j.api.UserError;
import peft4j.api.io.AtomicFiles;

/**
 * Methods side by side from finished runs: per method, dev and test accuracy over seeds (mean ± sample standard
 * deviation), tunable parameters and training time, as a markdown table and a chart of test accuracy against
 * tunable parameters (log scale) — the prompt-tuning paper's Figure 4 on one backbone.
 */
public final class MethodComparison {

    public static final String TABLE = "comparison.md";
    public static final String CHART = "quality-vs-parameters.png";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One finished run, as its run directory records it. */
    public record Run(Path directory, String task, String method, long seed, int steps, long tunableParameters,
            double devAccuracy, double testAccuracy, double trainSeconds, String commit) {
    }

    /** The runs of one method, summarised. */
    public record Row(String method, long tunableParameters, List<Run> runs) {

        public double[] test() {
            return runs.stream().mapToDouble(Run::testAccuracy).toArray();
        }

        public double[] dev() {
            return runs.stream().mapToDouble(Run::devAccuracy).toArray();
        }
    }

    private MethodComparison() {
    }

    public static Run read(Path runDirectory) {
        try {
            JsonNode config = JSON.readTree(runDirectory.resolve("config.json").toFile());
            JsonNode eval = JSON.readTree(runDirectory.resolve("eval.json").toFile());
            JsonNode provenance = runDirectory.resolve("provenance.json").toFile().isFile()
                    ? JSON.readTree(runDirectory.resolve("provenance.json").toFile()) : JSON.createObjectNode();
            return new Run(runDirectory, config.path("task").asText(), config.path("method").asText(),
                    config.path("training").path("seed").asLong(), eval.path("steps").asInt(),
                    eval.path("tunable_parameters").asLong(), eval.path("dev_accuracy").asDouble(Double.NaN),
                    eval.path("test_accuracy").asDouble(Double.NaN), eval.path("train_seconds").asDouble(Double.NaN),
                    provenance.path("git_commit").asText("unknown"));
        } catch (IOException e) {
            throw new UserError(runDirectory + " is not a finished run (needs config.json and eval.json): "
                    + e.getMessage());
        }
    }

    /** Rows in the order methods first appear; all runs must be on one task. */
    public static List<Row> rows(List<Run> runs) {
        if (runs.stream().map(Run::task).distinct().count() > 1) {
            throw new UserError("the runs are on different tasks " + runs.stream().map(Run::task).distinct().toList()
                    + "; compare methods on one task at a time");
        }
        Map<String, List<Run>> byMethod = new LinkedHashMap<>();
        runs.forEach(r -> byMethod.computeIfAbsent(r.method(), m -> new ArrayList<>()).add(r));
        List<Row> rows = new ArrayList<>();
        byMethod.forEach((method, list) -> rows.add(new Row(method, list.get(0).tunableParameters(), list)));
        return rows;
    }

    static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    /** Sample standard deviation (n − 1); 0 for a single value. */
    static double std(double[] values) {
        if (values.length < 2) {
            return 0;
        }
        double m = mean(values);
        double sum = 0;
        for (double v : values) {
            sum += (v - m) * (v - m);
        }
        return Math.sqrt(sum / (values.length - 1));
    }

    /** The markdown table (one row per method). */
    public static String table(List<Row> rows) {
        StringBuilder out = new StringBuilder();
        out.append("| method | tunable parameters | seeds | steps | dev accuracy | test accuracy | per seed (test) "
                + "| train time / run |\n| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |\n");
        for (Row row : rows) {
            List<String> perSeed = row.runs().stream().map(r -> String.format(Locale.ROOT, "s%d %.4f", r.seed(),
                    r.testAccuracy())).toList();
            out.append(String.format(Locale.ROOT, "| %s | %,d | %d | %s | %.4f ± %.4f | %.4f ± %.4f | %s | %.0f s |%n",
                    row.method(), row.tunableParameters(), row.runs().size(),
                    row.runs().stream().map(r -> String.valueOf(r.steps())).distinct()
                            .reduce((a, b) -> a + "/" + b).orElse(""),
                    mean(row.dev()), std(row.dev()), mean(row.test()), std(row.test()), String.join(", ", perSeed),
                    mean(row.runs().stream().mapToDouble(Run::trainSeconds).toArray())));
        }
        return out.toString();
    }

    /** Writes the table and the chart into {@code outDirectory}; returns the table's path. */
    public static Path write(List<Row> rows, String title, Path outDirectory) throws IOException {
        Files.createDirectories(outDirectory);
        Path table = outDirectory.resolve(TABLE);
        AtomicFiles.writeString(table, table(rows));
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(720).height(440).title(title)
                .xAxisTitle("tunable parameters (log scale)").yAxisTitle("test accuracy (mean ± std over seeds)")
                .build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        for (Row row : rows) {
            // Prompt design trains nothing; log scale needs a positive x, so it stands at 1.
            double x = Math.max(1, row.tunableParameters());
            XYSeries series = chart.addSeries(row.method(), new double[] {x}, new double[] {mean(row.test())},
                    new double[] {std(row.test())});
            series.setMarker(SeriesMarkers.CIRCLE);
        }
        AtomicFiles.write(outDirectory.resolve(CHART), tmp -> Files.write(tmp, BitmapEncoder.getBitmapBytes(chart,
                BitmapEncoder.BitmapFormat.PNG)));
        return table;
    }
}
