package peft4j.api.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import peft4j.api.UserError;

/**
 * A read-only view of one {@code .safetensors} file: an 8-byte little-endian header length, a JSON header naming each
 * tensor's dtype, shape and byte range, then the raw little-endian data. Tensors are memory-mapped on demand, so a
 * 440 MB checkpoint costs no heap until it is copied into an engine.
 *
 * <p>Every structural problem (truncation, overlapping ranges, unknown dtype) is a {@link UserError} naming the file.
 */
public final class Safetensors {

    /** What the header says about one tensor. */
    public record TensorInfo(String name, String dtype, long[] shape, long begin, long end) {

        public long elementCount() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    private final Path path;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private Safetensors(Path path, long dataStart, Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.path = path;
        this.dataStart = dataStart;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /** Reads and checks the header of {@code path}. */
    public static Safetensors open(Path path) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long fileSize = channel.size();
            if (fileSize < 8) {
                throw broken(path, "it has only " + fileSize + " bytes");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(lengthBytes, 0);
            long headerLength = lengthBytes.flip().getLong();
            if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > fileSize) {
                throw broken(path, "its header length " + headerLength + " does not fit a file of " + fileSize
                        + " bytes (truncated or not safetensors)");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            channel.read(header, 8);
            JsonNode root = JSON.readTree(new String(header.array(), StandardCharsets.UTF_8));
            if (root == null || !root.isObject()) {
                throw broken(path, "its header is not a JSON object");
            }
            long dataStart = 8 + headerLength;
            Map<String, TensorInfo> tensors = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getKey().equals("__metadata__")) {
                    field.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                TensorInfo info = parseEntry(path, field.getKey(), field.getValue());
                if (dataStart + info.end() > fileSize) {
                    throw broken(path, "tensor '" + info.name() + "' ends at byte " + (dataStart + info.end())
                            + " but the file has " + fileSize + " bytes (truncated download or copy?)");
                }
                tensors.put(info.name(), info);
            }
            return new Safetensors(path, dataStart, Collections.unmodifiableMap(tensors), metadata);
        } catch (IOException e) {
            throw new UserError("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static TensorInfo parseEntry(Path path, String name, JsonNode node) {
        JsonNode dtype = node.get("dtype");
        JsonNode shape = node.get("shape");
        JsonNode offsets = node.get("data_offsets");
        if (dtype == null || shape == null || offsets == null || offsets.size() != 2) {
            throw broken(path, "header entry '" + name + "' lacks dtype, shape or data_offsets");
        }
        long[] dims = new long[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shape.get(i).asLong();
        }
        TensorInfo info = new TensorInfo(name, dtype.asText(), dims, offsets.get(0).asLong(), offsets.get(1).asLong());
        long expected = info.elementCount() * bytesPer(path, info.dtype());
        if (info.end() - info.begin() != expected || info.begin() < 0) {
            throw broken(path, "tensor '" + name + "' has " + (info.end() - info.begin()) + " bytes, its shape needs "
                    + expected);
        }
        return info;
    }

    private static int bytesPer(Path path, String dtype) {
        return switch (dtype) {
            case "F64", "I64", "U64" -> 8;
            case "F32", "I32", "U32" -> 4;
            case "F16", "BF16", "I16", "U16" -> 2;
            case "I8", "U8", "BOOL" -> 1;
            default -> throw broken(path, "unknown dtype '" + dtype + "'");
        };
    }

    private static UserError broken(Path path, String why) {
        return new UserError(path + " is not a valid safetensors file: " + why + "; replace it (re-download or re-pull)");
    }

    public Path path() {
        return path;
    }

    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    public TensorInfo info(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new UserError("tensor '" + name + "' is missing from " + path);
        }
        return info;
    }

    /** The raw little-endian bytes of one tensor, memory-mapped. */
    public ByteBuffer bytes(String name) {
        TensorInfo info = info(name);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + info.begin(), info.end() - info.begin())
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new UserError("cannot read tensor '" + name + "' from " + path + ": " + e.getMessage(), e);
        }
    }

    /** A float tensor as float32 values; F16 and BF16 are widened, F64 narrowed. */
    public float[] floats(String name) {
        TensorInfo info = info(name);
        ByteBuffer data = bytes(name);
        float[] out = new float[Math.toIntExact(info.elementCount())];
        switch (info.dtype()) {
            case "F32" -> data.asFloatBuffer().get(out);
            case "F64" -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) data.getDouble();
                }
            }
            case "F16" -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = HalfFloats.halfToFloat(data.getShort());
                }
            }
            case "BF16" -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Float.intBitsToFloat((data.getShort() & 0xffff) << 16);
                }
            }
            default -> throw new UserError("tensor '" + name + "' in " + path + " has dtype " + info.dtype()
                    + ", expected a float type");
        }
        return out;
    }

    /** An integer tensor as int64 values. */
    public long[] longs(String name) {
        TensorInfo info = info(name);
        ByteBuffer data = bytes(name);
        long[] out = new long[Math.toIntExact(info.elementCount())];
        switch (info.dtype()) {
            case "I64", "U64" -> data.asLongBuffer().get(out);
            case "I32", "U32" -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = data.getInt();
                }
            }
            default -> throw new UserError("tensor '" + name + "' in " + path + " has dtype " + info.dtype()
                    + ", expected an integer type");
        }
        return out;
    }

    /** One tensor copied into {@code manager}: float types become float32, integer types int64. */
    public NDArray toNDArray(String name, NDManager manager) {
        TensorInfo info = info(name);
        Shape shape = new Shape(info.shape());
        if (info.dtype().startsWith("I") || info.dtype().startsWith("U")) {
            return manager.create(longs(name), shape);
        }
        if (info.dtype().equals("F32")) {
            FloatBuffer data = bytes(name).asFloatBuffer();
            return manager.create(data, shape, DataType.FLOAT32);
        }
        return manager.create(floats(name), shape);
    }
}
