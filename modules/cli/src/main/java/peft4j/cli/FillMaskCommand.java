package peft4j.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.name.Named;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import peft4j.api.Progress;
import peft4j.api.UserError;
import peft4j.backbone.bert.BertMaskedLm;
import peft4j.backbone.bert.MaskFiller;
import peft4j.backbone.models.ModelStore;
import peft4j.backbone.tokenizer.BertTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code peft4j fill-mask}: the masked LM's top-K tokens for every [MASK]. */
@Command(name = "fill-mask", mixinStandardHelpOptions = true,
        description = "Predict the top-K tokens and probabilities for each [MASK] in each text. Without TEXT, reads "
                + "one text per line from standard input.")
final class FillMaskCommand implements Runnable {

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--top", paramLabel = "K", defaultValue = "5", description = "candidates per mask (default: 5)")
    int top;

    @Option(names = "--json", description = "one JSON object per input text: {\"text\", \"masks\": [{\"position\", "
            + "\"top\": [{\"token\", \"id\", \"probability\"}]}]}")
    boolean json;

    @Parameters(arity = "0..*", paramLabel = "TEXT", description = "texts with [MASK] where a word is missing")
    List<String> texts;

    private final PrintWriter out;
    private final ModelStore store;
    private final Progress.Factory progress;
    private final ObjectMapper mapper;

    @Inject
    FillMaskCommand(@Named("out") PrintWriter out, ModelStore store, Progress.Factory progress, ObjectMapper mapper) {
        this.out = out;
        this.store = store;
        this.progress = progress;
        this.mapper = mapper;
    }

    @Override
    public void run() {
        List<String> inputs = texts == null || texts.isEmpty() ? readStandardInput() : texts;
        if (inputs.isEmpty()) {
            throw new UserError("no text given: pass TEXT arguments or lines on standard input, e.g. "
                    + "peft4j fill-mask \"the capital of france is [MASK].\"");
        }
        Path dir = modelOptions.modelDirectory(store, progress);
        try (NDManager manager = modelOptions.newManager();
                BertMaskedLm model = BertMaskedLm.load(dir, manager);
                BertTokenizer tokenizer = BertTokenizer.load(dir)) {
            for (MaskFiller.Filled filled : new MaskFiller(model, tokenizer).fill(inputs, top)) {
                if (json) {
                    out.println(toJson(filled));
                } else {
                    print(filled);
                }
            }
        }
    }

    private void print(MaskFiller.Filled filled) {
        out.println(filled.text());
        for (MaskFiller.Mask mask : filled.masks()) {
            StringBuilder line = new StringBuilder("  [MASK] @" + mask.position() + ":");
            for (MaskFiller.Candidate c : mask.top()) {
                line.append(String.format("  %s %.3f", c.token(), c.probability()));
            }
            out.println(line);
        }
    }

    private ObjectNode toJson(MaskFiller.Filled filled) {
        ObjectNode node = mapper.createObjectNode();
        node.put("text", filled.text());
        ArrayNode masks = node.putArray("masks");
        for (MaskFiller.Mask mask : filled.masks()) {
            ObjectNode m = masks.addObject();
            m.put("position", mask.position());
            ArrayNode top = m.putArray("top");
            for (MaskFiller.Candidate c : mask.top()) {
                top.addObject().put("token", c.token()).put("id", c.id()).put("probability", c.probability());
            }
        }
        return node;
    }

    private static List<String> readStandardInput() {
        try {
            if (System.console() != null) {
                return List.of();
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            return reader.lines().filter(l -> !l.isBlank()).toList();
        } catch (RuntimeException e) {
            throw new UserError("cannot read standard input: " + e.getMessage());
        }
    }

}
