package peft4j.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import peft4j.api.AdaptationMethod;
import peft4j.api.Adapter;
import peft4j.api.Methods;
import peft4j.api.Progress;
import peft4j.api.UserError;
import peft4j.backbone.bert.TinyBert;
import peft4j.data.Example;
import peft4j.data.TaskDefinition;
import peft4j.data.TaskSplits;
import peft4j.data.Tasks;
import peft4j.train.head.ClozeHead;
import peft4j.train.run.Workbench;

/** One forward pass with a different adapter per row must give what each adapter gives alone. */
class MixedTaskPredictorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Workbench bench;
    private final List<Adapter> adapters = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        bench = Workbench.open(TinyBert.writeModel(tmp.resolve("tiny"), 3), "pytorch", "cpu");
    }

    @AfterEach
    void close() {
        adapters.forEach(Adapter::close);
        bench.close();
    }

    private static TaskSplits splits(TaskDefinition task) {
        List<Example> train = List.of(new Example("t0", "the movie is good", null, task.labels().get(1)),
                new Example("t1", "the movie is bad", null, task.labels().get(0)));
        return new TaskSplits(train, List.of(), List.of());
    }

    private MixedTaskPredictor.Member member(String key, String task, String method, ObjectNode config, long seed) {
        AdaptationMethod<?> m = Methods.require(method);
        TaskDefinition definition = Tasks.get(task);
        Adapter adapter = bench.attachUnchecked(m, m.readConfig(config), definition, splits(definition), seed);
        adapters.add(adapter);
        return new MixedTaskPredictor.Member(key, adapter, bench.head(definition, adapter.insertedPositions()));
    }

    private static ObjectNode randomPrompt(int length) {
        return JSON.createObjectNode().put("length", length).put("init", "random-uniform");
    }

    private List<MixedTaskPredictor.Member> fourMembers() {
        return List.of(
                member("short", "polarity", "prompt-tuning", randomPrompt(2), 1),
                member("long", "acceptability-lt", "prompt-tuning", randomPrompt(6), 2),
                member("front", "spam", "prompt-tuning",
                        JSON.createObjectNode().put("length", 4).put("placement", "front"), 3),
                member("design", "polarity", "prompt-design", JSON.createObjectNode(), 4));
    }

    private static List<MixedTaskPredictor.Request> requests(List<String> keys) {
        String[] texts = {"the cat sat on the mat", "i love the movie", "a very boring dog !", "he is not fun",
            "they play and run", "we sat", "the movie was great and very good , i love it", "boring"};
        List<MixedTaskPredictor.Request> out = new ArrayList<>();
        for (int i = 0; i < 13; i++) {
            out.add(new MixedTaskPredictor.Request(keys.get((i * 7 + i / 3) % keys.size()),
                    Example.unlabelled("x" + i, texts[i % texts.length])));
        }
        return out;
    }

    @Test
    void aMixedBatchEqualsEveryAdapterAlone() {
        List<MixedTaskPredictor.Member> members = fourMembers();
        MixedTaskPredictor predictor = new MixedTaskPredictor(bench.backbone(), bench.tokenizer().padId(), members, 8);
        List<MixedTaskPredictor.Request> requests = requests(members.stream().map(MixedTaskPredictor.Member::key)
                .toList());

        List<MixedTaskPredictor.Scored> mixed = predictor.predict(requests, Progress.SILENT);

        assertThat(requests.stream().map(MixedTaskPredictor.Request::member).distinct()).hasSize(4);
        for (int i = 0; i < requests.size(); i++) {
            MixedTaskPredictor.Member m = predictor.member(requests.get(i).member());
            float[] alone;
            try (NDScope scope = new NDScope()) {
                ClozeHead.Encoded encoded = m.head().encode(requests.get(i).example(), m.adapter());
                NDArray logits = m.head().labelLogits(bench.backbone(), m.adapter(), List.of(encoded),
                        bench.backbone().manager());
                alone = logits.toFloatArray();
            }
            assertThat(mixed.get(i).member()).isEqualTo(m.key());
            assertThat(mixed.get(i).labelLogits()).as("request %d (%s)", i, m.key()).hasSize(alone.length);
            for (int l = 0; l < alone.length; l++) {
                assertThat(mixed.get(i).labelLogits()[l]).as("request %d label %d", i, l)
                        .isCloseTo(alone[l], org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
    }

    @Test
    void differentPromptsReallyGiveDifferentScores() {
        List<MixedTaskPredictor.Member> members = List.of(
                member("a", "polarity", "prompt-tuning", randomPrompt(3), 5),
                member("b", "polarity", "prompt-tuning", randomPrompt(3), 6));
        MixedTaskPredictor predictor = new MixedTaskPredictor(bench.backbone(), bench.tokenizer().padId(), members, 4);
        Example same = Example.unlabelled("x", "the movie is good");
        List<MixedTaskPredictor.Scored> scored = predictor.predict(List.of(new MixedTaskPredictor.Request("a", same),
                new MixedTaskPredictor.Request("b", same)), Progress.SILENT);
        assertThat(scored.get(0).labelLogits()).isNotEqualTo(scored.get(1).labelLogits());
    }

    @Test
    void anUnknownAdapterNameIsAOneLineError() {
        MixedTaskPredictor predictor = new MixedTaskPredictor(bench.backbone(), bench.tokenizer().padId(),
                List.of(member("a", "polarity", "prompt-tuning", JSON.createObjectNode(), 1)), 4);
        assertThatThrownBy(() -> predictor.predict(List.of(new MixedTaskPredictor.Request("nope",
                Example.unlabelled("x", "good"))), Progress.SILENT))
                .isInstanceOf(UserError.class).hasMessage("no adapter named 'nope'; loaded: [a]");
    }

    @Test
    void anEnsembleScoresEveryMemberAsItScoresAloneAndVotes() {
        List<MixedTaskPredictor.Member> members = List.of(
                member("p1", "polarity", "prompt-tuning", randomPrompt(2), 11),
                member("p2", "polarity", "prompt-tuning", randomPrompt(3), 12),
                member("p3", "polarity", "prompt-tuning", randomPrompt(4), 13));
        MixedTaskPredictor predictor = new MixedTaskPredictor(bench.backbone(), bench.tokenizer().padId(), members, 6);
        List<Example> examples = new ArrayList<>();
        String[] texts = {"good", "bad", "i love the movie", "very boring", "the dog is fun", "not good", "terrible"};
        for (int i = 0; i < texts.length; i++) {
            examples.add(new Example("e" + i, texts[i], null, i % 2 == 0 ? "positive" : "negative"));
        }
        PromptEnsemble ensemble = new PromptEnsemble(predictor, List.of("p1", "p2", "p3"), Tasks.get("polarity"));

        PromptEnsemble.Result result = ensemble.evaluate("dev", examples, Progress.SILENT);

        for (int m = 0; m < 3; m++) {
            String key = "p" + (m + 1);
            List<MixedTaskPredictor.Scored> alone = new MixedTaskPredictor(bench.backbone(),
                    bench.tokenizer().padId(), List.of(predictor.member(key)), 1).predict(
                            examples.stream().map(e -> new MixedTaskPredictor.Request(key, e)).toList(),
                            Progress.SILENT);
            long correct = 0;
            for (int i = 0; i < examples.size(); i++) {
                if (List.of("negative", "positive").get(alone.get(i).predicted()).equals(examples.get(i).label())) {
                    correct++;
                }
            }
            assertThat(result.memberScores()[m]).isEqualTo((double) correct / examples.size());
        }
        assertThat(result.mean()).isEqualTo(java.util.Arrays.stream(result.memberScores()).average().orElseThrow());
        assertThat(result.best()).isEqualTo(java.util.Arrays.stream(result.memberScores()).max().orElseThrow());
        assertThat(result.majorityVote()).isBetween(0.0, 1.0);
    }

    @Test
    void majorityVoteBreaksTiesByProbability() {
        assertThat(PromptEnsemble.majority(new int[] {2, 1}, new double[] {0.1, 5})).isEqualTo(0);
        assertThat(PromptEnsemble.majority(new int[] {1, 1, 0}, new double[] {0.9, 1.1, 0})).isEqualTo(1);
        assertThat(PromptEnsemble.majority(new int[] {1, 1, 1}, new double[] {1, 0.5, 1.5})).isEqualTo(2);
    }

    @Test
    void anEnsembleOfRunsOnDifferentTasksIsRefused() {
        MixedTaskPredictor predictor = new MixedTaskPredictor(bench.backbone(), bench.tokenizer().padId(), List.of(
                member("a", "polarity", "prompt-tuning", JSON.createObjectNode(), 1),
                member("b", "spam", "prompt-tuning", JSON.createObjectNode(), 2)), 4);
        assertThatThrownBy(() -> new PromptEnsemble(predictor, List.of("a", "b"), Tasks.get("polarity")))
                .isInstanceOf(UserError.class).hasMessageContaining("run 'b' was trained on task spam");
    }
}
