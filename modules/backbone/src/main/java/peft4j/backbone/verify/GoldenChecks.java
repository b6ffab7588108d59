package peft4j.backbone.verify;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import peft4j.api.UserError;
import peft4j.api.io.Safetensors;
import peft4j.backbone.ModelType;
import peft4j.backbone.gpt2.Gpt2GoldenCheck;
import peft4j.backbone.t5.T5GoldenCheck;

/**
 * The golden checks of every architecture peft4j runs, chosen by {@code config.json}'s {@code model_type}. A new
 * architecture adds its {@link GoldenCheck} to {@link #KNOWN}.
 */
public final class GoldenChecks {

    static final List<GoldenCheck> KNOWN = List.of(new Gpt2GoldenCheck(), new T5GoldenCheck());

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
        String modelType = ModelType.of(modelDir);
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
}
