package peft4j.backbone.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import peft4j.api.UserError;
import peft4j.api.io.Safetensors;
import peft4j.api.io.SafetensorsWriter;
import peft4j.backbone.Engines;
import peft4j.backbone.Golden;

/** Dispatch by model type, a failing comparison when the weights are off, and the errors of bad input. */
class GoldenChecksTest {

    @TempDir
    Path tmp;

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = Engines.newManager("pytorch", "cpu");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static Path gpt2() {
        return Golden.dir("gpt2-tiny");
    }

    @Test
    void gpt2IsDispatchedByModelTypeAndPasses() {
        Verification result = GoldenChecks.run(gpt2(), gpt2().resolve("io.safetensors"), manager);
        assertThat(result.compared()).hasSize(6).allSatisfy(c -> assertThat(c.ok()).as(c.line()).isTrue());
        assertThat(result.inputs()).containsExactlyInAnyOrder("input_ids", "attention_mask", "labels");
        assertThat(result.unchecked()).isEmpty();
        assertThat(GoldenChecks.modelTypes()).contains("gpt2", "t5");
    }

    @Test
    void slightlyWrongWeightsFailTheCheck() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("off"));
        Files.copy(gpt2().resolve("config.json"), dir.resolve("config.json"));
        Safetensors source = Safetensors.open(gpt2().resolve("model.safetensors"));
        Map<String, SafetensorsWriter.Tensor> tensors = new LinkedHashMap<>();
        for (var info : source.tensors().values()) {
            float[] values = source.floats(info.name());
            if (info.name().equals("transformer.ln_f.bias")) {
                values[0] += 1e-3f;
            }
            tensors.put(info.name(), SafetensorsWriter.Tensor.ofFloats(values, info.shape()));
        }
        SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors, Map.of());
        Map<String, TensorComparison> byName = new LinkedHashMap<>();
        GoldenChecks.run(dir, gpt2().resolve("io.safetensors"), manager).compared().forEach(c -> byName.put(c.name(), c));
        assertThat(byName.get("hidden_states.1").ok()).isTrue();
        assertThat(byName.get("last_hidden_state").ok()).isFalse();
        assertThat(byName.get("last_hidden_state").maxAbsDiff()).isBetween(0.9e-3, 1.1e-3);
        assertThat(byName.get("last_hidden_state").line()).contains("FAIL");
    }

    @Test
    void shapesThatDifferFailWithANote() {
        TensorComparison c = TensorComparison.of("logits", new float[4], new long[] {2, 2}, new float[4],
                new long[] {4}, new Tolerance(1e-4, 1e-4));
        assertThat(c.ok()).isFalse();
        assertThat(c.line()).contains("FAIL").contains("shape [2, 2] but the reference has [4]");
    }

    @Test
    void badInputIsAOneLineError() throws Exception {
        Path io = gpt2().resolve("io.safetensors");
        assertThatThrownBy(() -> GoldenChecks.run(tmp.resolve("absent"), io, manager)).isInstanceOf(UserError.class)
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> GoldenChecks.run(gpt2(), tmp.resolve("absent.safetensors"), manager))
                .isInstanceOf(UserError.class).hasMessageContaining("does not exist");
        Files.writeString(tmp.resolve("config.json"), "{\"model_type\": \"llama\"}");
        assertThatThrownBy(() -> GoldenChecks.run(tmp, io, manager)).isInstanceOf(UserError.class)
                .hasMessageContaining("model_type 'llama'").hasMessageContaining("gpt2");
        Path onlyIds = tmp.resolve("ids.safetensors");
        SafetensorsWriter.write(onlyIds, Map.of("input_ids", SafetensorsWriter.Tensor.ofLongs(new long[] {1, 2}, 1, 2)),
                Map.of());
        assertThatThrownBy(() -> GoldenChecks.run(gpt2(), onlyIds, manager)).isInstanceOf(UserError.class)
                .hasMessageContaining("holds no reference tensor");
    }
}
