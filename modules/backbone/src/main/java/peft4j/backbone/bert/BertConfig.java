package peft4j.backbone.bert;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import peft4j.api.UserError;
import peft4j.backbone.ConfigFiles;

/**
 * The fields of a Hugging Face BERT {@code config.json} that the forward pass needs. Missing fields take Hugging
 * Face's {@code BertConfig} defaults, which are bert-base-uncased's.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BertConfig(
        @JsonProperty("model_type") String modelType,
        @JsonProperty("vocab_size") int vocabSize,
        @JsonProperty("hidden_size") int hiddenSize,
        @JsonProperty("num_hidden_layers") int layers,
        @JsonProperty("num_attention_heads") int attentionHeads,
        @JsonProperty("intermediate_size") int intermediateSize,
        @JsonProperty("hidden_act") String hiddenAct,
        @JsonProperty("max_position_embeddings") int maxPositions,
        @JsonProperty("type_vocab_size") int typeVocabSize,
        @JsonProperty("layer_norm_eps") double layerNormEps,
        @JsonProperty("pad_token_id") int padTokenId,
        @JsonProperty("architectures") List<String> architectures) {

    /** Activations Hugging Face BERT checkpoints use and this implementation runs exactly. */
    static final List<String> SUPPORTED_ACTIVATIONS = List.of("gelu", "relu");

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    public BertConfig {
        modelType = modelType == null ? "bert" : modelType;
        vocabSize = vocabSize == 0 ? 30522 : vocabSize;
        hiddenSize = hiddenSize == 0 ? 768 : hiddenSize;
        layers = layers == 0 ? 12 : layers;
        attentionHeads = attentionHeads == 0 ? 12 : attentionHeads;
        intermediateSize = intermediateSize == 0 ? 3072 : intermediateSize;
        hiddenAct = hiddenAct == null ? "gelu" : hiddenAct;
        maxPositions = maxPositions == 0 ? 512 : maxPositions;
        typeVocabSize = typeVocabSize == 0 ? 2 : typeVocabSize;
        layerNormEps = layerNormEps == 0 ? 1e-12 : layerNormEps;
        architectures = architectures == null ? List.of("BertForMaskedLM") : List.copyOf(architectures);
    }

    /** bert-base-uncased's shape with another size, for tests and conversions. */
    public static BertConfig of(int vocabSize, int hiddenSize, int layers, int heads, int intermediateSize,
            int maxPositions) {
        return new BertConfig("bert", vocabSize, hiddenSize, layers, heads, intermediateSize, "gelu", maxPositions, 2,
                1e-12, 0, List.of("BertForMaskedLM"));
    }

    /**
     * The backbone shape this config describes, with the exact count of the masked LM's weights (the decoder is tied
     * to the word embeddings and not counted twice; no pooler).
     */
    public peft4j.api.BackboneSpec spec() {
        long h = hiddenSize;
        long embeddings = (long) (vocabSize + maxPositions + typeVocabSize) * h + 2 * h;
        long attention = 4 * (h * h + h) + 2 * h;
        long feedForward = 2 * h * intermediateSize + intermediateSize + h + 2 * h;
        long head = h * h + h + 2 * h + vocabSize;
        long count = embeddings + layers * (attention + feedForward) + head;
        return new peft4j.api.BackboneSpec("bert", vocabSize, hiddenSize, layers, 0, attentionHeads,
                hiddenSize / attentionHeads, maxPositions, count);
    }

    /** Reads {@code dir/config.json} and checks that this implementation can run it. */
    public static BertConfig read(Path dir) {
        BertConfig config = ConfigFiles.read(dir, BertConfig.class, JSON);
        config.validate(ConfigFiles.file(dir));
        return config;
    }

    void validate(Path file) {
        if (!modelType.equals("bert")) {
            throw new UserError(file + " has model_type '" + modelType + "'; this loader reads BERT checkpoints");
        }
        if (hiddenSize % attentionHeads != 0) {
            throw new UserError(file + ": hidden_size " + hiddenSize + " is not a multiple of num_attention_heads "
                    + attentionHeads);
        }
        if (!SUPPORTED_ACTIVATIONS.contains(hiddenAct)) {
            throw new UserError(file + ": hidden_act '" + hiddenAct + "' is not supported (supported: "
                    + String.join(", ", SUPPORTED_ACTIVATIONS) + ")");
        }
    }

    public void write(Path dir) throws IOException {
        peft4j.api.io.AtomicFiles.writeString(dir.resolve("config.json"), JSON.writeValueAsString(this) + "\n");
    }
}
