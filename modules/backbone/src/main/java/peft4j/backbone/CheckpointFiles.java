package peft4j.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import peft4j.api.UserError;
import peft4j.api.io.Safetensors;

/**
 * The weights of a Hugging Face model directory: one {@code model.safetensors}, or the shards that
 * {@code model.safetensors.index.json} names ({@code weight_map}: tensor name → shard file). PyTorch pickles are
 * refused with a hint to convert them.
 */
public final class CheckpointFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path description;
    private final Map<String, Safetensors> fileOfTensor;

    private CheckpointFiles(Path description, Map<String, Safetensors> fileOfTensor) {
        this.description = description;
        this.fileOfTensor = fileOfTensor;
    }

    public static CheckpointFiles open(Path dir) {
        Path single = dir.resolve("model.safetensors");
        Path index = dir.resolve("model.safetensors.index.json");
        if (Files.isRegularFile(single)) {
            Safetensors file = Safetensors.open(single);
            Map<String, Safetensors> map = new LinkedHashMap<>();
            file.tensors().keySet().forEach(name -> map.put(name, file));
            return new CheckpointFiles(single, map);
        }
        if (Files.isRegularFile(index)) {
            return openSharded(dir, index);
        }
        if (Files.exists(dir.resolve("pytorch_model.bin")) || Files.exists(dir.resolve("pytorch_model.bin.index.json"))) {
            throw new UserError("no model.safetensors in " + dir + ", only pytorch_model.bin: convert it with Hugging "
                    + "Face's save_pretrained(dir, safe_serialization=True)");
        }
        throw new UserError("no model.safetensors or model.safetensors.index.json in " + dir
                + ": a model directory needs config.json and safetensors weights (the Hugging Face layout)");
    }

    private static CheckpointFiles openSharded(Path dir, Path index) {
        JsonNode weightMap;
        try {
            weightMap = JSON.readTree(index.toFile()).path("weight_map");
        } catch (IOException e) {
            throw new UserError("cannot parse " + index + ": " + e.getMessage(), e);
        }
        if (!weightMap.isObject() || weightMap.isEmpty()) {
            throw new UserError(index + " has no weight_map; re-save the model with save_pretrained");
        }
        Map<String, Safetensors> shards = new HashMap<>();
        Map<String, Safetensors> map = new LinkedHashMap<>();
        for (var it = weightMap.fields(); it.hasNext(); ) {
            var entry = it.next();
            String shardName = entry.getValue().asText();
            Safetensors shard = shards.computeIfAbsent(shardName, name -> {
                Path file = dir.resolve(name);
                if (!Files.isRegularFile(file)) {
                    throw new UserError(index + " names shard " + name + ", which is not in " + dir
                            + " (incomplete download?)");
                }
                return Safetensors.open(file);
            });
            if (!shard.contains(entry.getKey())) {
                throw new UserError(index + " puts tensor '" + entry.getKey() + "' in " + shardName
                        + ", which does not hold it (shards from another model?)");
            }
            map.put(entry.getKey(), shard);
        }
        return new CheckpointFiles(index, map);
    }

    /** The file users should look at when a tensor is missing or wrong: the single file or the shard index. */
    public Path description() {
        return description;
    }

    public boolean contains(String name) {
        return fileOfTensor.containsKey(name);
    }

    /** The tensor as float32 or int64, in {@code manager}. */
    public NDArray toNDArray(String name, NDManager manager) {
        Safetensors file = fileOfTensor.get(name);
        if (file == null) {
            throw new UserError(description + " has no tensor '" + name + "'");
        }
        return file.toNDArray(name, manager);
    }
}
