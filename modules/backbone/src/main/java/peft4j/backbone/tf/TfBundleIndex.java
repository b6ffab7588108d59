package peft4j.backbone.tf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import peft4j.api.UserError;

/**
 * Reads a TensorFlow checkpoint's {@code variables.index}: an SSTable (LevelDB layout) whose keys are variable names
 * and whose values are {@code BundleEntryProto} messages giving dtype, shape, shard and byte range in the data file.
 *
 * <p>Only what a TF SavedModel writes is supported: uncompressed blocks, single-slice tensors.
 */
public final class TfBundleIndex {

    /** Where one variable's bytes are. {@code dtype} is TensorFlow's enum (1 = float32). */
    public record Entry(String name, int dtype, long[] shape, int shard, long offset, long size) {

        public static final int DT_FLOAT = 1;

        public long elementCount() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private static final long TABLE_MAGIC = 0xdb4775248b80fb57L;
    private static final int FOOTER_LENGTH = 48;
    private static final int BLOCK_TRAILER = 5;

    private TfBundleIndex() {
    }

    /** All variables in file order (sorted by name, as SSTables are). The bundle header (empty key) is skipped. */
    public static Map<String, Entry> read(Path indexFile) throws IOException {
        ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(indexFile)).order(ByteOrder.LITTLE_ENDIAN);
        if (file.capacity() < FOOTER_LENGTH || file.getLong(file.capacity() - 8) != TABLE_MAGIC) {
            throw new UserError(indexFile + " is not a TensorFlow checkpoint index (no SSTable footer)");
        }
        ByteBuffer footer = file.duplicate().position(file.capacity() - FOOTER_LENGTH);
        readVarint(footer); // metaindex offset
        readVarint(footer); // metaindex size
        long indexOffset = readVarint(footer);
        long indexSize = readVarint(footer);
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (byte[] handle : blockEntries(file, indexOffset, indexSize, indexFile).values()) {
            ByteBuffer h = ByteBuffer.wrap(handle);
            long offset = readVarint(h);
            long size = readVarint(h);
            for (Map.Entry<String, byte[]> kv : blockEntries(file, offset, size, indexFile).entrySet()) {
                if (!kv.getKey().isEmpty()) {
                    entries.put(kv.getKey(), parseEntry(kv.getKey(), ByteBuffer.wrap(kv.getValue())));
                }
            }
        }
        return Collections.unmodifiableMap(entries);
    }

    /** Decodes one block: prefix-compressed keys, followed by a restart array we do not need for a full scan. */
    private static Map<String, byte[]> blockEntries(ByteBuffer file, long offset, long size, Path where) {
        if (offset < 0 || offset + size + BLOCK_TRAILER > file.capacity()) {
            throw new UserError(where + " is truncated: a block ends past the end of the file");
        }
        int compression = file.get((int) (offset + size));
        if (compression != 0) {
            throw new UserError(where + " uses compressed blocks (type " + compression + "), which peft4j cannot read");
        }
        ByteBuffer block = file.duplicate().position((int) offset).limit((int) (offset + size)).slice()
                .order(ByteOrder.LITTLE_ENDIAN);
        int restarts = block.getInt(block.limit() - 4);
        int entriesEnd = block.limit() - 4 - 4 * restarts;
        Map<String, byte[]> out = new LinkedHashMap<>();
        byte[] key = new byte[0];
        block.position(0);
        while (block.position() < entriesEnd) {
            int shared = (int) readVarint(block);
            int unshared = (int) readVarint(block);
            int valueLength = (int) readVarint(block);
            byte[] next = new byte[shared + unshared];
            System.arraycopy(key, 0, next, 0, shared);
            block.get(next, shared, unshared);
            byte[] value = new byte[valueLength];
            block.get(value);
            key = next;
            out.put(new String(key, StandardCharsets.UTF_8), value);
        }
        return out;
    }

    /** BundleEntryProto: 1 dtype, 2 shape (TensorShapeProto), 3 shard_id, 4 offset, 5 size, 6 crc32c, 7 slices. */
    private static Entry parseEntry(String name, ByteBuffer proto) {
        int dtype = 0;
        int shard = 0;
        long offset = 0;
        long size = 0;
        long[] shape = new long[0];
        while (proto.hasRemaining()) {
            long tag = readVarint(proto);
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            switch (field) {
                case 1 -> dtype = (int) readVarint(proto);
                case 2 -> shape = parseShape(lengthDelimited(proto));
                case 3 -> shard = (int) readVarint(proto);
                case 4 -> offset = readVarint(proto);
                case 5 -> size = readVarint(proto);
                case 7 -> throw new UserError("variable '" + name + "' is stored in slices, which peft4j cannot read");
                default -> skip(proto, wire);
            }
        }
        return new Entry(name, dtype, shape, shard, offset, size);
    }

    /** TensorShapeProto: repeated 2 dim (Dim: 1 size, 2 name). */
    private static long[] parseShape(ByteBuffer proto) {
        long[] dims = new long[8];
        int count = 0;
        while (proto.hasRemaining()) {
            long tag = readVarint(proto);
            if ((tag >>> 3) == 2 && (tag & 7) == 2) {
                ByteBuffer dim = lengthDelimited(proto);
                long size = 0;
                while (dim.hasRemaining()) {
                    long dimTag = readVarint(dim);
                    if ((dimTag >>> 3) == 1) {
                        size = readVarint(dim);
                    } else {
                        skip(dim, (int) (dimTag & 7));
                    }
                }
                if (count == dims.length) {
                    dims = java.util.Arrays.copyOf(dims, count * 2);
                }
                dims[count++] = size;
            } else {
                skip(proto, (int) (tag & 7));
            }
        }
        return java.util.Arrays.copyOf(dims, count);
    }

    private static ByteBuffer lengthDelimited(ByteBuffer in) {
        int length = (int) readVarint(in);
        ByteBuffer slice = in.slice().limit(length);
        in.position(in.position() + length);
        return slice;
    }

    private static void skip(ByteBuffer in, int wireType) {
        switch (wireType) {
            case 0 -> readVarint(in);
            case 1 -> in.position(in.position() + 8);
            case 2 -> lengthDelimited(in);
            case 5 -> in.position(in.position() + 4);
            default -> throw new IllegalStateException("unsupported protobuf wire type " + wireType);
        }
    }

    static long readVarint(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.get();
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new IllegalStateException("malformed varint");
    }
}
