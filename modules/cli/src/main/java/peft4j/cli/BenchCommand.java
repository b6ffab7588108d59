package peft4j.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.inject.Inject;
import com.google.inject.name.Named;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import peft4j.api.Backbone;
import peft4j.api.Progress;
import peft4j.api.TokenBatch;
import peft4j.backbone.Engines;
import peft4j.backbone.models.ModelStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Benchmarks that print figures; speed targets live here, never in timed tests. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure speed on this machine.",
        subcommands = {BenchCommand.Forward.class, BenchTrainCommand.class, BenchMixedCommand.class})
final class BenchCommand implements Runnable {

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "name a benchmark: forward, train or mixed");
    }

    @Command(name = "forward", mixinStandardHelpOptions = true,
            description = "Median latency of one inference forward pass on random token ids, for each engine. BERT: "
                    + "encoder + MLM logits at one row per example; GPT-2: the causal stack + next-token logits at "
                    + "the last position; T5: encoder + teacher-forced decoder over --target-length tokens + their "
                    + "logits. The first output line says what was timed.")
    static final class Forward implements Runnable {

        @Option(names = "--model", defaultValue = ModelStore.DEFAULT_MODEL, paramLabel = "NAME|DIR",
                description = "model name or directory (default: ${DEFAULT-VALUE})")
        String model;

        @Option(names = "--engines", split = ",", defaultValue = "pytorch,mxnet", paramLabel = "ENGINE[,ENGINE]",
                description = "engines to measure (default: ${DEFAULT-VALUE})")
        List<String> engines;

        @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default: ${DEFAULT-VALUE})")
        String device;

        @Option(names = "--batch-size", defaultValue = "16", description = "examples per batch (default: ${DEFAULT-VALUE})")
        int batchSize;

        @Option(names = "--length", defaultValue = "64", description = "tokens per example (default: ${DEFAULT-VALUE})")
        int length;

        @Option(names = "--target-length", defaultValue = "8",
                description = "T5: decoder tokens teacher-forced per example (default: ${DEFAULT-VALUE})")
        int targetLength;

        @Option(names = "--warmup", defaultValue = "3", description = "untimed passes first (default: ${DEFAULT-VALUE})")
        int warmup;

        @Option(names = "--iterations", defaultValue = "10", description = "timed passes (default: ${DEFAULT-VALUE})")
        int iterations;

        private final PrintWriter out;
        private final ModelStore store;
        private final Progress.Factory progress;

        @Inject
        Forward(@Named("out") PrintWriter out, ModelStore store, Progress.Factory progress) {
            this.out = out;
            this.store = store;
            this.progress = progress;
        }

        @Override
        public void run() {
            engines.forEach(Engines::get);
            if (batchSize < 1 || length < 2 || iterations < 1 || warmup < 0 || targetLength < 1
                    || targetLength > length) {
                throw new peft4j.api.UserError("--batch-size and --iterations must be >= 1, --length >= 2, "
                        + "--target-length between 1 and --length");
            }
            Path dir = store.resolve(model, progress);
            out.printf("bench forward: %s, batch %d x %d tokens, %d warm-up + %d timed passes%n", dir.getFileName(),
                    batchSize, length, warmup, iterations);
            out.println("machine: " + peft4j.train.run.Provenance.machine());
            for (int i = 0; i < engines.size(); i++) {
                measure(engines.get(i), dir, i == 0);
            }
        }

        private void measure(String engineName, Path dir, boolean first) {
            Engine engine = Engines.get(engineName);
            try (NDManager manager = engine.newBaseManager(Engines.device(engine, device))) {
                ForwardPass pass = ForwardPass.load(dir, manager, targetLength);
                try (Backbone backbone = pass.backbone()) {
                    int vocab = backbone.spec().vocabSize();
                    int maxPositions = backbone.spec().maxPositions();
                    if (maxPositions > 0 && length > maxPositions) {
                        throw new peft4j.api.UserError("--length " + length + " exceeds the model's " + maxPositions
                                + " positions; give --length " + maxPositions + " or less");
                    }
                    if (first) {
                        out.println("timed: " + pass.what() + "; tokens/s counts input tokens");
                        out.printf("%-8s %-6s %12s %12s %12s %12s%n", "ENGINE", "DEVICE", "MEDIAN ms", "MIN ms",
                                "MAX ms", "TOKENS/s");
                    }
                    long[] ids = randomIds(vocab);
                    long[] ones = new long[ids.length];
                    Arrays.fill(ones, 1);
                    Shape shape = new Shape(batchSize, length);
                    List<Double> millis = new ArrayList<>();
                    for (int i = 0; i < warmup + iterations; i++) {
                        try (NDManager step = manager.newSubManager()) {
                            TokenBatch batch = new TokenBatch(step.create(ids, shape), step.create(ones, shape),
                                    step.zeros(shape, ai.djl.ndarray.types.DataType.INT64));
                            long start = System.nanoTime();
                            pass.run().apply(batch).toFloatArray(); // reading the logits ends the computation
                            if (i >= warmup) {
                                millis.add((System.nanoTime() - start) / 1e6);
                            }
                        }
                    }
                    double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                    double median = median(sorted);
                    out.printf("%-8s %-6s %12.1f %12.1f %12.1f %12.0f%n", engineName, manager.getDevice(), median,
                            sorted[0], sorted[sorted.length - 1], batchSize * length / (median / 1000));
                    out.flush();
                }
            }
        }

        /** Ids drawn above the special and most frequent tokens (from 1000 on in real vocabularies). */
        private long[] randomIds(int vocab) {
            int low = Math.min(1000, vocab / 4);
            Random random = new Random(0);
            long[] ids = new long[batchSize * length];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = low + random.nextInt(vocab - low);
            }
            return ids;
        }
    }

    /** Median of sorted values. */
    static double median(double[] sorted) {
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    /** Peak resident memory of this process (VmHWM), in MiB; -1 where /proc is not available. */
    static long peakRssMib() {
        try (var lines = java.nio.file.Files.lines(java.nio.file.Path.of("/proc/self/status"))) {
            return lines.filter(l -> l.startsWith("VmHWM:")).mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                    .findFirst().orElse(-1) / 1024;
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }
}
