package peft4j.method.prefix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import peft4j.api.AttentionStack;
import peft4j.api.BackboneSpec;
import peft4j.api.UserError;
import peft4j.api.io.Safetensors;
import peft4j.backbone.bert.BertConfig;

/**
 * PEFT 0.6.2's prefix table layout for T5 against ../shared/golden/t5-tiny-v1_1-prefix-tuning: the table
 * {@code [3, 256]} cut into per-layer keys and values must give exactly the {@code past_key_values} PEFT's
 * {@code get_prompt} returned. No T5 model is needed: the layout is a pure function of the table.
 */
class PeftPrefixLayoutGoldenTest {

    private static final Path GOLDEN = Path.of(System.getProperty("peft4j.golden", "../shared/golden"));
    /** t5-tiny-v1_1: d_model 64, 2 + 2 layers, 4 heads of 16. */
    static final BackboneSpec T5_TINY = new BackboneSpec("t5", 128, 64, 2, 2, 4, 16, 512, 0);
    private static final String[] ENTRIES = {"self_key", "self_value", "cross_key", "cross_value"};

    @Test
    void tableSlotsAreExactlyPeftsPastKeyValues() {
        Safetensors io = Safetensors.open(GOLDEN.resolve("t5-tiny-v1_1-prefix-tuning/io.safetensors"));
        float[] table = io.floats("peft_prefix_embedding");
        PrefixTuningConfig compat = new PrefixTuningConfig(3, null, null, null, null, true);
        PrefixLayout layout = PrefixLayout.of(T5_TINY, compat);
        assertThat(layout.width()).isEqualTo(256);
        int compared = 0;
        for (int layer = 0; layer < 2; layer++) {
            for (int k = 0; k < 4; k++) {
                String name = "past_key_values." + layer + "." + k + "." + ENTRIES[k];
                float[] golden = io.floats(name);
                float[] ours = layout.slotValues(table, 3, PrefixLayout.peftSeq2SeqSlot(2, layer, k));
                // The golden is [batch 2, heads, 3, 16]: the same prefix for both rows.
                assertThat(Arrays.copyOfRange(golden, 0, ours.length)).as(name).containsExactly(ours);
                assertThat(Arrays.copyOfRange(golden, ours.length, golden.length)).as(name).containsExactly(ours);
                compared++;
            }
            // The decoder's self-attention takes entries 0 and 1; the encoder gets nothing.
            assertThat(layout.keySlot(AttentionStack.DECODER, layer)).isEqualTo(PrefixLayout.peftSeq2SeqSlot(2, layer, 0));
            assertThat(layout.valueSlot(AttentionStack.DECODER, layer)).isEqualTo(PrefixLayout.peftSeq2SeqSlot(2, layer, 1));
            assertThat(layout.keySlot(AttentionStack.INPUT, layer)).isEqualTo(-1);
        }
        assertThat(compared).isEqualTo(8);
        // With two layers both decoder layers read slots 0 and 1, as the fixture's README derives.
        assertThat(layout.keySlot(AttentionStack.DECODER, 1)).isZero();
        assertThat(layout.valueSlot(AttentionStack.DECODER, 1)).isEqualTo(1);
        // The golden gradient is zero on the cross slots 2 and 3, which nothing reads.
        float[] gradient = io.floats("grad_peft_prefix_embedding");
        for (int p = 0; p < 3; p++) {
            for (int c = 128; c < 256; c++) {
                assertThat(gradient[p * 256 + c]).isZero();
            }
        }
    }

    @Test
    void theDefaultLayoutPrefixesBothStacksWithOwnSlots() {
        PrefixLayout layout = PrefixLayout.of(T5_TINY, PrefixTuningConfig.defaults());
        assertThat(layout.slots()).isEqualTo(8);
        assertThat(layout.keySlot(AttentionStack.INPUT, 1)).isEqualTo(2);
        assertThat(layout.valueSlot(AttentionStack.DECODER, 0)).isEqualTo(5);
        assertThat(layout.keySlot(AttentionStack.DECODER, 1)).isEqualTo(6);
    }

    @Test
    void peftsAdapterConfigGivesTheCompatibleConfigOrAClearMismatch() throws Exception {
        JsonNode config = new ObjectMapper().readTree(GOLDEN.resolve("peft-adapter-format/prefix_tuning/adapter_config.json")
                .toFile());
        PrefixTuning method = new PrefixTuning();
        PrefixTuningConfig read = method.configFromPeft(config, T5_TINY).orElseThrow();
        assertThat(read.length()).isEqualTo(3);
        assertThat(read.peftCompat()).isTrue();
        assertThat(read.reparameterize()).isFalse();
        assertThat(method.tunableParameterCount(T5_TINY, read)).isEqualTo(3 * 256);
        BackboneSpec bertBase = BertConfig.of(30522, 768, 12, 12, 3072, 512).spec();
        assertThatThrownBy(() -> method.configFromPeft(config, bertBase)).isInstanceOf(UserError.class)
                .hasMessageContaining("token_dim 64").hasMessageContaining("768").hasMessageNotContaining("\n");
        assertThat(method.configFromPeft(new ObjectMapper().createObjectNode().put("peft_type", "PROMPT_TUNING"),
                T5_TINY)).isEmpty();
    }
}
