package peft4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import peft4j.api.AdaptationMethod;
import peft4j.api.Adapter;
import peft4j.api.Methods;
import peft4j.api.Progress;
import peft4j.api.UserError;
import peft4j.data.Example;
import peft4j.data.TaskDefinition;
import peft4j.data.TaskSplits;
import peft4j.data.Tasks;
import peft4j.serve.MixedTaskPredictor;
import peft4j.train.run.Provenance;
import peft4j.train.run.Workbench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code peft4j bench mixed}: examples/s of one batch that mixes N tasks (a different prompt per row) against one
 * batch of the same size and texts for a single task, measured alternately so that machine noise hits both.
 */
@Command(name = "mixed", mixinStandardHelpOptions = true,
        description = "Examples/s of a mixed-task batch (N tasks, a prompt per row, one forward pass) vs a "
                + "single-task batch of the same size, with untrained prompts of equal length.")
final class BenchMixedCommand implements Runnable {

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--tasks", defaultValue = "8", description = "tasks mixed in a batch (default: ${DEFAULT-VALUE})")
    int tasks;

    @Option(names = "--prompt-length", defaultValue = "20",
            description = "soft prompt length of every task (default: ${DEFAULT-VALUE})")
    int promptLength;

    @Option(names = "--batch-size", defaultValue = "16", description = "examples per batch (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--words", defaultValue = "40", description = "words per example (default: ${DEFAULT-VALUE})")
    int words;

    @Option(names = "--warmup", defaultValue = "2", description = "untimed rounds first (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--iterations", defaultValue = "7", description = "timed rounds (default: ${DEFAULT-VALUE})")
    int iterations;

    private final Services services;

    @Inject
    BenchMixedCommand(Services services) {
        this.services = services;
    }

    @Override
    public void run() {
        List<String> catalog = Tasks.names();
        if (tasks < 1 || tasks > catalog.size() || batchSize < tasks || iterations < 1 || warmup < 0 || words < 1) {
            throw new UserError("need 1 <= --tasks <= " + catalog.size() + " <= --batch-size, --iterations >= 1");
        }
        Path dir = modelOptions.modelDirectory(services.models, services.progress);
        AdaptationMethod<?> method = Methods.require("prompt-tuning");
        ObjectNode config = services.json.createObjectNode().put("length", promptLength).put("init", "random-uniform");
        List<Adapter> adapters = new ArrayList<>();
        try (Workbench bench = Workbench.open(dir, modelOptions.engine, modelOptions.device)) {
            List<MixedTaskPredictor.Member> members = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                TaskDefinition task = Tasks.get(catalog.get(t));
                Adapter adapter = bench.attachUnchecked(method, method.readConfig(config), task,
                        new TaskSplits(List.of(), List.of(), List.of()), t);
                adapters.add(adapter);
                members.add(new MixedTaskPredictor.Member(task.name(), adapter,
                        bench.head(task, adapter.insertedPositions())));
            }
            MixedTaskPredictor predictor = new MixedTaskPredictor(bench.backbone(), bench.tokenizer().padId(),
                    members, batchSize);
            List<Example> texts = texts();
            List<MixedTaskPredictor.Request> mixed = new ArrayList<>();
            List<MixedTaskPredictor.Request> single = new ArrayList<>();
            for (int i = 0; i < batchSize; i++) {
                mixed.add(new MixedTaskPredictor.Request(members.get(i % tasks).key(), texts.get(i)));
                single.add(new MixedTaskPredictor.Request(members.get(0).key(), texts.get(i)));
            }
            services.out.printf("bench mixed: %s, batch %d (%d words + %d prompt rows each), %d tasks mixed vs 1; "
                    + "%d warm-up + %d timed rounds, alternating%n", dir.getFileName(), batchSize, words,
                    promptLength, tasks, warmup, iterations);
            services.out.println("machine: " + Provenance.machine() + ", engine " + modelOptions.engine + ", device "
                    + bench.device());
            List<Double> mixedMillis = new ArrayList<>();
            List<Double> singleMillis = new ArrayList<>();
            for (int i = 0; i < warmup + iterations; i++) {
                double m = time(predictor, mixed);
                double s = time(predictor, single);
                if (i >= warmup) {
                    mixedMillis.add(m);
                    singleMillis.add(s);
                }
            }
            double mixedMedian = median(mixedMillis);
            double singleMedian = median(singleMillis);
            services.out.printf("%-22s %12s %12s%n", "BATCH", "MEDIAN ms", "EXAMPLES/s");
            services.out.printf("%-22s %12.0f %12.1f%n", "single task", singleMedian, batchSize / (singleMedian / 1000));
            services.out.printf("%-22s %12.0f %12.1f%n", tasks + " tasks mixed", mixedMedian,
                    batchSize / (mixedMedian / 1000));
            services.out.printf("mixed / single throughput: %.3f%n", singleMedian / mixedMedian);
        } finally {
            adapters.forEach(Adapter::close);
        }
    }

    private static double time(MixedTaskPredictor predictor, List<MixedTaskPredictor.Request> requests) {
        long start = System.nanoTime();
        predictor.predict(requests, Progress.SILENT);
        return (System.nanoTime() - start) / 1e6;
    }

    private static double median(List<Double> values) {
        return BenchCommand.median(values.stream().mapToDouble(Double::doubleValue).sorted().toArray());
    }

    /** Sentences of ordinary words (a pair, for pair tasks), the same for both batches. */
    private List<Example> texts() {
        String[] vocabulary = ("the a movie film story plot actor scene good bad great boring funny slow long short "
                + "music house city river bank money sentence word meaning same different old new very not quite "
                + "and but because while after before people time year day night").split(" ");
        Random random = new Random(0);
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < batchSize; i++) {
            out.add(new Example("bench-" + i, sentence(vocabulary, random, words - words / 2), sentence(vocabulary,
                    random, words / 2), null));
        }
        return out;
    }

    private static String sentence(String[] vocabulary, Random random, int count) {
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < count; w++) {
            text.append(vocabulary[random.nextInt(vocabulary.length)]).append(' ');
        }
        return text.toString().trim() + ".";
    }
}
