package peft4j.train.run;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import peft4j.api.Adapter;
import peft4j.api.NamedTensor;
import peft4j.api.UserError;
import peft4j.api.io.AtomicFiles;
import peft4j.api.io.Safetensors;
import peft4j.api.io.SafetensorsWriter;

/**
 * An adapter on disk: {@code adapter_model.safetensors} (the trainable tensors under their PEFT names) and
 * {@code peft4j.json} (method, config, task, and the tensors' sha256).
 */
public final class AdapterFiles {

    public static final String TENSORS = "adapter_model.safetensors";
    public static final String DESCRIPTION = "peft4j.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private AdapterFiles() {
    }

    /** Writes the adapter's current values; each file is replaced atomically. */
    public static void save(Path dir, Adapter adapter, Map<String, Object> description) throws IOException {
        Files.createDirectories(dir);
        Map<String, SafetensorsWriter.Tensor> tensors = new LinkedHashMap<>();
        for (NamedTensor t : adapter.trainableTensors()) {
            tensors.put(t.name(), SafetensorsWriter.Tensor.ofFloats(t.array().toFloatArray(),
                    t.array().getShape().getShape()));
        }
        SafetensorsWriter.write(dir.resolve(TENSORS), tensors, Map.of("format", "pt"));
        ObjectNode node = JSON.valueToTree(description);
        node.put("method", adapter.methodName());
        node.set("config", JSON.valueToTree(adapter.config()));
        node.put("tunable_parameters", adapter.tunableParameterCount());
        node.put("tensors_sha256", sha256(dir.resolve(TENSORS)));
        AtomicFiles.writeString(dir.resolve(DESCRIPTION), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node)
                + "\n");
    }

    /** Copies saved values into the adapter's tensors, checking names and shapes. */
    public static void loadInto(Path dir, Adapter adapter) {
        Path file = dir.resolve(TENSORS);
        if (adapter.trainableTensors().isEmpty()) {
            return;
        }
        if (!Files.isRegularFile(file)) {
            throw new UserError("no " + TENSORS + " in " + dir + "; is it an adapter or run directory?");
        }
        Safetensors saved = Safetensors.open(file);
        for (NamedTensor t : adapter.trainableTensors()) {
            if (!saved.contains(t.name())) {
                throw new UserError(file + " has no tensor '" + t.name() + "' (has " + saved.tensors().keySet()
                        + "); was it saved by another method?");
            }
            long[] shape = saved.info(t.name()).shape();
            if (!java.util.Arrays.equals(shape, t.array().getShape().getShape())) {
                throw new UserError(file + ": '" + t.name() + "' has shape " + java.util.Arrays.toString(shape)
                        + " but this backbone and config need " + t.array().getShape()
                        + " (adapter trained on a backbone of another size?)");
            }
            NDArray values = t.array().getManager().create(saved.floats(t.name()), t.array().getShape());
            t.array().set(values.toFloatArray());
            values.close();
        }
    }

    static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
