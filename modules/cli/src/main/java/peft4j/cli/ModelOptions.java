package peft4j.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import peft4j.api.Progress;
import peft4j.backbone.Engines;
import peft4j.backbone.models.ModelStore;
import picocli.CommandLine.Option;

/** The options every command that runs a model shares. */
final class ModelOptions {

    @Option(names = "--model", paramLabel = "NAME|DIR", defaultValue = ModelStore.DEFAULT_MODEL,
            description = "a known model name (pulled on first use) or a Hugging Face checkpoint directory "
                    + "(default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = Engines.DEFAULT,
            description = "DJL engine: pytorch or mxnet (default: ${DEFAULT-VALUE})")
    String engine;

    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "auto",
            description = "auto (GPU when the engine sees one), cpu or gpu (default: ${DEFAULT-VALUE})")
    String device;

    /** Resolves (and on first use pulls) the model directory; checks the engine name before any download. */
    Path modelDirectory(ModelStore store, Progress.Factory progress) {
        Engines.get(engine);
        return store.resolve(model, progress);
    }

    NDManager newManager() {
        return Engines.newManager(engine, device);
    }
}
