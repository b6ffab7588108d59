package peft4j.train.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import peft4j.api.AdaptationMethod;
import peft4j.api.Adapter;
import peft4j.api.AttachContext;
import peft4j.api.Backbone;
import peft4j.api.BackboneSpec;
import peft4j.api.MethodConfig;
import peft4j.api.Methods;
import peft4j.api.NamedTensor;
import peft4j.api.UserError;
import peft4j.api.io.AtomicFiles;
import peft4j.api.io.Safetensors;
import peft4j.api.io.SafetensorsWriter;

/**
 * An adapter on disk. Adapters of frozen-backbone methods are written in PEFT's layout:
 * <pre>
 *   adapter_model.safetensors  the adapter's saved tensors (PEFT's key prompt_embeddings, PEFT's shapes)
 *   adapter_config.json        as PEFT 0.6.2 writes it, when PEFT can run the adapter as it is
 *   peft4j.json                method, config, task, template/verbalizer, provenance, sha256 of the tensors
 * </pre>
 * An adapter that replaces the backbone's weights (model tuning) is written as a whole Hugging Face model directory
 * instead: {@code model.safetensors} with every weight under its Hugging Face name, the base model's config and
 * tokenizer files, and {@code peft4j.json}; that directory is itself a backbone.
 *
 * <p>Reading accepts all three: peft4j's current and older adapters (peft4j.json), PEFT's own adapter directories
 * (adapter_config.json only; the method is the one that reads PEFT's {@code peft_type}), and saved models.
 */
public final class AdapterFiles {

    public static final String TENSORS = "adapter_model.safetensors";
    public static final String DESCRIPTION = "peft4j.json";
    public static final String PEFT_CONFIG = "adapter_config.json";
    public static final String MODEL_TENSORS = "model.safetensors";
    public static final String MODEL_CONFIG = "config.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What an adapter directory says about how to rebuild its adapter. */
    public record Description(AdaptationMethod<?> method, MethodConfig config, boolean writtenByPeft) {
    }

    private AdapterFiles() {
    }

    /** Writes the adapter's current values; each file is replaced atomically. */
    public static void save(Path dir, Adapter adapter, Map<String, Object> description) throws IOException {
        save(dir, adapter, description, null);
    }

