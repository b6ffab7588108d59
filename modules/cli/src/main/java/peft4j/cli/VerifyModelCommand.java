package peft4j.cli;

import ai.djl.ndarray.NDManager;
import com.google.inject.Inject;
import com.google.inject.name.Named;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import peft4j.backbone.Engines;
import peft4j.backbone.verify.GoldenChecks;
import peft4j.backbone.verify.Verification;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code peft4j verify-model}: a model directory against reference outputs stored beside its inputs. */
@Command(name = "verify-model", mixinStandardHelpOptions = true,
        description = "Run a Hugging Face model directory on the inputs of a golden-style io.safetensors and compare "
                + "every reference output it knows (hidden states, logits, loss, greedy ids; with a stored prompt or "
                + "prefix also its gradients). Prints one line per tensor, then the inputs used and the tensors "
                + "left unchecked; exits 0 when all are within tolerance, 1 otherwise.")
final class VerifyModelCommand implements Callable<Integer> {

    /** Exit code when a tensor is outside its tolerance. */
    static final int MISMATCH = 1;

    @Option(names = "--model", paramLabel = "DIR", required = true,
            description = "Hugging Face model directory (config.json + model.safetensors)")
    Path model;

    @Option(names = "--io", paramLabel = "FILE", required = true,
            description = "safetensors file with the inputs (input_ids, attention_mask, labels) and the references")
    Path io;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = Engines.DEFAULT,
            description = "DJL engine: pytorch or mxnet (default: ${DEFAULT-VALUE})")
    String engine;

    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "cpu",
            description = "auto, cpu or gpu (default: ${DEFAULT-VALUE}, where the references were computed)")
    String device;

    private final PrintWriter out;

    @Inject
    VerifyModelCommand(@Named("out") PrintWriter out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        Engines.get(engine);
        Verification verification;
        try (NDManager manager = Engines.newManager(engine, device)) {
            verification = GoldenChecks.run(model, io, manager);
        }
        verification.compared().forEach(c -> out.println(c.line()));
        out.println("inputs: " + String.join(", ", verification.inputs()));
        out.println("not checked (no rule for these names): "
                + (verification.unchecked().isEmpty() ? "none" : String.join(", ", verification.unchecked())));
        long failed = verification.compared().stream().filter(c -> !c.ok()).count();
        out.printf("%d tensors compared on %s, %s%n", verification.compared().size(), engine,
                failed == 0 ? "all within tolerance" : failed + " outside tolerance");
        return verification.ok() ? 0 : MISMATCH;
    }
}
