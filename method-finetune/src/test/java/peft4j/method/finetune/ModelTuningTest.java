package peft4j.method.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import peft4j.api.Adapter;
import peft4j.api.NamedTensor;
import peft4j.api.Progress;
import peft4j.api.UserError;
import peft4j.api.io.Safetensors;
import peft4j.backbone.bert.BertConfig;
import peft4j.backbone.bert.BertWeights;
import peft4j.backbone.bert.TinyBert;
import peft4j.data.Example;
import peft4j.data.TaskDefinition;
import peft4j.data.TaskSplits;
import peft4j.data.Tasks;
import peft4j.train.head.ClozeHead;
import peft4j.train.run.AdapterFiles;
import peft4j.train.run.RunDirectory;
import peft4j.train.run.TrainSettings;
import peft4j.train.run.Trainer;
import peft4j.train.run.Workbench;

/** Model tuning on a tiny random BERT: every weight trains, and the result is a model directory of its own. */
class ModelTuningTest {

    private final TaskDefinition task = Tasks.get("polarity");

    @TempDir
    Path tmp;

    @Test
    void countsEveryBackboneWeightAndDefaultsToAdamW() {
        ModelTuning method = new ModelTuning();
        var bertBase = BertConfig.of(30522, 768, 12, 12, 3072, 512).spec();
        assertThat(method.tunableParameterCount(bertBase, method.defaultConfig())).isEqualTo(109_514_298L)
                .isEqualTo(bertBase.parameterCount());
        assertThat(method.trainingDefaults().optimizer()).isEqualTo("adamw");
        assertThat(method.trainingDefaults().learningRate()).isEqualTo(3e-5);
        assertThat(method.summary()).contains("changes the backbone");
        assertThat(method.readConfig(new ObjectMapper().createObjectNode())).isEqualTo(new ModelTuningConfig());
        assertThatThrownBy(() -> method.readConfig(new ObjectMapper().createObjectNode().put("length", 3)))
                .isInstanceOf(UserError.class).hasMessageContaining("no setting 'length'");
    }

    @Test
    void trainsTheBackbonesOwnWeightsAndSavesAModelThatLoadsAsABackbone() throws Exception {
        Path base = TinyBert.writeModel(tmp.resolve("base"), 3);
        byte[] baseWeights = Files.readAllBytes(base.resolve("model.safetensors"));
        RunDirectory run = new RunDirectory(tmp.resolve("run"), base);
        TaskSplits splits = splits();
        Map<String, float[]> trained = new java.util.HashMap<>();
        try (Workbench bench = Workbench.open(base, "pytorch", "cpu")) {
            var weights = bench.backbone().weights();
            try (Adapter adapter = bench.attach(new ModelTuning(), new ModelTuningConfig(), task, splits, 5)) {
                assertThat(adapter.replacesBackboneWeights()).isTrue();
                assertThat(adapter.trainableTensors()).extracting(NamedTensor::name)
                        .containsExactlyElementsOf(weights.keySet());
                for (NamedTensor t : adapter.trainableTensors()) {
                    assertThat(t.array()).isSameAs(weights.get(t.name()));
                }
                assertThat(adapter.tunableParameterCount()).isEqualTo(bench.backbone().spec().parameterCount());
                ClozeHead head = bench.head(task, 0);
                new Trainer(bench.backbone(), adapter, head, new TrainSettings(3, 8, 3, 0, 5, "adamw", 1e-3, 0, 0),
                        run, Progress.Factory.SILENT).train(encode(head, adapter, splits.train()),
                        encode(head, adapter, splits.dev()), Map.of("task", "polarity", "model", base.toString()),
                        false);
                weights.forEach((name, array) -> trained.put(name, array.toFloatArray()));
            }
            // Closed: the weights no longer record gradients, so frozen-backbone methods attach as before.
            weights.values().forEach(w -> assertThat(w.hasGradient()).isFalse());
        }
        assertThat(Files.readAllBytes(base.resolve("model.safetensors"))).as("the base model on disk")
                .isEqualTo(baseWeights);
        Path saved = run.adapterDirectory();
        assertThat(Files.readString(saved.resolve("config.json"))).isEqualTo(Files.readString(base.resolve("config.json")));
        assertThat(Files.readAllLines(saved.resolve("vocab.txt"))).isEqualTo(TinyBert.VOCAB);
        assertThat(saved.resolve("adapter_model.safetensors")).doesNotExist();
        assertThat(Safetensors.open(saved.resolve("model.safetensors")).tensors().keySet())
                .containsExactlyInAnyOrderElementsOf(BertWeights.maskedLmNames(TinyBert.CONFIG.layers()));
        assertThat(new ObjectMapper().readTree(saved.resolve("peft4j.json").toFile()).path("method").asText())
                .isEqualTo("model-tuning");
        assertThat(AdapterFiles.holdsModel(saved)).isTrue();
        try (Workbench reopened = Workbench.open(saved, "pytorch", "cpu")) {
            reopened.backbone().weights().forEach((name, array) ->
                    assertThat(array.toFloatArray()).as(name).containsExactly(trained.get(name)));
            float[] baseEmbeddings = Safetensors.open(base.resolve("model.safetensors"))
                    .floats(BertWeights.WORD_EMBEDDINGS);
            assertThat(reopened.backbone().inputEmbeddings().toFloatArray()).isNotEqualTo(baseEmbeddings);
        }
    }

    private static List<ClozeHead.Encoded> encode(ClozeHead head, Adapter adapter, List<Example> examples) {
        return examples.stream().map(e -> head.encode(e, adapter)).toList();
    }

    private static TaskSplits splits() {
        List<Example> train = new java.util.ArrayList<>();
        String[][] words = {{"good", "fun", "love"}, {"bad", "boring"}};
        for (int i = 0; i < 16; i++) {
            boolean positive = i % 2 == 0;
            String word = words[positive ? 0 : 1][i % words[positive ? 0 : 1].length];
            train.add(new Example("e" + i, "the movie is " + word + " .", null, positive ? "positive" : "negative"));
        }
        return new TaskSplits(train, train.subList(0, 6), train.subList(6, 10));
    }

}
