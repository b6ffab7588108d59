package peft4j.backbone;

import java.nio.file.Files;
import java.nio.file.Path;
import peft4j.api.Progress;
import peft4j.backbone.models.ModelStore;

/** Where the shared golden fixtures and the real BERT-base model are, for tests. */
public final class Golden {

    private Golden() {
    }

    /** {@code ../shared/golden/NAME}; fails loudly when the fixtures are missing, because CI must run them. */
    public static Path dir(String name) {
        String root = System.getProperty("peft4j.golden", "../shared/golden");
        Path dir = Path.of(root).resolve(name);
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("golden fixtures not found at " + dir.toAbsolutePath()
                    + " (set -Dpeft4j.golden=PATH to the shared/golden folder)");
        }
        return dir;
    }

    /** The converted BERT-base directory, pulled (Maven + conversion) on first use. */
    public static synchronized Path bertBase() {
        return ModelStore.fromEnvironment().resolve(ModelStore.DEFAULT_MODEL, Progress.Factory.SILENT);
    }
}
