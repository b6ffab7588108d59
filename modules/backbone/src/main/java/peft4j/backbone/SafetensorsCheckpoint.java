package peft4j.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import peft4j.api.UserError;
import peft4j.api.io.Safetensors;

/**
 * The weights of a Hugging Face model directory: one {@code model.safetensors}, or the shards listed by
 * {@code model.safetensors.index.json} (its {@code weight_map} names the shard of every tensor). PyTorch pickles
 * ({@code pytorch_model.bin}) are refused with a hint, because reading them would mean unpickling untrusted code.
 */
public final class SafetensorsCheckpoint {

    public static final String SINGLE = "model.safetensors";
    public static final String INDEX = "model.safetensors.index.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path location;
    private final Map<String, Safetensors> fileOf;

    private SafetensorsCheckpoint(Path location, Map<String, Safetensors> fileOf) {
        this.location = location;
        this.fileOf = Collections.unmodifiableMap(fileOf);
    }

    public static SafetensorsCheckpoint open(Path dir) {
        Path single = dir.resolve(SINGLE);
        if (Files.isRegularFile(single)) {
            Safetensors file = Safetensors.open(single);
            Map<String, Safetensors> fileOf = new LinkedHashMap<>();
            file.tensors().keySet().forEach(name -> fileOf.put(name, file));
            return new SafetensorsCheckpoint(single, fileOf);
        }
        Path index = dir.resolve(INDEX);
        if (Files.isRegularFile(index)) {
            return sharded(dir, index);
        }
        if (Files.exists(dir.resolve("pytorch_model.bin"))
                || Files.exists(dir.resolve("pytorch_model.bin.index.json"))) {
            throw new UserError(dir + " has only pytorch_model.bin, which peft4j does not read (pickle); convert it "
                    + "with Hugging Face: model.save_pretrained(dir, safe_serialization=True)");
        }
        throw new UserError("no " + SINGLE + " (or " + INDEX + ") in " + dir + "; a model directory needs config.json "
                + "and its weights as safetensors");
    }

    private static SafetensorsCheckpoint sharded(Path dir, Path index) {
        JsonNode weightMap;
        try {
            weightMap = JSON.readTree(index.toFile()).get("weight_map");
        } catch (IOException e) {
            throw new UserError("cannot parse " + index + ": " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (weightMap == null || !weightMap.isObject()) {
            throw new UserError(index + " has no weight_map object; re-save the model with save_pretrained");
        }
        Map<String, Safetensors> shards = new LinkedHashMap<>();
        Map<String, Safetensors> fileOf = new LinkedHashMap<>();
        weightMap.fields().forEachRemaining(entry -> {
            String shardName = entry.getValue().asText();
            Safetensors shard = shards.computeIfAbsent(shardName, name -> {
                Path path = dir.resolve(name);
                if (!Files.isRegularFile(path)) {
                    throw new UserError(index + " lists shard '" + name + "' but " + path + " is missing; copy the "
                            + "whole model directory");
                }
                return Safetensors.open(path);
            });
            if (!shard.contains(entry.getKey())) {
                throw new UserError(index + " places tensor '" + entry.getKey() + "' in " + shardName
                        + ", which lacks it; re-save the model");
            }
            fileOf.put(entry.getKey(), shard);
        });
        return new SafetensorsCheckpoint(index, fileOf);
    }

    /** The file the user would look at: {@code model.safetensors} or the index. */
    public Path location() {
        return location;
    }

    public boolean contains(String name) {
        return fileOf.containsKey(name);
    }

    public Safetensors.TensorInfo info(String name) {
        return file(name).info(name);
    }

    /** One tensor as a float32 (F16/BF16 widened) or int64 array in {@code manager}. */
    public NDArray toNDArray(String name, NDManager manager) {
        return file(name).toNDArray(name, manager);
    }

    private Safetensors file(String name) {
        Safetensors file = fileOf.get(name);
        if (file == null) {
            throw new UserError("tensor '" + name + "' is missing from " + location);
        }
        return file;
    }
}
