package peft4j.cli;

import com.google.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import peft4j.eval.MethodComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code peft4j compare RUN...}: methods side by side over seeds, as a table and a chart. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Summarise finished runs of one task by method (dev/test accuracy mean ± std over seeds, "
                + "tunable parameters) and chart test accuracy against tunable parameters.")
final class CompareCommand implements Runnable {

    @Parameters(arity = "1..*", paramLabel = "RUN", description = "finished run directories")
    List<Path> runs;

    @Option(names = "--out", paramLabel = "DIR",
            description = "also write comparison.md and quality-vs-parameters.png into DIR")
    Path out;

    private final Services services;

    @Inject
    CompareCommand(Services services) {
        this.services = services;
    }

    @Override
    public void run() {
        List<MethodComparison.Run> read = runs.stream().map(MethodComparison::read).toList();
        List<MethodComparison.Row> rows = MethodComparison.rows(read);
        services.out.print(MethodComparison.table(rows));
        services.out.flush();
        if (out != null) {
            try {
                MethodComparison.write(rows, read.get(0).task(), out);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            services.out.println("wrote " + out.resolve(MethodComparison.TABLE) + " and "
                    + out.resolve(MethodComparison.CHART));
        }
    }
}
