package peft4j.api.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a {@code .safetensors} file. Tensors are given as little-endian byte buffers; the file is written to a
 * temporary sibling and renamed into place, so a reader never sees half a file.
 */
public final class SafetensorsWriter {

    /** One tensor to write: its dtype ({@code F32}, {@code I64}...), shape and raw little-endian bytes. */
    public record Tensor(String dtype, long[] shape, ByteBuffer data) {

        public static Tensor ofFloats(float[] values, long... shape) {
            ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            buffer.asFloatBuffer().put(values);
            return new Tensor("F32", shape, buffer);
        }

        public static Tensor ofLongs(long[] values, long... shape) {
            ByteBuffer buffer = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            buffer.asLongBuffer().put(values);
            return new Tensor("I64", shape, buffer);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsWriter() {
    }

    /**
     * Writes {@code tensors} in the given order, with optional string metadata (written in key order, so equal inputs
     * give equal bytes whatever the map's iteration order).
     */
    public static void write(Path target, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            new TreeMap<>(metadata).forEach(meta::put);
        }
        long offset = 0;
        List<ByteBuffer> payloads = new ArrayList<>();
        for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
            Tensor tensor = entry.getValue();
            long size = tensor.data().remaining();
            ObjectNode node = header.putObject(entry.getKey());
            node.put("dtype", tensor.dtype());
            var shape = node.putArray("shape");
            for (long d : tensor.shape()) {
                shape.add(d);
            }
            node.putArray("data_offsets").add(offset).add(offset + size);
            offset += size;
            payloads.add(tensor.data().duplicate());
        }
        byte[] json = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer prefix = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        prefix.putLong(padded).put(json);
        while (prefix.hasRemaining()) {
            prefix.put((byte) ' ');
        }
        prefix.flip();
        AtomicFiles.write(target, tmp -> {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(out, prefix);
                for (ByteBuffer payload : payloads) {
                    writeFully(out, payload);
                }
                out.force(true);
            }
        });
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }
}
