package peft4j.cli;

import java.nio.file.Path;
import peft4j.api.UserError;
import peft4j.train.run.RunConfig;
import picocli.CommandLine.Option;

/** Options of commands that use a finished run: which run, and (optionally) where to run it. */
final class RunOptions {

    @Option(names = "--run", paramLabel = "DIR", description = "a 'peft4j train' run directory")
    Path run;

    @Option(names = "--model", paramLabel = "NAME|DIR", description = "must match the run's model (default: the run's)")
    String model;

    @Option(names = "--engine", paramLabel = "ENGINE", description = "pytorch or mxnet (default: the run's)")
    String engine;

    @Option(names = "--device", paramLabel = "DEVICE", description = "auto, cpu or gpu (default: the run's)")
    String device;

    /** The run's adapter fits only the backbone it was trained on. */
    void requireSameModel() {
        if (run == null) {
            throw new UserError("name the run: --run DIR (a 'peft4j train' run directory)");
        }
        RunConfig config = RunConfig.read(run);
        requireSameModel(run, config);
    }

    void requireSameModel(Path runDirectory, RunConfig config) {
        if (model != null && !model.equals(config.model())) {
            throw new UserError(runDirectory + " was trained on model '" + config.model() + "', not '" + model
                    + "'; its adapter only fits that backbone (drop --model)");
        }
    }
}
