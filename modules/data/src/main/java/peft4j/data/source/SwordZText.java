package peft4j.data.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import peft4j.api.UserError;

/**
 * Reads the verses of a SWORD Bible module in the zText format (CompressType=ZIP, any BlockType). A module directory
 * holds, per testament ({@code ot}, {@code nt}), three files:
 * <ul>
 *   <li>{@code .bzs}, the block index: one 12-byte record per block, {@code offset u32, compressedSize u32,
 *       size u32}, little-endian;</li>
 *   <li>{@code .bzz}, the blocks themselves, each a zlib stream;</li>
 *   <li>{@code .bzv}, the entry index: one 10-byte record per versification slot, {@code block u32, offset u32,
 *       size u16}: where the slot's text lies inside the uncompressed block (size 0 = no text).</li>
 * </ul>
 * Slots follow the module's versification: slot 0 (empty) and 1 (testament heading), then per book a book heading
 * slot and, per chapter, a chapter heading slot followed by one slot per verse. Instead of carrying the versification
 * tables, this reader recognises the heading slots by their OSIS markup: a chapter heading holds
 * {@code <chapter ... osisID="Gen.1" sID=.../>} (which gives book and chapter), a book heading a
 * {@code <div type="book">} or {@code type="front"} without verse text. The slots after a chapter heading are its
 * verses 1, 2, ...; an empty slot still counts.
 */
final class SwordZText {

    private static final Pattern CHAPTER_START =
            Pattern.compile("<chapter\\b[^>]*\\bosisID=\"([^\".]+)\\.(\\d+)\"[^>]*\\bsID=|<chapter\\b[^>]*\\bsID=[^>]*"
                    + "\\bosisID=\"([^\".]+)\\.(\\d+)\"");
    private static final Pattern BOOK_HEADING = Pattern.compile("<div\\b[^>]*\\btype=\"(book|front|bookGroup)\"");
    private static final Pattern VERSE_CONTENT = Pattern.compile("<w\\b|<verse\\b");

    private SwordZText() {
    }

    /**
     * The non-empty verses of the module in {@code dir} ({@code ot.*} then {@code nt.*}; a missing testament is
     * skipped), keyed {@code Book.chapter.verse} with OSIS book names (e.g. {@code Gen.1.1}), in module order; the
     * values are the raw OSIS markup.
     */
    static Map<String, String> verses(Path dir) throws IOException {
        Map<String, String> verses = new LinkedHashMap<>();
        boolean any = false;
        for (String testament : List.of("ot", "nt")) {
            if (Files.isRegularFile(dir.resolve(testament + ".bzv"))) {
                any = true;
                readTestament(dir, testament, verses);
            }
        }
        if (!any) {
            throw new UserError(dir + " holds no SWORD zText module (no ot.bzv or nt.bzv)");
        }
        return verses;
    }

    private static void readTestament(Path dir, String testament, Map<String, String> verses) throws IOException {
        ByteBuffer blocks = littleEndian(Files.readAllBytes(dir.resolve(testament + ".bzs")));
        ByteBuffer entries = littleEndian(Files.readAllBytes(dir.resolve(testament + ".bzv")));
        byte[] compressed = Files.readAllBytes(dir.resolve(testament + ".bzz"));
        String where = dir.resolve(testament + ".bzv").toString();
        if (blocks.remaining() % 12 != 0 || entries.remaining() % 10 != 0) {
            throw new UserError(dir + " is not a zText module: " + testament + ".bzs must hold 12-byte and "
                    + testament + ".bzv 10-byte records");
        }
        int entryCount = entries.remaining() / 10;
        int cachedBlock = -1;
        byte[] block = null;
        String book = null;
        int chapter = 0;
        int verse = -1; // -1: not inside a chapter
        for (int slot = 2; slot < entryCount; slot++) {
            long blockIndex = Integer.toUnsignedLong(entries.getInt(slot * 10));
            long offset = Integer.toUnsignedLong(entries.getInt(slot * 10 + 4));
            int size = Short.toUnsignedInt(entries.getShort(slot * 10 + 8));
            String text = "";
            if (size > 0) {
                if (blockIndex != cachedBlock) {
                    block = inflate(blocks, (int) blockIndex, compressed, where);
                    cachedBlock = (int) blockIndex;
                }
                if (offset + size > block.length) {
                    throw new UserError(where + " slot " + slot + " points past the end of block " + blockIndex
                            + "; the module is damaged");
                }
                text = new String(block, (int) offset, size, StandardCharsets.UTF_8);
            }
            Matcher chapterStart = CHAPTER_START.matcher(text);
            if (chapterStart.find()) {
                book = chapterStart.group(1) != null ? chapterStart.group(1) : chapterStart.group(3);
                chapter = Integer.parseInt(chapterStart.group(2) != null ? chapterStart.group(2) : chapterStart.group(4));
                verse = 0;
                continue;
            }
            if (BOOK_HEADING.matcher(text).find() && !VERSE_CONTENT.matcher(text).find()) {
                verse = -1;
                continue;
            }
            if (verse < 0) {
                continue; // a heading slot before the first chapter
            }
            verse++;
            if (!text.isBlank()) {
                verses.put(book + "." + chapter + "." + verse, text);
            }
        }
    }

    private static byte[] inflate(ByteBuffer blocks, int index, byte[] compressed, String where) {
        if ((long) index * 12 + 12 > blocks.limit()) {
            throw new UserError(where + " names block " + index + ", which the block index lacks; the module is"
                    + " damaged");
        }
        long offset = Integer.toUnsignedLong(blocks.getInt(index * 12));
        long length = Integer.toUnsignedLong(blocks.getInt(index * 12 + 4));
        long size = Integer.toUnsignedLong(blocks.getInt(index * 12 + 8));
        if (offset + length > compressed.length || size > Integer.MAX_VALUE - 8) {
            throw new UserError(where + ": block " + index + " lies outside the data file; the module is damaged");
        }
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed, (int) offset, (int) length);
            byte[] out = new byte[(int) size];
            int n = 0;
            while (n < out.length && !inflater.finished()) {
                int got = inflater.inflate(out, n, out.length - n);
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                n += got;
            }
            if (n != out.length) {
                throw new UserError(where + ": block " + index + " inflates to " + n + " bytes, not " + size
                        + "; the module is damaged");
            }
            return out;
        } catch (DataFormatException e) {
            throw new UserError(where + ": block " + index + " is not zlib data (" + e.getMessage() + "); the module"
                    + " is damaged", e);
        } finally {
            inflater.end();
        }
    }

    private static ByteBuffer littleEndian(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
