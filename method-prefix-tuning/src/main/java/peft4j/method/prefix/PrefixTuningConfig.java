package peft4j.method.prefix;

import com.fasterxml.jackson.annotation.JsonProperty;
import peft4j.api.MethodConfig;
import peft4j.api.UserError;

/**
 * Settings of prefix tuning.
 *
 * @param length           prefix length L (key/value rows per attention layer), 1..512; default 20
 * @param reparameterize   train the prefixes through an MLP, Embedding(L, d) → Linear(d, h) → tanh → Linear(h,
 *                         slots·heads·headSize), as Li &amp; Liang and PEFT's {@code prefix_projection}; default false
 * @param projectionHidden the MLP's hidden size h (PEFT's {@code encoder_hidden_size}); default the backbone's hidden
 *                         size, as in PEFT
 * @param deepPrompt       P-tuning v2: per-layer prompts trained directly, i.e. prefix tuning without
 *                         reparameterisation; true only states that intent, and conflicts with reparameterize
 * @param decoder          on encoder-decoder backbones, prefix the decoder's self-attention as well as the encoder's;
 *                         default true
 * @param peftCompat       reproduce PEFT 0.6.2: on encoder-decoder backbones, decoder self-attention only, with PEFT's
 *                         table layout (see {@link PrefixLayout#peftSeq2Seq}); elsewhere the layouts agree already
 */
public record PrefixTuningConfig(
        @JsonProperty("length") Integer length,
        @JsonProperty("reparameterize") Boolean reparameterize,
        @JsonProperty("projection_hidden") Integer projectionHidden,
        @JsonProperty("deep_prompt") Boolean deepPrompt,
        @JsonProperty("decoder") Boolean decoder,
        @JsonProperty("peft_compat") Boolean peftCompat) implements MethodConfig {

    public static final int MAX_LENGTH = 512;

    public PrefixTuningConfig {
        length = length == null ? 20 : length;
        reparameterize = reparameterize != null && reparameterize;
        deepPrompt = deepPrompt != null && deepPrompt;
        decoder = decoder == null || decoder;
        peftCompat = peftCompat != null && peftCompat;
        if (length < 1 || length > MAX_LENGTH) {
            throw new UserError("prefix length must be between 1 and " + MAX_LENGTH + ", got " + length);
        }
        if (deepPrompt && reparameterize) {
            throw new UserError("deep_prompt (P-tuning v2) trains the prefixes directly; drop reparameterize or "
                    + "deep_prompt");
        }
        if (projectionHidden != null && !reparameterize) {
            throw new UserError("projection_hidden sizes the reparameterisation MLP; set reparameterize too, or drop it");
        }
        if (projectionHidden != null && projectionHidden < 1) {
            throw new UserError("projection_hidden must be positive, got " + projectionHidden);
        }
        if (peftCompat && !decoder) {
            throw new UserError("peft_compat prefixes the decoder only, as PEFT does; it cannot be combined with "
                    + "decoder=false");
        }
    }

    public static PrefixTuningConfig defaults() {
        return new PrefixTuningConfig(null, null, null, null, null, null);
    }

    /** The MLP's hidden size on a backbone of hidden size {@code hidden}. */
    int projectionHidden(int hidden) {
        return projectionHidden == null ? hidden : projectionHidden;
    }
}