    /**
     * Writes the adapter's current values. {@code baseModel}, the directory the backbone was loaded from, supplies the
     * config and tokenizer files of a saved model; adapters of frozen-backbone methods do not need it.
     */
    public static void save(Path dir, Adapter adapter, Map<String, Object> description, Path baseModel)
            throws IOException {
        Files.createDirectories(dir);
        Path tensorsFile = dir.resolve(adapter.replacesBackboneWeights() ? MODEL_TENSORS : TENSORS);
        Map<String, SafetensorsWriter.Tensor> tensors = new LinkedHashMap<>();
        for (NamedTensor t : adapter.savedTensors()) {
            tensors.put(t.name(), SafetensorsWriter.Tensor.ofFloats(t.array().toFloatArray(),
                    t.array().getShape().getShape()));
        }
        SafetensorsWriter.write(tensorsFile, tensors, Map.of("format", "pt"));
        tensors.clear();
        if (adapter.replacesBackboneWeights()) {
            copyModelFiles(baseModel, dir);
        } else {
            Object model = description.get("model");
            Optional<peft4j.api.PeftConfig> peft = adapter.peftConfig();
            if (peft.isPresent()) {
                AtomicFiles.writeString(dir.resolve(PEFT_CONFIG), PeftAdapterConfig.json(peft.get(),
                        model == null ? null : model.toString()));
            } else {
                Files.deleteIfExists(dir.resolve(PEFT_CONFIG));
            }
        }
        ObjectNode node = JSON.valueToTree(description);
        node.put("method", adapter.methodName());
        node.set("config", JSON.valueToTree(adapter.config()));
        node.put("tunable_parameters", adapter.tunableParameterCount());
        node.put("tensors_file", tensorsFile.getFileName().toString());
        node.put("tensors_sha256", sha256(tensorsFile));
        AtomicFiles.writeString(dir.resolve(DESCRIPTION), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node)
                + "\n");
    }

    /** Config and tokenizer files of the base model: everything in its directory but weights and peft4j's records. */
    private static void copyModelFiles(Path baseModel, Path dir) throws IOException {
        if (baseModel == null || !Files.isRegularFile(baseModel.resolve(MODEL_CONFIG))) {
            throw new IllegalStateException("a saved model needs the base model directory for its config.json and "
                    + "tokenizer files; got " + baseModel);
        }
        try (var files = Files.list(baseModel)) {
            for (Path source : files.filter(Files::isRegularFile).toList()) {
                String name = source.getFileName().toString();
                // peft4j's own records (peft4j.json, peft4j-source.json) describe the base model, not this one.
                if (isWeightFile(name) || name.startsWith("peft4j") || name.startsWith(".")) {
                    continue;
                }
                AtomicFiles.write(dir.resolve(name),
                        tmp -> Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING));
            }
        }
    }

    private static boolean isWeightFile(String name) {
        return name.endsWith(".safetensors") || name.endsWith(".bin") || name.endsWith(".h5")
                || name.endsWith(".msgpack") || name.contains(".ckpt");
    }

    /** True when {@code dir} holds a whole model (a saved model-tuning adapter, or any Hugging Face model). */
    public static boolean holdsModel(Path dir) {
        return Files.isRegularFile(dir.resolve(MODEL_TENSORS)) && Files.isRegularFile(dir.resolve(MODEL_CONFIG));
    }

    /** The method and config that rebuild the adapter in {@code dir}, for a backbone of shape {@code backbone}. */
    public static Description describe(Path dir, BackboneSpec backbone) {
        Path ours = dir.resolve(DESCRIPTION);
        Path peft = dir.resolve(PEFT_CONFIG);
        if (Files.isRegularFile(ours)) {
            JsonNode node = readJson(ours);
            AdaptationMethod<?> method = Methods.require(node.path("method").asText());
            return new Description(method, method.readConfig(node.path("config")), false);
        }
        if (Files.isRegularFile(peft)) {
            JsonNode node = readJson(peft);
            String type = node.path("peft_type").asText();
            List<AdaptationMethod<?>> methods = Methods.discover();
            for (AdaptationMethod<?> method : methods) {
                Optional<? extends MethodConfig> config = method.configFromPeft(node, backbone);
                if (config.isPresent()) {
                    return new Description(method, config.get(), true);
                }
            }
            throw new UserError(peft + " has peft_type '" + type + "', which no installed method reads (installed: "
                    + String.join(", ", methods.stream().map(AdaptationMethod::name).toList()) + ")");
        }
        throw new UserError(dir + " is not an adapter directory: it has neither " + DESCRIPTION + " nor "
                + PEFT_CONFIG);
    }

    /** Attaches the adapter saved in {@code dir} (by peft4j or by PEFT) to {@code backbone}, with its values. */
    @SuppressWarnings("unchecked")
    public static Adapter attach(Path dir, Backbone backbone, AttachContext context) {
        Description description = describe(dir, backbone.spec());
        Adapter adapter = ((AdaptationMethod<MethodConfig>) description.method()).attach(backbone,
                description.config(), context);
        try {
            loadInto(dir, adapter);
            return adapter;
        } catch (RuntimeException e) {
            adapter.close();
            throw e;
        }
    }

    /** Copies saved values into the adapter's tensors, checking names and shapes. */
    public static void loadInto(Path dir, Adapter adapter) {
        if (adapter.trainableTensors().isEmpty()) {
            return;
        }
        Path file = dir.resolve(adapter.replacesBackboneWeights() ? MODEL_TENSORS : TENSORS);
        if (!Files.isRegularFile(file)) {
            throw new UserError("no " + file.getFileName() + " in " + dir + "; is it an adapter or run directory?");
        }
        adapter.restore(Safetensors.open(file));
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
