package peft4j.backbone.gpt2;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import peft4j.api.BackboneSpec;
import peft4j.api.UserError;
import peft4j.backbone.ConfigFiles;

/**
 * The fields of a Hugging Face GPT-2 {@code config.json} that the forward pass needs. Missing fields take Hugging
 * Face's {@code GPT2Config} defaults, which are the 124M "gpt2" model's.
 *
 * @param inner hidden width of the MLP; {@code null} in the file means 4 × {@code n_embd}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Gpt2Config(
        @JsonProperty("model_type") String modelType,
        @JsonProperty("vocab_size") int vocabSize,
        @JsonProperty("n_positions") int maxPositions,
        @JsonProperty("n_embd") int hiddenSize,
        @JsonProperty("n_layer") int layers,
        @JsonProperty("n_head") int attentionHeads,
        @JsonProperty("n_inner") Integer inner,
        @JsonProperty("activation_function") String activation,
        @JsonProperty("layer_norm_epsilon") double layerNormEps,
        @JsonProperty("scale_attn_weights") Boolean scaleAttentionWeights,
        @JsonProperty("scale_attn_by_inverse_layer_idx") Boolean scaleByInverseLayerIndex,
        @JsonProperty("tie_word_embeddings") Boolean tieWordEmbeddings) {

    /** Activations this implementation runs exactly as Hugging Face's {@code ACT2FN} does. */
    static final List<String> SUPPORTED_ACTIVATIONS = List.of("gelu_new", "gelu_pytorch_tanh", "gelu", "relu");

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    public Gpt2Config {
        modelType = modelType == null ? "gpt2" : modelType;
        vocabSize = vocabSize == 0 ? 50257 : vocabSize;
        maxPositions = maxPositions == 0 ? 1024 : maxPositions;
        hiddenSize = hiddenSize == 0 ? 768 : hiddenSize;
        layers = layers == 0 ? 12 : layers;
        attentionHeads = attentionHeads == 0 ? 12 : attentionHeads;
        activation = activation == null ? "gelu_new" : activation;
        layerNormEps = layerNormEps == 0 ? 1e-5 : layerNormEps;
        scaleAttentionWeights = scaleAttentionWeights == null || scaleAttentionWeights;
        scaleByInverseLayerIndex = scaleByInverseLayerIndex != null && scaleByInverseLayerIndex;
        tieWordEmbeddings = tieWordEmbeddings == null || tieWordEmbeddings;
    }

    /** Width of the MLP's hidden layer. */
    public int innerSize() {
        return inner == null || inner == 0 ? 4 * hiddenSize : inner;
    }

    public int headSize() {
        return hiddenSize / attentionHeads;
    }

    /** The backbone shape, with the exact count of the LM's weights (a tied head is not counted twice). */
    public BackboneSpec spec() {
        long h = hiddenSize;
        long inner = innerSize();
        long embeddings = (long) (vocabSize + maxPositions) * h;
        long attention = h * 3 * h + 3 * h + h * h + h;
        long mlp = h * inner + inner + inner * h + h;
        long norms = 2 * 2 * h;
        long head = tieWordEmbeddings ? 0 : (long) vocabSize * h;
        long count = embeddings + layers * (attention + mlp + norms) + 2 * h + head;
        return new BackboneSpec("gpt2", vocabSize, hiddenSize, layers, 0, attentionHeads, headSize(), maxPositions,
                count);
    }

    /** Reads {@code dir/config.json} and checks that this implementation can run it. */
    public static Gpt2Config read(Path dir) {
        Gpt2Config config = ConfigFiles.read(dir, Gpt2Config.class, JSON);
        config.validate(ConfigFiles.file(dir));
        return config;
    }

    void validate(Path file) {
        if (!modelType.equals("gpt2")) {
            throw new UserError(file + " has model_type '" + modelType + "'; this loader reads GPT-2 checkpoints");
        }
        if (hiddenSize % attentionHeads != 0) {
            throw new UserError(file + ": n_embd " + hiddenSize + " is not a multiple of n_head " + attentionHeads);
        }
        if (!SUPPORTED_ACTIVATIONS.contains(activation)) {
            throw new UserError(file + ": activation_function '" + activation + "' is not supported (supported: "
                    + String.join(", ", SUPPORTED_ACTIVATIONS) + ")");
        }
    }

    public void write(Path dir) throws IOException {
        peft4j.api.io.AtomicFiles.writeString(dir.resolve("config.json"), JSON.writeValueAsString(this) + "\n");
    }
}
