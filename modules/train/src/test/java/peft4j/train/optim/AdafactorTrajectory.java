package peft4j.train.optim;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import peft4j.api.io.Safetensors;

/** The Hugging Face Adafactor golden run in {@code shared/golden/adafactor}: six steps of three parameters. */
final class AdafactorTrajectory {

    static final int STEPS = 6;

    private final Safetensors file;

    private AdafactorTrajectory(Safetensors file) {
        this.file = file;
    }

    /** Opens the fixture; fails loudly when it is missing, because CI must run it. */
    static AdafactorTrajectory load() {
        Path dir = Path.of(System.getProperty("peft4j.golden", "../../../shared/golden")).resolve("adafactor");
        Path trajectory = dir.resolve("trajectory.safetensors");
        if (!Files.isRegularFile(trajectory)) {
            throw new IllegalStateException("golden fixture not found at " + trajectory.toAbsolutePath()
                    + " (set -Dpeft4j.golden=PATH to the shared/golden folder)");
        }
        return new AdafactorTrajectory(Safetensors.open(trajectory));
    }

    long[] shape(String parameter) {
        return file.info(parameter + ".init").shape();
    }

    float[] init(String parameter) {
        return file.floats(parameter + ".init");
    }

    /** The gradient given at step {@code t} (1-based). */
    float[] grad(String parameter, int t) {
        return slice(file.floats(parameter + ".grads"), t);
    }

    /** The parameter after step {@code t} (1-based). */
    float[] paramsAfter(String run, int t) {
        return slice(file.floats(run + ".params_after_step"), t);
    }

    /** Optimizer state {@code slot} (e.g. {@code exp_avg_sq_row}) after step {@code t} (1-based). */
    float[] stateAfter(String run, String slot, int t) {
        return slice(file.floats(run + "." + slot + "_after_step"), t);
    }

    private static float[] slice(float[] stacked, int t) {
        int each = stacked.length / STEPS;
        return Arrays.copyOfRange(stacked, (t - 1) * each, t * each);
    }
}
