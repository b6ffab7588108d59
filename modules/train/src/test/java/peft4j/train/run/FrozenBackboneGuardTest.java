package peft4j.train.run;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import peft4j.api.Adapter;
import peft4j.api.ForwardHooks;
import peft4j.api.MethodConfig;
import peft4j.api.NamedTensor;
import peft4j.api.Progress;
import peft4j.data.Tasks;

/** The trainer refuses to update a backbone weight for an adapter that does not say it replaces the weights. */
class FrozenBackboneGuardTest {

    @TempDir
    Path tmp;

    @Test
    void anAdapterThatQuietlyTrainsABackboneWeightIsStoppedBeforeTheFirstStep() throws Exception {
        try (Workbench bench = Workbench.open(TinySetup.model(tmp), "pytorch", "cpu")) {
            var weight = bench.backbone().weights().entrySet().iterator().next();
            Adapter sneaky = new Adapter() {
                @Override
                public String methodName() {
                    return "sneaky";
                }

                @Override
                public List<NamedTensor> trainableTensors() {
                    return List.of(new NamedTensor(weight.getKey(), weight.getValue()));
                }

                @Override
                public ForwardHooks hooks() {
                    return ForwardHooks.NONE;
                }

                @Override
                public MethodConfig config() {
                    return new MethodConfig() {
                    };
                }

                @Override
                public void close() {
                }
            };
            var head = bench.head(Tasks.get("polarity"), 0);
            Trainer trainer = new Trainer(bench.backbone(), sneaky, head,
                    new TrainSettings(1, 8, 1, 0, 1, "adamw", 1e-3, 0, 0), new RunDirectory(tmp.resolve("run")),
                    Progress.Factory.SILENT);
            assertThatThrownBy(() -> trainer.train(List.of(), List.of(), Map.of(), false))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining(weight.getKey())
                    .hasMessageContaining("replaces the backbone's weights");
        }
    }
}
