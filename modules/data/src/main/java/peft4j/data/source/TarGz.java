package peft4j.data.source;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads gzip-compressed tar archives such as the {@code .tgz} files {@code npm pack} writes: ustar headers (name
 * with its {@code prefix}), POSIX pax extended headers ({@code path=}) and GNU long names ({@code ././@LongLink}).
 * Only regular files are reported; directories, links and global headers are skipped.
 */
final class TarGz {

    private static final int BLOCK = 512;

    /** Receives each regular file; {@code content} holds exactly that file's bytes and need not be closed. */
    interface EntryVisitor {
        void visit(String name, long size, InputStream content) throws IOException;
    }

    private TarGz() {
    }

    /**
     * Visits every regular file of {@code archive} in archive order.
     *
     * @throws IOException if the archive is truncated or its headers are damaged
     */
    static void read(Path archive, EntryVisitor visitor) throws IOException {
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive)), 1 << 16)) {
            read(in, archive.toString(), visitor);
        }
    }

    static void read(InputStream in, String where, EntryVisitor visitor) throws IOException {
        byte[] header = new byte[BLOCK];
        String longName = null;
        while (true) {
            if (!readBlock(in, header)) {
                return; // end of data without the two zero blocks; tolerated like GNU tar does
            }
            if (isZero(header)) {
                return;
            }
            if (!checksumMatches(header)) {
                throw new IOException(where + " is not a valid tar archive (header checksum mismatch)");
            }
            long size = octal(header, 124, 12);
            char type = (char) (header[156] == 0 ? '0' : header[156]);
            String name = longName != null ? longName : ustarName(header);
            longName = null;
            BoundedStream content = new BoundedStream(in, size);
            switch (type) {
                case 'x' -> longName = paxPath(new String(content.readAllBytes(), StandardCharsets.UTF_8));
                case 'L' -> longName = cString(content.readAllBytes(), 0, (int) size);
                case '0', '7' -> visitor.visit(name, size, content);
                default -> {
                    // directories, links, global pax headers: nothing to read
                }
            }
            content.skipRest();
            skipFully(in, (BLOCK - size % BLOCK) % BLOCK);
        }
    }

    private static String ustarName(byte[] header) {
        String name = cString(header, 0, 100);
        boolean ustar = new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
        String prefix = ustar ? cString(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** The {@code path} record of a pax header ({@code "<len> path=<value>\n"}...), or null if it has none. */
    private static String paxPath(String records) {
        for (String record : records.split("\n")) {
            int space = record.indexOf(' ');
            if (space > 0 && record.startsWith("path=", space + 1)) {
                return record.substring(space + 1 + "path=".length());
            }
        }
        return null;
    }

    private static String cString(byte[] bytes, int offset, int length) {
        int end = offset;
        while (end < offset + length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] bytes, int offset, int length) throws IOException {
        if ((bytes[offset] & 0x80) != 0) { // GNU base-256 for large sizes
            long value = bytes[offset] & 0x7f;
            for (int i = 1; i < length; i++) {
                value = (value << 8) | (bytes[offset + i] & 0xff);
            }
            return value;
        }
        String text = cString(bytes, offset, length).strip();
        if (text.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(text, 8);
        } catch (NumberFormatException e) {
            throw new IOException("not a valid tar archive (a header holds the invalid number '" + text + "')");
        }
    }

    private static boolean checksumMatches(byte[] header) throws IOException {
        long stored = octal(header, 148, 8);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (header[i] & 0xff);
        }
        return sum == stored;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean readBlock(InputStream in, byte[] block) throws IOException {
        int n = in.readNBytes(block, 0, BLOCK);
        if (n == 0) {
            return false;
        }
        if (n < BLOCK) {
            throw new EOFException("tar archive ends inside a header");
        }
        return true;
    }

    private static void skipFully(InputStream in, long count) throws IOException {
        long left = count;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("tar archive ends inside an entry");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    /** One entry's bytes; reading past them reports end of stream, and closing does not close the archive. */
    private static final class BoundedStream extends InputStream {
        private final InputStream in;
        private long left;

        BoundedStream(InputStream in, long size) {
            this.in = in;
            this.left = size;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b < 0) {
                throw new EOFException("tar archive ends inside an entry");
            }
            left--;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, left));
            if (n < 0) {
                throw new EOFException("tar archive ends inside an entry");
            }
            left -= n;
            return n;
        }

        void skipRest() throws IOException {
            skipFully(in, left);
            left = 0;
        }

        @Override
        public void close() {
            // the archive stays open for the next entry
        }
    }
}
