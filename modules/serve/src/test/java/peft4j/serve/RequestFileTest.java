package peft4j.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import peft4j.api.UserError;
import peft4j.backbone.bert.TinyBert;
import peft4j.backbone.tokenizer.BertTokenizer;
import peft4j.data.Tasks;
import peft4j.train.head.ClozeHead;

/** Request lines name a task (or an adapter); every mistake names the file and line. */
class RequestFileTest {

    @TempDir
    Path tmp;

    /** Members with a head for their task on a tiny vocabulary; RequestFile never touches the adapter. */
    private List<MixedTaskPredictor.Member> members(String... keysAndTasks) throws Exception {
        BertTokenizer tokenizer = BertTokenizer.load(TinyBert.writeModel(tmp.resolve("tiny"), 1));
        List<MixedTaskPredictor.Member> out = new java.util.ArrayList<>();
        for (int i = 0; i < keysAndTasks.length; i += 2) {
            out.add(new MixedTaskPredictor.Member(keysAndTasks[i], null,
                    new ClozeHead(Tasks.get(keysAndTasks[i + 1]), tokenizer, 24)));
        }
        return out;
    }

    private Path file(String... lines) throws Exception {
        return Files.write(tmp.resolve("in.jsonl"), List.of(lines));
    }

    @Test
    void linesResolveByTaskOrAdapterAndKeepPairs() throws Exception {
        List<MixedTaskPredictor.Request> requests = RequestFile.read(file(
                "{\"task\": \"polarity\", \"text\": \"great\"}", "",
                "{\"task\": \"paraphrase-bible\", \"text\": \"a\", \"text_pair\": \"b\"}",
                "{\"adapter\": \"pol\", \"text\": \"bad\"}"), members("pol", "polarity", "para", "paraphrase-bible"));
        assertThat(requests).extracting(MixedTaskPredictor.Request::member).containsExactly("pol", "para", "pol");
        assertThat(requests.get(1).example().textPair()).isEqualTo("b");
        assertThat(requests.get(2).example().id()).isEqualTo("line-4");
    }

    @Test
    void mistakesNameTheFileAndLine() throws Exception {
        List<MixedTaskPredictor.Member> members = members("a", "polarity", "b", "polarity", "c", "spam");
        String where = tmp.resolve("in.jsonl") + ":2: ";
        assertThatThrownBy(() -> RequestFile.read(file("{\"adapter\": \"a\", \"text\": \"x\"}", "{oops"), members))
                .isInstanceOf(UserError.class).hasMessageStartingWith(where + "not a JSON object");
        assertThatThrownBy(() -> RequestFile.read(file("", "{\"task\": \"polarity\", \"text\": \"x\"}"), members))
                .hasMessage(where + "task 'polarity' has several loaded adapters [a, b]; say which with \"adapter\"");
        assertThatThrownBy(() -> RequestFile.read(file("", "{\"task\": \"wic-wordnet\", \"text\": \"x\"}"), members))
                .hasMessage(where + "no loaded adapter was trained on task 'wic-wordnet'; loaded tasks: [polarity, spam]");
        assertThatThrownBy(() -> RequestFile.read(file("", "{\"task\": \"spam\"}"), members))
                .hasMessageContaining("each line needs a \"text\" string");
        assertThatThrownBy(() -> RequestFile.read(file("", "{\"adapter\": \"zz\", \"text\": \"x\"}"), members))
                .hasMessage(where + "no loaded adapter is called 'zz'; loaded: [a, b, c]");
        assertThatThrownBy(() -> RequestFile.read(file("", ""), members)).hasMessageContaining("has no requests");
        assertThatThrownBy(() -> RequestFile.read(tmp.resolve("missing.jsonl"), members))
                .hasMessageContaining("does not exist");
    }
}
