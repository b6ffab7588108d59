package peft4j.backbone.gpt2;

import java.util.ArrayList;
import java.util.List;

/**
 * The weight names of Hugging Face's {@code GPT2LMHeadModel}, in the order of its {@code state_dict}. The LM head
 * is tied to the token embeddings unless the config says otherwise, and then it has no name of its own here.
 */
public final class Gpt2Weights {

    public static final String TOKEN_EMBEDDINGS = "transformer.wte.weight";
    public static final String POSITION_EMBEDDINGS = "transformer.wpe.weight";
    public static final String FINAL_NORM = "transformer.ln_f";
    public static final String LM_HEAD = "lm_head.weight";

    private static final String PREFIX = "transformer.";

    private Gpt2Weights() {
    }

    /** Prefix of block {@code i}'s weights. */
    public static String block(int i) {
        return PREFIX + "h." + i + ".";
    }

    /** Every weight the LM's forward pass reads. */
    public static List<String> names(Gpt2Config config) {
        List<String> names = new ArrayList<>(List.of(TOKEN_EMBEDDINGS, POSITION_EMBEDDINGS));
        for (int i = 0; i < config.layers(); i++) {
            for (String part : List.of("ln_1", "attn.c_attn", "attn.c_proj", "ln_2", "mlp.c_fc", "mlp.c_proj")) {
                names.add(block(i) + part + ".weight");
                names.add(block(i) + part + ".bias");
            }
        }
        names.add(FINAL_NORM + ".weight");
        names.add(FINAL_NORM + ".bias");
        if (!config.tieWordEmbeddings()) {
            names.add(LM_HEAD);
        }
        return names;
    }

    /**
     * The names a checkpoint may use for {@code canonical}: {@code GPT2LMHeadModel} files say {@code transformer.h.0...},
     * a bare {@code GPT2Model} (the official checkpoints) says {@code h.0...}.
     */
    public static List<String> aliases(String canonical) {
        return canonical.startsWith(PREFIX) ? List.of(canonical, canonical.substring(PREFIX.length()))
                : List.of(canonical);
    }
}
