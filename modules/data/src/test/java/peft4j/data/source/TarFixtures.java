package peft4j.data.source;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Writes small .tgz files the way npm does (ustar, pax headers for long names), for tests. */
final class TarFixtures {

    private TarFixtures() {
    }

    /** A gzip-compressed tar of {@code files} (path to content), in the map's order. */
    static Path tgz(Path file, Map<String, String> files) throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        for (Map.Entry<String, String> entry : files.entrySet()) {
            byte[] content = entry.getValue().getBytes(StandardCharsets.UTF_8);
            String name = entry.getKey();
            if (name.getBytes(StandardCharsets.UTF_8).length > 100) {
                String record = " path=" + name + "\n";
                int length = record.length() + 2;
                length = record.length() + String.valueOf(length).length();
                byte[] pax = (length + record).getBytes(StandardCharsets.UTF_8);
                entry(tar, "PaxHeader/long", 'x', pax);
                name = name.substring(name.length() - 90);
            }
            entry(tar, name, '0', content);
        }
        tar.write(new byte[1024]);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            tar.writeTo(out);
        }
        return file;
    }

    private static void entry(ByteArrayOutputStream tar, String name, char type, byte[] content) throws IOException {
        byte[] header = new byte[512];
        put(header, 0, name);
        put(header, 100, "0000644");
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", content.length));
        put(header, 136, "00000000000");
        header[156] = (byte) type;
        put(header, 257, "ustar");
        put(header, 263, "00");
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o", sum));
        header[154] = 0;
        tar.write(header);
        tar.write(content);
        tar.write(new byte[(512 - content.length % 512) % 512]);
    }

    private static void put(byte[] header, int offset, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }
}
