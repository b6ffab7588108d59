package peft4j.train.t5;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import peft4j.api.AdaptationMethod;
import peft4j.api.Adapter;
import peft4j.api.AttachContext;
import peft4j.api.Methods;
import peft4j.api.NamedTensor;
import peft4j.api.TaskContext;
import peft4j.api.io.Safetensors;
import peft4j.backbone.Engines;
import peft4j.backbone.t5.T5Model;
import peft4j.data.Example;
import peft4j.data.TaskSplits;
import peft4j.data.Tasks;
import peft4j.train.run.AdapterFiles;
import peft4j.train.run.Workbench;

/**
 * PEFT 0.6.2's own adapter directories (../shared/golden/peft-adapter-format) on the golden tiny T5: loaded through
 * {@link AdapterFiles}, they give the fixtures' logits; the TEXT-initialised one holds exactly the embedding rows of
 * its text's ids, and peft4j's text initialisation with the same tokenizer builds the same table.
 */
class PeftAdaptersOnT5Test {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void peftAdaptersGiveTheFixtureLogits() {
        try (NDManager manager = Engines.newManager("pytorch", "cpu");
                T5Model model = T5Model.load(GoldenT5.MODEL, manager)) {
            for (String[] pair : new String[][] {{"prompt_tuning_random", "t5-tiny-v1_1-prompt-tuning"},
                    {"prefix_tuning", "t5-tiny-v1_1-prefix-tuning"}}) {
                var io = GoldenT5.fixture(pair[1]);
                try (Adapter adapter = AdapterFiles.attach(GoldenT5.FORMAT.resolve(pair[0]), model,
                        new AttachContext(manager, 0, TaskContext.NONE))) {
                    GoldenT5.Pass pass = GoldenT5.forwardBackward(model, io, manager, adapter.hooks());
                    GoldenT5.assertClose("PEFT " + pair[0] + " logits", pass.logits().toFloatArray(),
                            io.floats("logits"), GoldenT5.LOGIT_ATOL, GoldenT5.LOGIT_RTOL);
                    GoldenT5.assertClose("PEFT " + pair[0] + " loss", pass.loss().toFloatArray(), io.floats("loss"),
                            GoldenT5.LOSS_ATOL, GoldenT5.LOSS_RTOL);
                }
            }
        }
    }

    @Test
    void textInitialisationReproducesPeftsTable() throws Exception {
        long[] textIds = {57, 4, 41, 2, 1};
        float[] peftTable = Safetensors.open(GoldenT5.FORMAT.resolve("prompt_tuning_text/adapter_model.safetensors"))
                .floats("prompt_embeddings");
        Path modelDir = GoldenT5.modelWithTokenizer(tmp.resolve("t5-tiny"));
        TaskSplits splits = new TaskSplits(List.of(Example.of("t-0", "a good day", "positive")), List.of(), List.of());
        AdaptationMethod<?> prompt = Methods.require("prompt-tuning");
        var config = prompt.readConfig(JSON.createObjectNode().put("length", 5)
                .put("init", "text:classify the review:"));
        try (Workbench bench = Workbench.open(modelDir, "pytorch", "cpu");
                Adapter adapter = bench.attachUnchecked(prompt, config, Tasks.get("polarity"), splits, 0)) {
            // PEFT tokenises with the special tokens: T5 appends </s> (id 1).
            assertThat(bench.tokenizer().ids("classify the review:")).containsExactly(textIds);
            float[] shared = bench.backbone().inputEmbeddings().toFloatArray();
            float[] rows = new float[10 * 64];
            for (int r = 0; r < 10; r++) {
                System.arraycopy(shared, (int) textIds[r % 5] * 64, rows, r * 64, 64);
            }
            assertThat(peftTable).as("PEFT's TEXT table = shared.weight rows of the text's ids").containsExactly(rows);
            NamedTensor saved = adapter.savedTensors().get(0);
            assertThat(saved.name()).isEqualTo("prompt_embeddings");
            assertThat(saved.array().getShape().getShape()).containsExactly(10, 64);
            assertThat(saved.array().toFloatArray()).containsExactly(peftTable);
            assertThat(Arrays.copyOf(adapter.trainableTensors().get(0).array().toFloatArray(), 5 * 64))
                    .containsExactly(Arrays.copyOf(peftTable, 5 * 64));
        }
    }
}
