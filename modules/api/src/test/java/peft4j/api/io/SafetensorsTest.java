package peft4j.api.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import peft4j.api.UserError;

class SafetensorsTest {

    @TempDir
    Path tmp;

    @Test
    void writesAndReadsTensorsAndMetadata() throws Exception {
        Map<String, SafetensorsWriter.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("weight", SafetensorsWriter.Tensor.ofFloats(new float[] {1, -2, 3.5f, 4, 5, 6}, 2, 3));
        tensors.put("ids", SafetensorsWriter.Tensor.ofLongs(new long[] {7, 8}, 2));
        Path file = tmp.resolve("a.safetensors");
        SafetensorsWriter.write(file, tensors, Map.of("format", "pt"));

        Safetensors read = Safetensors.open(file);
        assertThat(read.metadata()).containsEntry("format", "pt");
        assertThat(read.tensors().keySet()).containsExactly("weight", "ids");
        assertThat(read.info("weight").shape()).containsExactly(2, 3);
        assertThat(read.floats("weight")).containsExactly(1, -2, 3.5f, 4, 5, 6);
        assertThat(read.longs("ids")).containsExactly(7, 8);
        ByteBuffer header = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(header.getLong() % 8).as("header padded to 8 bytes").isZero();
        try (var files = Files.list(tmp)) {
            assertThat(files).as("no temporary file left").hasSize(1);
        }
    }

    @Test
    void metadataOrderDoesNotChangeTheBytes() throws Exception {
        Map<String, SafetensorsWriter.Tensor> tensors =
                Map.of("w", SafetensorsWriter.Tensor.ofFloats(new float[] {1f}, 1));
        Map<String, String> forward = new LinkedHashMap<>();
        forward.put("format", "pt");
        forward.put("peft4j", "x");
        Map<String, String> backward = new LinkedHashMap<>();
        backward.put("peft4j", "x");
        backward.put("format", "pt");
        SafetensorsWriter.write(tmp.resolve("a.safetensors"), tensors, forward);
        SafetensorsWriter.write(tmp.resolve("b.safetensors"), tensors, backward);

        assertThat(Files.mismatch(tmp.resolve("a.safetensors"), tmp.resolve("b.safetensors"))).isEqualTo(-1L);
    }

    @Test
    void widensHalfAndBfloat16() throws Exception {
        ByteBuffer half = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN);
        half.putShort((short) 0x3c00).putShort((short) 0xc000).putShort((short) 0x3555).flip(); // 1, -2, ~1/3
        ByteBuffer bf16 = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        bf16.putShort((short) 0x3f80).putShort((short) 0x4049).flip(); // 1, ~3.14
        Path file = tmp.resolve("h.safetensors");
        SafetensorsWriter.write(file, Map.of("h", new SafetensorsWriter.Tensor("F16", new long[] {3}, half)),
                Map.of());
        assertThat(Safetensors.open(file).floats("h")).containsExactly(1f, -2f, 0.33325195f);
        SafetensorsWriter.write(file, Map.of("b", new SafetensorsWriter.Tensor("BF16", new long[] {2}, bf16)),
                Map.of());
        assertThat(Safetensors.open(file).floats("b")).containsExactly(1f, 3.140625f);
    }

    @Test
    void aTruncatedFileIsAClearError() throws Exception {
        Path file = tmp.resolve("t.safetensors");
        SafetensorsWriter.write(file, Map.of("w", SafetensorsWriter.Tensor.ofFloats(new float[100], 100)), Map.of());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 10);
        }
        assertThatThrownBy(() -> Safetensors.open(file)).isInstanceOf(UserError.class)
                .hasMessageContaining("t.safetensors").hasMessageContaining("truncated");
    }

    @Test
    void garbageIsAClearError() throws Exception {
        Path file = tmp.resolve("g.safetensors");
        Files.writeString(file, "this is not a tensor file at all");
        assertThatThrownBy(() -> Safetensors.open(file)).isInstanceOf(UserError.class)
                .hasMessageContaining("not a valid safetensors file");
    }
}
