package peft4j.backbone.verify;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import peft4j.api.io.Safetensors;

/**
 * Runs one architecture on the inputs stored in a golden-style {@code io.safetensors} and compares every output it
 * knows with the stored reference. Each architecture provides one, registered in {@link GoldenChecks}.
 */
public interface GoldenCheck {

    /** The {@code model_type} of {@code config.json} this check runs. */
    String modelType();

    /**
     * @param modelDir a Hugging Face model directory of this architecture
     * @param io       the inputs (e.g. {@code input_ids}, {@code attention_mask}, {@code labels}) and references
     * @param manager  where the model and its outputs live
     * @return one comparison per reference tensor in {@code io} that this architecture computes
     */
    List<TensorComparison> check(Path modelDir, Safetensors io, NDManager manager);

    /** Whether the check feeds the tensor {@code name} to the model (ids, masks, labels, prompts, prefixes). */
    boolean isInput(String name);
}
