package peft4j.backbone.t5;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import peft4j.api.io.Safetensors;
import peft4j.backbone.Engines;
import peft4j.backbone.Golden;

/** T5's relative position buckets against Hugging Face's {@code _relative_position_bucket}, and their lookup. */
class RelativePositionBiasTest {

    @Test
    void bucketsMatchHuggingFaceExactlyFromMinus300To300() {
        Safetensors golden = Safetensors.open(Golden.dir("t5-tiny-v1_1").resolve("relative_buckets.safetensors"));
        long[] relative = golden.longs("relative_position");
        long[] bidirectional = golden.longs("bucket_bidirectional");
        long[] unidirectional = golden.longs("bucket_unidirectional");
        assertThat(relative).hasSize(601);
        for (int i = 0; i < relative.length; i++) {
            int r = (int) relative[i];
            assertThat(RelativePositionBias.bucket(r, true, 32, 128)).as("bidirectional %d", r)
                    .isEqualTo(bidirectional[i]);
            assertThat(RelativePositionBias.bucket(r, false, 32, 128)).as("unidirectional %d", r)
                    .isEqualTo(unidirectional[i]);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pytorch", "mxnet"})
    void theBiasGridLooksUpTheBucketOfKeyMinusQuery(String engine) {
        try (NDManager manager = Engines.newManager(engine, "cpu")) {
            // Bucket b of head h holds 100·b + h, so every grid value says which bucket it came from.
            float[] values = new float[32 * 2];
            for (int b = 0; b < 32; b++) {
                values[2 * b] = 100 * b;
                values[2 * b + 1] = 100 * b + 1;
            }
            NDArray table = manager.create(values, new Shape(32, 2));
            RelativePositionBias bias = new RelativePositionBias(table, true, 32, 128);
            // Two prefix keys: queries at positions 2..4, keys at 0..4.
            float[] grid = bias.forPositions(2, 3, 5, manager).toFloatArray(); // [1, 2, 3, 5]
            for (int h = 0; h < 2; h++) {
                for (int q = 0; q < 3; q++) {
                    for (int k = 0; k < 5; k++) {
                        int bucket = RelativePositionBias.bucket(k - (q + 2), true, 32, 128);
                        assertThat(grid[(h * 3 + q) * 5 + k]).isEqualTo(100f * bucket + h);
                    }
                }
            }
        }
    }
}
