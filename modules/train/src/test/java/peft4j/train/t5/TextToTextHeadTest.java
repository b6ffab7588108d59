package peft4j.train.t5;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import peft4j.api.Adapter;
import peft4j.api.ForwardHooks;
import peft4j.api.MethodConfig;
import peft4j.api.NamedTensor;
import peft4j.data.Example;
import peft4j.data.TaskDefinition;
import peft4j.data.Tasks;
import peft4j.train.head.TextToTextHead;
import peft4j.train.run.Workbench;

/** The text-to-text head on the golden tiny T5 with PEFT's tiny tokenizer: its input form, scores and loss agree. */
class TextToTextHeadTest {

    @TempDir
    Path tmp;

    private static final Adapter NONE = new Adapter() {
        public String methodName() {
            return "none";
        }

        public List<NamedTensor> trainableTensors() {
            return List.of();
        }

        public ForwardHooks hooks() {
            return ForwardHooks.NONE;
        }

        public MethodConfig config() {
            return null;
        }

        public void close() {
        }
    };

    @ParameterizedTest
    @ValueSource(strings = {"pytorch", "mxnet"})
    void encodesTheTextToTextInputAndScoresEachTargetByItsLikelihood(String engine) throws Exception {
        TaskDefinition task = Tasks.get("polarity");
        try (Workbench bench = Workbench.open(GoldenT5.modelWithTokenizer(tmp.resolve("t5")), engine, "cpu")) {
            TextToTextHead head = (TextToTextHead) bench.taskHead(task, 0);
            var tokenizer = bench.tokenizer();
            Example example = Example.of("e-1", "the boy found a good picture", "positive");
            TextToTextHead.Encoded encoded = head.encode(example, NONE);
            assertThat(encoded.ids()).containsExactly(tokenizer.ids("sentence: the boy found a good picture"));
            assertThat(encoded.ids()[encoded.ids().length - 1]).isEqualTo(1); // </s>
            assertThat(tokenizer.padId()).isZero().isEqualTo(bench.padId()).isEqualTo(head.padId());
            assertThat(encoded.label()).isEqualTo(1);
            // Label words are the targets without </s>; prompt text keeps it, as PEFT's TEXT init reads it.
            assertThat(head.labelWordIds().get(1)).containsExactly(tokenizer.id("▁positive"));
            assertThat(head.contentIds("good")).containsExactly(tokenizer.id("▁good"));
            assertThat(head.promptTextIds("good")).containsExactly(tokenizer.id("▁good"), 1);

            NDManager manager = bench.backbone().manager();
            float[] scores = head.labelScores(bench.backbone(), NONE, List.of(encoded), manager).toFloatArray();
            for (int label = 0; label < 2; label++) {
                // The loss is the mean over the target's tokens (the word and </s>), the score their sum.
                TextToTextHead.Encoded asLabel = new TextToTextHead.Encoded(encoded.ids(), label, null);
                float loss = head.loss(bench.backbone(), NONE, List.of(asLabel), manager).getFloat();
                assertThat(scores[label]).isCloseTo(-2 * loss, org.assertj.core.data.Offset.offset(1e-4f));
            }
            int[] generated = head.generatedLabels(bench.backbone(), NONE, List.of(encoded), manager).orElseThrow();
            assertThat(generated).hasSize(1);
            assertThat(generated[0]).isBetween(-1, 1);
        }
    }

    @Test
    void aTooLongInputLosesItsEndButKeepsTheEndOfSequence() throws Exception {
        try (Workbench bench = Workbench.open(GoldenT5.modelWithTokenizer(tmp.resolve("t5")), "pytorch", "cpu")) {
            TextToTextHead head = (TextToTextHead) bench.taskHead(Tasks.get("polarity"), 512 - 6);
            TextToTextHead.Encoded encoded = head.encode(Example.of("e-2", "the boy found a good picture", "positive"),
                    NONE);
            long[] full = bench.tokenizer().ids("sentence: the boy found a good picture");
            assertThat(encoded.ids()).hasSize(6);
            assertThat(java.util.Arrays.copyOf(encoded.ids(), 5)).containsExactly(java.util.Arrays.copyOf(full, 5));
            assertThat(encoded.ids()[5]).isEqualTo(1);
        }
    }

    @Test
    void targetsThatReadAsTheSameTokensAreRefused() throws Exception {
        // A vocabulary without "positive" and "negative": both targets would be <unk> </s>.
        Path model = peft4j.backbone.t5.RandomT5.write(tmp.resolve("random"), List.of("sentence", ":", "good"),
                new peft4j.backbone.t5.RandomT5.Size(16, 4, 32, 1, 2), 0);
        try (Workbench bench = Workbench.open(model, "pytorch", "cpu")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> bench.taskHead(Tasks.get("polarity"), 0))
                    .isInstanceOf(peft4j.api.UserError.class)
                    .hasMessage("task polarity: the targets of labels 'negative' and 'positive' are the same tokens in "
                            + "this vocabulary ([<unk>]), so no model could tell them apart; use a tokenizer that "
                            + "knows both targets");
        }
    }
}
