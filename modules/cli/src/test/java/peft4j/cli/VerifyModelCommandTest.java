package peft4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import peft4j.api.io.Safetensors;
import peft4j.api.io.SafetensorsWriter;

/**
 * {@code peft4j verify-model} as a user runs it: every golden folder with a model (and the T5 prompt/prefix folders
 * against their base model) passes on both engines; wrong directories and files are one-line errors.
 */
class VerifyModelCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static Path golden(String folder) {
        return Path.of(System.getProperty("peft4j.golden", "../shared/golden")).resolve(folder);
    }

    private static Path gpt2() {
        return golden("gpt2-tiny");
    }

    private static CliTest.Result verify(Path model, Path io, String... more) {
        String[] args = new String[5 + more.length];
        args[0] = "verify-model";
        args[1] = "--model";
        args[2] = model.toString();
        args[3] = "--io";
        args[4] = io.toString();
        System.arraycopy(more, 0, args, 5, more.length);
        return CliTest.run(args);
    }

    @ParameterizedTest(name = "{1} with {0} on {2}")
    @CsvSource({
            "gpt2-tiny, gpt2-tiny, pytorch, 6",
            "gpt2-tiny, gpt2-tiny, mxnet, 6",
            "t5-tiny-v1_0, t5-tiny-v1_0, pytorch, 13",
            "t5-tiny-v1_0, t5-tiny-v1_0, mxnet, 13",
            "t5-tiny-v1_1, t5-tiny-v1_1, pytorch, 13",
            "t5-tiny-v1_1, t5-tiny-v1_1, mxnet, 13",
            "t5-tiny-v1_1, t5-tiny-v1_1-prompt-tuning, pytorch, 9",
            "t5-tiny-v1_1, t5-tiny-v1_1-prompt-tuning, mxnet, 9",
            "t5-tiny-v1_1, t5-tiny-v1_1-prefix-tuning, pytorch, 13",
            "t5-tiny-v1_1, t5-tiny-v1_1-prefix-tuning, mxnet, 13",
            "t5-tiny-v1_1, t5-tiny-v1_1-prefix-tuning-encdec-variant, pytorch, 8",
            "t5-tiny-v1_1, t5-tiny-v1_1-prefix-tuning-encdec-variant, mxnet, 8"})
    void everyGoldenFolderPassesOnBothEngines(String model, String fixture, String engine, int compared) {
        CliTest.Result result = verify(golden(model), golden(fixture).resolve("io.safetensors"), "--engine", engine);
        System.out.print(fixture + " [" + engine + "]\n" + result.out());
        assertThat(result.exitCode()).as(result.err() + result.out()).isZero();
        assertThat(result.out().lines().filter(l -> l.contains("max|a-b|"))).hasSize(compared)
                .allSatisfy(line -> assertThat(line).endsWith("ok"));
        assertThat(result.out()).contains("logits", "loss", "not checked (no rule for these names): none",
                compared + " tensors compared on " + engine + ", all within tolerance");
    }

    @Test
    void theGpt2ReportNamesItsTensorsAndInputs() {
        CliTest.Result result = verify(gpt2(), gpt2().resolve("io.safetensors"));
        assertThat(result.out()).contains("hidden_states.0", "hidden_states.2", "last_hidden_state",
                "inputs: attention_mask, input_ids, labels");
    }

    @Test
    void theT5PrefixReportComparesPeftsPastKeyValuesAndTheGradient() {
        CliTest.Result result = verify(golden("t5-tiny-v1_1"),
                golden("t5-tiny-v1_1-prefix-tuning").resolve("io.safetensors"));
        assertThat(result.out()).contains("past_key_values.1.0.self_key", "grad_peft_prefix_embedding",
                "encoder_last_hidden_state", "inputs: ").contains("peft_prefix_embedding");
    }

    /** Copies {@code io}'s tensors, each passed through {@code edit} (name, values) first, to a new file. */
    private Path rewrittenIo(Path io, BiFunction<String, Object, Object> edit) throws IOException {
        Safetensors golden = Safetensors.open(io);
        Map<String, SafetensorsWriter.Tensor> tensors = new LinkedHashMap<>();
        for (var info : golden.tensors().values()) {
            if (info.dtype().equals("I64")) {
                long[] values = (long[]) edit.apply(info.name(), golden.longs(info.name()));
                tensors.put(info.name(), SafetensorsWriter.Tensor.ofLongs(values, info.shape()));
            } else {
                float[] values = (float[]) edit.apply(info.name(), golden.floats(info.name()));
                tensors.put(info.name(), SafetensorsWriter.Tensor.ofFloats(values, info.shape()));
            }
        }
        Path file = Files.createTempFile(tmp, "io", ".safetensors");
        SafetensorsWriter.write(file, tensors, Map.of());
        return file;
    }

    @Test
    void aReferenceThatDisagreesFailsWithExitCode1() throws Exception {
        Path io = rewrittenIo(gpt2().resolve("io.safetensors"), (name, values) -> {
            if (name.equals("logits")) {
                ((float[]) values)[7] += 0.01f;
            }
            return values;
        });
        CliTest.Result result = verify(gpt2(), io);
        assertThat(result.exitCode()).isEqualTo(VerifyModelCommand.MISMATCH);
        assertThat(result.out().lines().filter(l -> l.contains("FAIL"))).singleElement().asString()
                .startsWith("logits");
        assertThat(result.out()).contains("1 outside tolerance");
    }

    @Test
    void tensorsWithoutARuleAreListedAndAFileWithNothingToCompareIsAnError() throws Exception {
        Path extra = Files.createTempFile(tmp, "extra", ".safetensors");
        Safetensors golden = Safetensors.open(golden("t5-tiny-v1_1").resolve("io.safetensors"));
        Map<String, SafetensorsWriter.Tensor> tensors = new LinkedHashMap<>();
        for (String name : new String[] {"input_ids", "attention_mask", "labels"}) {
            tensors.put(name, SafetensorsWriter.Tensor.ofLongs(golden.longs(name), golden.info(name).shape()));
        }
        tensors.put("attentions.0", SafetensorsWriter.Tensor.ofFloats(new float[4], 2, 2));
        SafetensorsWriter.write(extra, tensors, Map.of());
        assertOneLineError(verify(golden("t5-tiny-v1_1"), extra), "holds no reference tensor");
        assertThat(verify(golden("t5-tiny-v1_1"), extra).err()).contains("not checked: attentions.0");

        tensors.put("loss", SafetensorsWriter.Tensor.ofFloats(golden.floats("loss"), 1));
        SafetensorsWriter.write(extra, tensors, Map.of());
        CliTest.Result result = verify(golden("t5-tiny-v1_1"), extra);
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("not checked (no rule for these names): attentions.0",
                "1 tensors compared");
    }

    private static void assertOneLineError(CliTest.Result result, String... fragments) {
        assertThat(result.exitCode()).as(result.err() + result.out()).isEqualTo(Main.USER_ERROR);
        assertThat(result.err().lines()).as(result.err()).hasSize(1);
        assertThat(result.err()).startsWith("peft4j: error: ").doesNotContain("Exception");
        for (String fragment : fragments) {
            assertThat(result.err()).contains(fragment);
        }
    }

    @Test
    void badPathsAreOneLineErrors() {
        String io = gpt2().resolve("io.safetensors").toString();
        for (String[] args : new String[][] {
                {"verify-model", "--model", tmp.resolve("absent").toString(), "--io", io},
                {"verify-model", "--model", gpt2().toString(), "--io", tmp.resolve("absent.safetensors").toString()},
                {"verify-model", "--model", tmp.toString(), "--io", io},
                {"verify-model", "--model", gpt2().toString()},
                {"verify-model", "--model", gpt2().toString(), "--io", io, "--engine", "tensorflow"}}) {
            assertOneLineError(CliTest.run(args));
        }
    }

    /** A copy of a golden model directory whose config.json went through {@code edit}. */
    private Path modelCopy(String folder, java.util.function.Consumer<ObjectNode> edit) throws IOException {
        Path dir = Files.createTempDirectory(tmp, folder);
        ObjectNode config = (ObjectNode) JSON.readTree(golden(folder).resolve("config.json").toFile());
        edit.accept(config);
        JSON.writeValue(dir.resolve("config.json").toFile(), config);
        Files.copy(golden(folder).resolve("model.safetensors"), dir.resolve("model.safetensors"));
        return dir;
    }

    /** Rewrites the copy's weights: drops {@code dropped}, and gives {@code reshaped} a transposed shape. */
    private static void rewriteWeights(Path dir, String dropped, String reshaped) throws IOException {
        Path file = dir.resolve("model.safetensors");
        Safetensors weights = Safetensors.open(file);
        Map<String, SafetensorsWriter.Tensor> tensors = new LinkedHashMap<>();
        for (var info : weights.tensors().values()) {
            long[] shape = info.shape();
            if (info.name().equals(dropped)) {
                continue;
            }
            if (info.name().equals(reshaped)) {
                shape = new long[] {shape[1], shape[0]};
            }
            tensors.put(info.name(), SafetensorsWriter.Tensor.ofFloats(weights.floats(info.name()), shape));
        }
        Path rewritten = dir.resolve("rewritten.safetensors");
        SafetensorsWriter.write(rewritten, tensors, Map.of());
        Files.move(rewritten, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void anUnknownFeedForwardProjIsAOneLineError() throws Exception {
        // Without dense_act_fn, which (as in Hugging Face) would override what feed_forward_proj says.
        Path dir = modelCopy("t5-tiny-v1_1", config -> {
            config.put("feed_forward_proj", "gated-mish");
            config.remove("dense_act_fn");
        });
        Path io = golden("t5-tiny-v1_1").resolve("io.safetensors");
        assertOneLineError(verify(dir, io), "feed_forward_proj 'gated-mish' is not supported");
        Path malformed = modelCopy("t5-tiny-v1_1", config -> config.put("feed_forward_proj", "gated-gelu-fast"));
        assertOneLineError(verify(malformed, io), "feed_forward_proj 'gated-gelu-fast' is not supported");
    }

    @Test
    void aMissingTensorIsAOneLineErrorNamingIt() throws Exception {
        Path dir = modelCopy("t5-tiny-v1_1", config -> { });
        rewriteWeights(dir, "decoder.block.1.layer.2.DenseReluDense.wo.weight", null);
        assertOneLineError(verify(dir, golden("t5-tiny-v1_1").resolve("io.safetensors")), "lacks 1 tensor(s)",
                "decoder.block.1.layer.2.DenseReluDense.wo.weight");
        Path gpt2 = modelCopy("gpt2-tiny", config -> { });
        rewriteWeights(gpt2, "transformer.h.1.mlp.c_proj.weight", null);
        assertOneLineError(verify(gpt2, gpt2().resolve("io.safetensors")), "transformer.h.1.mlp.c_proj.weight");
    }

    @Test
    void aShapeMismatchIsAOneLineError() throws Exception {
        Path dir = modelCopy("t5-tiny-v1_1", config -> { });
        rewriteWeights(dir, null, "encoder.block.0.layer.1.DenseReluDense.wo.weight");
        assertOneLineError(verify(dir, golden("t5-tiny-v1_1").resolve("io.safetensors")),
                "encoder.block.0.layer.1.DenseReluDense.wo.weight", "(128, 64)", "(64, 128)");
        Path gpt2 = modelCopy("gpt2-tiny", config -> config.put("n_inner", 128));
        assertOneLineError(verify(gpt2, gpt2().resolve("io.safetensors")), "shape");
    }

    @Test
    void inputIdsBeyondTheVocabularyAreAOneLineError() throws Exception {
        Path io = rewrittenIo(golden("t5-tiny-v1_1").resolve("io.safetensors"), (name, values) -> {
            if (name.equals("input_ids")) {
                ((long[]) values)[3] = 32099;
            }
            return values;
        });
        assertOneLineError(verify(golden("t5-tiny-v1_1"), io), "input_ids holds id 32099", "128 entries");
        Path gpt2Io = rewrittenIo(gpt2().resolve("io.safetensors"), (name, values) -> {
            if (name.equals("input_ids")) {
                ((long[]) values)[0] = 50256;
            }
            return values;
        });
        assertOneLineError(verify(gpt2(), gpt2Io), "input_ids holds id 50256");
    }

    @Test
    void aTokenizerWithMoreIdsThanTheModelIsRefusedOnLoad() throws Exception {
        Path tokenizer = golden("peft-adapter-format").resolve("tiny-t5-tokenizer");
        Path dir = modelCopy("t5-tiny-v1_1", config -> { });
        Files.copy(tokenizer.resolve("spiece.model"), dir.resolve("spiece.model"));
        // 128 pieces and no extra ids: the tokenizer fits the 128-row table.
        Files.copy(tokenizer.resolve("tokenizer_config.json"), dir.resolve("tokenizer_config.json"));
        Path io = golden("t5-tiny-v1_1").resolve("io.safetensors");
        assertThat(verify(dir, io).exitCode()).isZero();
        // Hugging Face's default of 100 extra ids makes 228.
        Files.delete(dir.resolve("tokenizer_config.json"));
        assertOneLineError(verify(dir, io), "228 ids", "vocab_size is 128");

        Path gpt2 = modelCopy("gpt2-tiny", config -> { });
        StringBuilder vocab = new StringBuilder("{");
        for (int id = 0; id < 200; id++) {
            vocab.append(id == 0 ? "" : ", ").append("\"t").append(id).append("\": ").append(id);
        }
        Files.writeString(gpt2.resolve("vocab.json"), vocab.append('}'));
        Files.writeString(gpt2.resolve("merges.txt"), "#version: 0.2\n");
        assertOneLineError(verify(gpt2, gpt2().resolve("io.safetensors")), "200 ids", "vocab_size is 128");
    }
}
