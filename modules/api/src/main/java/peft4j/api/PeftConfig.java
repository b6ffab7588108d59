package peft4j.api;

import java.util.Map;

/**
 * How an adapter is described in Hugging Face PEFT's {@code adapter_config.json}, for methods whose saved tensors
 * PEFT can load as they are. The writer adds the keys every PEFT config has ({@code base_model_name_or_path},
 * {@code inference_mode}, {@code revision}, {@code auto_mapping}).
 *
 * @param peftType e.g. {@code PROMPT_TUNING}, {@code PREFIX_TUNING}
 * @param taskType PEFT's task type for this backbone, see {@link #taskTypeFor}
 * @param fields   the method's own keys (num_virtual_tokens, token_dim, ...); values are JSON scalars or null
 */
public record PeftConfig(String peftType, String taskType, Map<String, Object> fields) {

    /**
     * The PEFT task type whose wrapper injects prompts the way peft4j does on this backbone: {@code SEQ_2_SEQ_LM} for
     * encoder-decoder models, {@code CAUSAL_LM} for GPT-2, and {@code FEATURE_EXTRACTION} for encoder-only models.
     * PEFT has no masked-LM task type; its feature-extraction wrapper prepends the prompt (prompt tuning) or passes
     * the prefixes as {@code past_key_values} (prefix tuning, which Hugging Face's {@code BertModel} accepts), while
     * {@code null} would select the bare {@code PeftModel}, whose forward ignores prompts altogether.
     */
    public static String taskTypeFor(BackboneSpec spec) {
        if (spec.decoderLayers() > 0) {
            return "SEQ_2_SEQ_LM";
        }
        return spec.architecture().equals("gpt2") ? "CAUSAL_LM" : "FEATURE_EXTRACTION";
    }

    /** PEFT's {@code num_transformer_submodules}: 2 for encoder-decoder models, else 1. */
    public static int transformerSubmodules(BackboneSpec spec) {
        return spec.decoderLayers() > 0 ? 2 : 1;
    }
}
