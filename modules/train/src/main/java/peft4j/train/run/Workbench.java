package peft4j.train.run;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import peft4j.api.AdaptationMethod;
import peft4j.api.Adapter;
import peft4j.api.AttachContext;
import peft4j.api.MethodConfig;
import peft4j.api.TaskContext;
import peft4j.backbone.Engines;
import peft4j.backbone.bert.BertMaskedLm;
import peft4j.backbone.tokenizer.BertTokenizer;
import peft4j.data.Example;
import peft4j.data.TaskDefinition;
import peft4j.data.TaskSplits;
import peft4j.train.head.ClozeHead;

/**
 * A loaded backbone with its tokenizer, on one engine and device: what train, eval, predict and the demo share.
 * Methods attach to it through the SPI; it never names one.
 */
public final class Workbench implements AutoCloseable {

    private final NDManager manager;
    private final BertMaskedLm backbone;
    private final BertTokenizer tokenizer;
    private final String engine;
    private final String device;
    private final Path modelDirectory;

    private Workbench(NDManager manager, BertMaskedLm backbone, BertTokenizer tokenizer, String engine, String device,
            Path modelDirectory) {
        this.modelDirectory = modelDirectory;
        this.manager = manager;
        this.backbone = backbone;
        this.tokenizer = tokenizer;
        this.engine = engine;
        this.device = device;
    }

    public static Workbench open(Path modelDirectory, String engine, String device) {
        NDManager manager = Engines.newManager(engine, device);
        try {
            BertMaskedLm backbone = BertMaskedLm.load(modelDirectory, manager);
            return new Workbench(manager, backbone, BertTokenizer.load(modelDirectory), engine, device,
                    modelDirectory);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public BertMaskedLm backbone() {
        return backbone;
    }

    public BertTokenizer tokenizer() {
        return tokenizer;
    }

    /** The directory the backbone and tokenizer were loaded from. */
    public Path modelDirectory() {
        return modelDirectory;
    }

    public String engine() {
        return engine;
    }

    /** The device the arrays live on, e.g. cpu(). */
    public String device() {
        return manager.getDevice().toString();
    }

    /** A cloze head for {@code task}, leaving room for {@code reserved} rows the adapter inserts. */
    public ClozeHead head(TaskDefinition task, long reserved) {
        return new ClozeHead(task, tokenizer, (int) (backbone.spec().maxPositions() - reserved));
    }

    /** Attaches {@code method} with {@code config}; task facts (label words, frequent tokens, demos) feed its init. */
    public <C extends MethodConfig> Adapter attach(AdaptationMethod<C> method, C config, TaskDefinition task,
            TaskSplits splits, long seed) {
        ClozeHead head = head(task, 0);
        TaskContext context = new TaskContext(head.labelWordIds(), frequentTokens(splits.train()),
                text -> withoutSpecials(tokenizer.encode(text).ids()),
                splits.train().stream().map(task::fillWithAnswer).toList());
        return method.attach(backbone, config, new AttachContext(manager, seed, context));
    }

    /** Attaches a method whose config is only known by type (read from a run's config.json). */
    @SuppressWarnings("unchecked")
    public Adapter attachUnchecked(AdaptationMethod<?> method, MethodConfig config, TaskDefinition task,
            TaskSplits splits, long seed) {
        return attach((AdaptationMethod<MethodConfig>) method, config, task, splits, seed);
    }

    /** Token ids of the training text by falling frequency (special tokens left out); ties by id. */
    long[] frequentTokens(List<Example> train) {
        Map<Long, Integer> counts = new HashMap<>();
        Set<Long> special = Set.of(tokenizer.maskId(), tokenizer.padId());
        for (Example e : train) {
            long[] ids = withoutSpecials(tokenizer.encode(e.text()).ids());
            for (long id : ids) {
                if (!special.contains(id)) {
                    counts.merge(id, 1, Integer::sum);
                }
            }
        }
        List<Map.Entry<Long, Integer>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Comparator.<Map.Entry<Long, Integer>>comparingInt(Map.Entry::getValue).reversed()
                .thenComparing(Map.Entry::getKey));
        return sorted.stream().mapToLong(Map.Entry::getKey).toArray();
    }

    private static long[] withoutSpecials(long[] idsWithClsSep) {
        return java.util.Arrays.copyOfRange(idsWithClsSep, 1, idsWithClsSep.length - 1);
    }

    @Override
    public void close() {
        tokenizer.close();
        backbone.close();
        manager.close();
    }
}
