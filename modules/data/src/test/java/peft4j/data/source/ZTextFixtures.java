package peft4j.data.source;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.Deflater;

/** Writes tiny SWORD zText testaments, one block per given list of slots, for tests. */
final class ZTextFixtures {

    private ZTextFixtures() {
    }

    /** Writes {@code <testament>.bzs/.bzv/.bzz} in {@code dir}; each inner list of slot texts becomes one block. */
    static void testament(Path dir, String testament, List<List<String>> blocks) throws IOException {
        Files.createDirectories(dir);
        ByteArrayOutputStream bzz = new ByteArrayOutputStream();
        ByteBuffer bzs = ByteBuffer.allocate(12 * blocks.size()).order(ByteOrder.LITTLE_ENDIAN);
        int slots = blocks.stream().mapToInt(List::size).sum();
        ByteBuffer bzv = ByteBuffer.allocate(10 * slots).order(ByteOrder.LITTLE_ENDIAN);
        for (int b = 0; b < blocks.size(); b++) {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            for (String slot : blocks.get(b)) {
                byte[] bytes = slot.getBytes(StandardCharsets.UTF_8);
                bzv.putInt(b).putInt(raw.size()).putShort((short) bytes.length);
                raw.write(bytes);
            }
            byte[] compressed = deflate(raw.toByteArray());
            bzs.putInt(bzz.size()).putInt(compressed.length).putInt(raw.size());
            bzz.write(compressed);
        }
        Files.write(dir.resolve(testament + ".bzs"), bzs.array());
        Files.write(dir.resolve(testament + ".bzv"), bzv.array());
        Files.write(dir.resolve(testament + ".bzz"), bzz.toByteArray());
    }

    private static byte[] deflate(byte[] bytes) {
        Deflater deflater = new Deflater();
        deflater.setInput(bytes);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }
}
