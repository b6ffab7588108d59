package peft4j.train.head;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import peft4j.api.Adapter;
import peft4j.api.ForwardHooks;
import peft4j.api.MethodConfig;
import peft4j.api.NamedTensor;
import peft4j.backbone.bert.TinyBert;
import peft4j.backbone.tokenizer.BertTokenizer;
import peft4j.data.Example;
import peft4j.data.Tasks;

class ClozeHeadTest {

    @TempDir
    Path tmp;

    /** An adapter that changes nothing, or prepends a text. */
    private static Adapter plain(String prefix) {
        return new Adapter() {
            public String methodName() {
                return "plain";
            }

            public List<NamedTensor> trainableTensors() {
                return List.of();
            }

            public ForwardHooks hooks() {
                return ForwardHooks.NONE;
            }

            public String transformText(String text) {
                return prefix + text;
            }

            public MethodConfig config() {
                return null;
            }

            public void close() {
            }
        };
    }

    @Test
    void fillsTheTemplateAndFindsTheMaskAndLabel() throws Exception {
        try (BertTokenizer tokenizer = BertTokenizer.load(TinyBert.writeModel(tmp, 1))) {
            ClozeHead head = new ClozeHead(Tasks.get("polarity"), tokenizer, 24);
            ClozeHead.Encoded e = head.encode(new Example("x", "a good movie", null, "positive"), plain(""));
            assertThat(String.join(" ", e.tokens().tokens())).isEqualTo("[CLS] a good movie it was [MASK] . [SEP]");
            assertThat(e.maskPosition()).isEqualTo(6);
            assertThat(e.label()).isEqualTo(Tasks.get("polarity").labels().indexOf("positive"));
            assertThat(head.labelWordIds()).hasSize(2);
            assertThat(e.group()).isNull();
        }
    }

    @Test
    void keepsTheQuestionGroupOfAnAnswerOption() throws Exception {
        try (BertTokenizer tokenizer = BertTokenizer.load(TinyBert.writeModel(tmp, 1))) {
            ClozeHead head = new ClozeHead(Tasks.get("polarity"), tokenizer, 24);
            Example.Group group = new Example.Group("q1", "a dog", List.of("a dog", "the cat"));
            ClozeHead.Encoded e = head.encode(new Example("x", "a good movie", null, "positive", group), plain(""));
            assertThat(e.group()).isSameAs(group);
        }
    }

    @Test
    void tooLongInputsLoseTheirStartAndKeepTheMask() throws Exception {
        try (BertTokenizer tokenizer = BertTokenizer.load(TinyBert.writeModel(tmp, 1))) {
            ClozeHead head = new ClozeHead(Tasks.get("polarity"), tokenizer, 10);
            ClozeHead.Encoded e = head.encode(new Example("x", "the dog and the cat play and run", null, "negative"),
                    plain("we love you . "));
            assertThat(e.tokens().length()).isEqualTo(10);
            assertThat(e.tokens().tokens()[0]).isEqualTo("[CLS]");
            assertThat(e.tokens().tokens()[e.maskPosition()]).isEqualTo("[MASK]");
            assertThat(e.tokens().tokens()[9]).isEqualTo("[SEP]");
        }
    }
}
