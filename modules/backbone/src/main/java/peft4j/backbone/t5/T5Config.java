package peft4j.backbone.t5;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import peft4j.api.BackboneSpec;
import peft4j.api.UserError;
import peft4j.backbone.ConfigFiles;

/**
 * The fields of a Hugging Face T5 {@code config.json} (original T5, v1.1, LM-adapted, Flan-T5). Absent fields take
 * the defaults of Hugging Face's {@code T5Config} 4.30 (t5-small's shape); {@code tie_word_embeddings} defaults to
 * true because {@code save_pretrained} omits it when true.
 *
 * <p>The feed-forward activation is derived from {@code feed_forward_proj} as Hugging Face does it:
 * {@code "gated-ACT"} or {@code "ACT"}, where {@code gated-gelu} means the tanh approximation {@code gelu_new}; an
 * explicit {@code dense_act_fn} / {@code is_gated_act} in the file wins, as it does in Hugging Face.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record T5Config(
        @JsonProperty("model_type") String modelType,
        @JsonProperty("vocab_size") Integer vocabSize,
        @JsonProperty("d_model") Integer dModel,
        @JsonProperty("d_kv") Integer dKv,
        @JsonProperty("d_ff") Integer dFf,
        @JsonProperty("num_layers") Integer layers,
        @JsonProperty("num_decoder_layers") Integer decoderLayers,
        @JsonProperty("num_heads") Integer heads,
        @JsonProperty("relative_attention_num_buckets") Integer relativeBuckets,
        @JsonProperty("relative_attention_max_distance") Integer relativeMaxDistance,
        @JsonProperty("layer_norm_epsilon") Double layerNormEpsilon,
        @JsonProperty("feed_forward_proj") String feedForwardProj,
        @JsonProperty("dense_act_fn") String denseActFn,
        @JsonProperty("is_gated_act") Boolean gatedAct,
        @JsonProperty("tie_word_embeddings") Boolean tieWordEmbeddings,
        @JsonProperty("pad_token_id") Integer padTokenId,
        @JsonProperty("eos_token_id") Integer eosTokenId,
        @JsonProperty("decoder_start_token_id") Integer decoderStartTokenId,
        @JsonProperty("n_positions") Integer maxPositions) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    public T5Config {
        modelType = modelType == null ? "t5" : modelType;
        vocabSize = vocabSize == null ? 32128 : vocabSize;
        dModel = dModel == null ? 512 : dModel;
        dKv = dKv == null ? 64 : dKv;
        dFf = dFf == null ? 2048 : dFf;
        layers = layers == null ? 6 : layers;
        decoderLayers = decoderLayers == null ? layers : decoderLayers;
        heads = heads == null ? 8 : heads;
        relativeBuckets = relativeBuckets == null ? 32 : relativeBuckets;
        relativeMaxDistance = relativeMaxDistance == null ? 128 : relativeMaxDistance;
        layerNormEpsilon = layerNormEpsilon == null ? 1e-6 : layerNormEpsilon;
        feedForwardProj = feedForwardProj == null ? "relu" : feedForwardProj;
        tieWordEmbeddings = tieWordEmbeddings == null ? Boolean.TRUE : tieWordEmbeddings;
        padTokenId = padTokenId == null ? 0 : padTokenId;
        eosTokenId = eosTokenId == null ? 1 : eosTokenId;
        // Hugging Face refuses to shift labels without it; every T5 checkpoint sets it to the pad id.
        decoderStartTokenId = decoderStartTokenId == null ? padTokenId : decoderStartTokenId;
        // T5 was pre-trained on 512-token inputs; the relative position bias itself has no length limit.
        maxPositions = maxPositions == null ? 512 : maxPositions;
    }

    /** Reads {@code dir/config.json} and checks that this implementation can run it. */
    public static T5Config read(Path dir) {
        T5Config config = ConfigFiles.read(dir, T5Config.class, JSON);
        config.validate(ConfigFiles.file(dir));
        return config;
    }

    void validate(Path file) {
        if (!modelType.equals("t5")) {
            throw new UserError(file + " has model_type '" + modelType + "'; this loader reads T5 checkpoints");
        }
        activation(file);
        if (layers <= 0 || decoderLayers <= 0 || heads <= 0 || dKv <= 0 || dModel <= 0 || dFf <= 0) {
            throw new UserError(file + ": num_layers, num_decoder_layers, num_heads, d_kv, d_model and d_ff must be "
                    + "positive");
        }
    }

    /** The feed-forward activation, resolved as Hugging Face's {@code T5Config} resolves it. */
    public FeedForwardActivation activation() {
        return activation(Path.of("config.json"));
    }

    private FeedForwardActivation activation(Path file) {
        String[] parts = feedForwardProj.split("-", -1);
        boolean wellFormed = parts.length == 1 || (parts.length == 2 && parts[0].equals("gated"));
        if (!wellFormed) {
            throw unknownActivation(file);
        }
        String name = parts[parts.length - 1];
        if (feedForwardProj.equals("gated-gelu")) {
            name = "gelu_new"; // Hugging Face's backwards-compatibility rule for T5 v1.1 checkpoints
        }
        if (denseActFn != null) {
            name = denseActFn;
        }
        boolean gated = gatedAct != null ? gatedAct : parts.length == 2;
        return FeedForwardActivation.of(name, gated).orElseThrow(() -> denseActFn != null
                ? new UserError(file + ": dense_act_fn '" + denseActFn + "' is not supported (supported: "
                        + FeedForwardActivation.NAMES + ")")
                : unknownActivation(file));
    }

    private UserError unknownActivation(Path file) {
        return new UserError(file + ": feed_forward_proj '" + feedForwardProj + "' is not supported; use ACT or "
                + "gated-ACT with ACT one of " + FeedForwardActivation.NAMES + " (e.g. relu, gated-gelu)");
    }

    public int innerDim() {
        return heads * dKv;
    }

    /** The backbone shape, with the exact number of values in all unique weights (tied tensors counted once). */
    public BackboneSpec spec() {
        long d = dModel;
        long inner = innerDim();
        long attention = 4 * d * inner;
        long feedForward = (activation().gated() ? 3 : 2) * d * dFf;
        long encoderLayer = attention + feedForward + 2 * d;
        long decoderLayer = 2 * attention + feedForward + 3 * d;
        long relativeBias = (long) relativeBuckets * heads;
        long embeddings = (long) vocabSize * d;
        long count = embeddings + layers * encoderLayer + decoderLayers * decoderLayer + 2 * relativeBias + 2 * d
                + (tieWordEmbeddings ? 0 : embeddings);
        return new BackboneSpec("t5", vocabSize, dModel, layers, decoderLayers, heads, dKv, maxPositions, count);
    }
}
