package peft4j.backbone.verify;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import peft4j.api.UserError;
import peft4j.api.io.Safetensors;
import peft4j.backbone.gpt2.Gpt2GoldenCheck;
import peft4j.backbone.t5.T5GoldenCheck;

/**
 * The golden checks of every architecture peft4j runs, chosen by {@code config.json}'s {@code model_type}. A new
 * architecture adds its {@link GoldenCheck} to {@link #KNOWN}.
 */
public final class GoldenChecks {

    static final List<GoldenCheck> KNOWN = List.of(new Gpt2GoldenCheck(), new T5GoldenCheck());

    private static final ObjectMapper JSON = new ObjectMapper();

    private GoldenChecks() {
    }

    public static List<String> modelTypes() {
        return KNOWN.stream().map(GoldenCheck::modelType).toList();
    }

    /**
     * Runs the model in {@code modelDir} on the inputs of {@code ioFile} and compares it with the references there;
     * a UserError when not one reference was compared.
     */
    public static Verification run(Path modelDir, Path ioFile, NDManager manager) {
        if (!Files.isDirectory(modelDir)) {
            throw new UserError("model directory " + modelDir + " does not exist; give a Hugging Face model directory");
        }
        if (!Files.isRegularFile(ioFile)) {
            throw new UserError("reference file " + ioFile + " does not exist; give a golden-style io.safetensors");
        }
        String modelType = modelType(modelDir);
        GoldenCheck check = forModelType(modelType).orElseThrow(() -> new UserError(modelDir.resolve("config.json")
                + " has model_type '" + modelType + "'; golden checks exist for: " + String.join(", ", modelTypes())));
        Safetensors io = Safetensors.open(ioFile);
        List<TensorComparison> comparisons = check.check(modelDir, io, manager);
        Set<String> compared = comparisons.stream().map(TensorComparison::name).collect(Collectors.toSet());
        List<String> inputs = new ArrayList<>();
        List<String> unchecked = new ArrayList<>();
        for (String name : io.tensors().keySet()) {
            if (!compared.contains(name)) {
                (check.isInput(name) ? inputs : unchecked).add(name);
            }
        }
        if (comparisons.isEmpty()) {
            throw new UserError(ioFile + " holds no reference tensor a " + modelType + " check knows (e.g. logits, "
                    + "loss); not checked: " + String.join(", ", unchecked.subList(0, Math.min(5, unchecked.size()))));
        }
        return new Verification(comparisons, inputs, unchecked);
    }

    static Optional<GoldenCheck> forModelType(String modelType) {
        return KNOWN.stream().filter(c -> c.modelType().equals(modelType)).findFirst();
    }

    private static String modelType(Path modelDir) {
        Path config = modelDir.resolve("config.json");
        if (!Files.isRegularFile(config)) {
            throw new UserError("no config.json in " + modelDir + "; give a Hugging Face model directory");
        }
        try {
            JsonNode type = JSON.readTree(config.toFile()).get("model_type");
            if (type == null || !type.isTextual()) {
                throw new UserError(config + " has no model_type; add the one Hugging Face writes (e.g. \"gpt2\")");
            }
            return type.asText();
        } catch (IOException e) {
            throw new UserError("cannot parse " + config + ": " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }
}
