package peft4j.train.run;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import peft4j.api.AdaptationMethod;
import peft4j.api.Adapter;
import peft4j.api.AttachContext;
import peft4j.api.Backbone;
import peft4j.api.MethodConfig;
import peft4j.api.Seq2SeqBackbone;
import peft4j.api.TaskContext;
import peft4j.api.UserError;
import peft4j.backbone.Engines;
import peft4j.backbone.bert.BertMaskedLm;
import peft4j.backbone.gpt2.Gpt2Model;
import peft4j.backbone.t5.T5Model;
import peft4j.backbone.tokenizer.BertTokenizer;
import peft4j.backbone.tokenizer.TextTokenizer;
import peft4j.backbone.tokenizer.Tokenizers;
import peft4j.data.Example;
import peft4j.data.TaskDefinition;
import peft4j.data.TaskSplits;
import peft4j.train.head.ClozeHead;
import peft4j.train.head.ContinuationHead;
import peft4j.train.head.TaskHead;
import peft4j.train.head.TextToTextHead;

/**
 * A loaded backbone with its tokenizer, on one engine and device: what train, eval, predict and the demo share. The
 * model directory's {@code config.json} {@code model_type} picks the backbone and the {@link TaskHead} that turns it
 * into a classifier: {@code bert} (the default when the type is missing) a masked LM with the {@link ClozeHead},
 * {@code gpt2} a causal LM with the {@link ContinuationHead}, {@code t5} an encoder-decoder with the
 * {@link TextToTextHead}. Methods attach to it through the SPI; it never names one.
 */
public final class Workbench implements AutoCloseable {

    /** The kinds of backbone a workbench opens, by {@code model_type}. */
    public enum Family {
        BERT, GPT2, T5;

        /** The family of the model in {@code dir}; BERT when config.json names no type (older BERT checkpoints). */
        public static Family of(Path dir) {
            Path config = dir.resolve("config.json");
            String type = "";
            if (Files.isRegularFile(config)) {
                try {
                    type = new ObjectMapper().readTree(config.toFile()).path("model_type").asText("");
                } catch (IOException e) {
                    throw new UserError("cannot parse " + config + ": " + e.getMessage().lines().findFirst()
                            .orElse(""));
                }
            }
            return switch (type) {
                case "", "bert" -> BERT;
                case "gpt2" -> GPT2;
                case "t5" -> T5;
                default -> throw new UserError(config + " has model_type '" + type + "'; peft4j runs bert, gpt2 and "
                        + "t5 models");
            };
        }
    }

    private final NDManager manager;
    private final Backbone backbone;
    private final TextTokenizer tokenizer;
    private final Family family;
    private final String engine;
    private final Path modelDirectory;

    private Workbench(NDManager manager, Backbone backbone, TextTokenizer tokenizer, Family family, String engine,
            Path modelDirectory) {
        this.modelDirectory = modelDirectory;
        this.manager = manager;
        this.backbone = backbone;
        this.tokenizer = tokenizer;
        this.family = family;
        this.engine = engine;
    }

    public static Workbench open(Path modelDirectory, String engine, String device) {
        Family family = Family.of(modelDirectory);
        NDManager manager = Engines.newManager(engine, device);
        Backbone backbone = null;
        try {
            backbone = switch (family) {
                case BERT -> BertMaskedLm.load(modelDirectory, manager);
                case GPT2 -> Gpt2Model.load(modelDirectory, manager);
                case T5 -> T5Model.load(modelDirectory, manager);
            };
            TextTokenizer tokenizer = switch (family) {
                case BERT -> BertTokenizer.load(modelDirectory);
                case GPT2 -> Tokenizers.gpt2(modelDirectory);
                case T5 -> Tokenizers.t5(modelDirectory);
            };
            return new Workbench(manager, backbone, tokenizer, family, engine, modelDirectory);
        } catch (RuntimeException e) {
            if (backbone != null) {
                backbone.close();
            }
            manager.close();
            throw e;
        }
    }

    public Backbone backbone() {
        return backbone;
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    public Family family() {
        return family;
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

    /** The id that pads token batches of this model. */
    public long padId() {
        return family == Family.T5 ? ((Seq2SeqBackbone) backbone).padTokenId() : tokenizer.padId();
    }

    /** The head that classifies {@code task} with this backbone, leaving room for {@code reserved} inserted rows. */
    public TaskHead taskHead(TaskDefinition task, long reserved) {
        int maxLength = (int) (backbone.spec().maxPositions() - reserved);
        return switch (family) {
            case BERT -> new ClozeHead(task, (BertTokenizer) tokenizer, maxLength);
            case GPT2 -> new ContinuationHead(task, tokenizer, tokenizer.padId(), maxLength);
            case T5 -> new TextToTextHead(task, tokenizer, (Seq2SeqBackbone) backbone, maxLength);
        };
    }

    /**
     * The cloze head of a masked LM, for {@code task}, leaving room for {@code reserved} rows the adapter inserts;
     * what mixed-task serving reads. A UserError for other backbones.
     */
    public ClozeHead head(TaskDefinition task, long reserved) {
        if (family != Family.BERT) {
            throw new UserError("this needs a masked language model (BERT); " + modelDirectory + " is a "
                    + family.name().toLowerCase(java.util.Locale.ROOT) + " model");
        }
        return (ClozeHead) taskHead(task, reserved);
    }

    /** Attaches {@code method} with {@code config}; task facts (label words, frequent tokens, demos) feed its init. */
    public <C extends MethodConfig> Adapter attach(AdaptationMethod<C> method, C config, TaskDefinition task,
            TaskSplits splits, long seed) {
        TaskHead head = taskHead(task, 0);
        TaskContext context = new TaskContext(head.labelWordIds(), frequentTokens(head, splits.train()),
                head::promptTextIds, splits.train().stream().map(task::fillWithAnswer).toList());
        return method.attach(backbone, config, new AttachContext(manager, seed, context));
    }

    /** Attaches a method whose config is only known by type (read from a run's config.json). */
    @SuppressWarnings("unchecked")
    public Adapter attachUnchecked(AdaptationMethod<?> method, MethodConfig config, TaskDefinition task,
            TaskSplits splits, long seed) {
        return attach((AdaptationMethod<MethodConfig>) method, config, task, splits, seed);
    }

    /** Token ids of the training text by falling frequency (special tokens left out); ties by id. */
    private static long[] frequentTokens(TaskHead head, List<Example> train) {
        Map<Long, Integer> counts = new HashMap<>();
        for (Example e : train) {
            for (long id : head.contentIds(e.text())) {
                counts.merge(id, 1, Integer::sum);
            }
        }
        List<Map.Entry<Long, Integer>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Comparator.<Map.Entry<Long, Integer>>comparingInt(Map.Entry::getValue).reversed()
                .thenComparing(Map.Entry::getKey));
        return sorted.stream().mapToLong(Map.Entry::getKey).toArray();
    }

    @Override
    public void close() {
        tokenizer.close();
        backbone.close();
        manager.close();
    }
}
