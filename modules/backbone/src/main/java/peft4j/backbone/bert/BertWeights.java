package peft4j.backbone.bert;

import java.util.ArrayList;
import java.util.List;

/**
 * The weight names of Hugging Face's {@code BertForMaskedLM}, in the order of its {@code state_dict}. The MLM decoder
 * is tied to the word embeddings and has no name of its own here.
 */
public final class BertWeights {

    public static final String WORD_EMBEDDINGS = "bert.embeddings.word_embeddings.weight";
    public static final String POSITION_EMBEDDINGS = "bert.embeddings.position_embeddings.weight";
    public static final String TOKEN_TYPE_EMBEDDINGS = "bert.embeddings.token_type_embeddings.weight";
    public static final String EMBEDDINGS_NORM = "bert.embeddings.LayerNorm";
    public static final String HEAD_TRANSFORM = "cls.predictions.transform.dense";
    public static final String HEAD_NORM = "cls.predictions.transform.LayerNorm";
    public static final String HEAD_BIAS = "cls.predictions.bias";

    private BertWeights() {
    }

    /** Prefix of layer {@code i}'s weights. */
    public static String layer(int i) {
        return "bert.encoder.layer." + i + ".";
    }

    /** Every weight the masked-LM forward pass reads, for a model with {@code layers} layers. */
    public static List<String> maskedLmNames(int layers) {
        List<String> names = new ArrayList<>(List.of(WORD_EMBEDDINGS, POSITION_EMBEDDINGS, TOKEN_TYPE_EMBEDDINGS,
                EMBEDDINGS_NORM + ".weight", EMBEDDINGS_NORM + ".bias"));
        for (int i = 0; i < layers; i++) {
            for (String part : List.of("attention.self.query", "attention.self.key", "attention.self.value",
                    "attention.output.dense", "attention.output.LayerNorm", "intermediate.dense", "output.dense",
                    "output.LayerNorm")) {
                names.add(layer(i) + part + ".weight");
                names.add(layer(i) + part + ".bias");
            }
        }
        names.addAll(List.of(HEAD_BIAS, HEAD_TRANSFORM + ".weight", HEAD_TRANSFORM + ".bias", HEAD_NORM + ".weight",
                HEAD_NORM + ".bias"));
        return names;
    }

    /**
     * The names a checkpoint may use for {@code canonical}: older Hugging Face files say {@code gamma}/{@code beta}
     * for LayerNorm, a bare {@code BertModel} has no {@code bert.} prefix, and the MLM bias may be saved as the
     * decoder's bias.
     */
    public static List<String> aliases(String canonical) {
        List<String> names = new ArrayList<>(List.of(canonical));
        if (canonical.contains("LayerNorm.")) {
            names.add(canonical.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta"));
        }
        if (canonical.equals(HEAD_BIAS)) {
            names.add("cls.predictions.decoder.bias");
        }
        if (canonical.startsWith("bert.")) {
            for (String name : List.copyOf(names)) {
                names.add(name.substring("bert.".length()));
            }
        }
        return names;
    }
}
