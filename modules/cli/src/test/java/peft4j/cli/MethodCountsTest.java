package peft4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code peft4j methods --json}: every shipped method with its exact tunable-parameter count on BERT-base. */
class MethodCountsTest {

    @Test
    void methodsJsonListsEveryMethodWithItsExactCountOnBertBase() throws Exception {
        CliTest.Result result = CliTest.run("methods", "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        Map<String, Long> counts = new LinkedHashMap<>();
        for (JsonNode method : new ObjectMapper().readTree(result.out())) {
            counts.put(method.get("name").asText(), method.get("tunable_parameters").asLong());
        }
        assertThat(counts).containsEntry("prompt-design", 0L)
                .containsEntry("prompt-tuning", 20L * 768)                // 15,360
                .containsEntry("prefix-tuning", 12L * 2 * 20 * 768)       // 368,640
                .containsEntry("model-tuning", 109_514_298L);            // BertForMaskedLM, decoder tied
    }
}
