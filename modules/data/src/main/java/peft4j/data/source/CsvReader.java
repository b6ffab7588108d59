package peft4j.data.source;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads comma-separated values as written by spreadsheet programs and Python's csv module (RFC 4180): fields may be
 * quoted; inside quotes, commas and line breaks are data and {@code ""} stands for one quote. Records end at LF, CRLF
 * or CR; blank lines are skipped; a leading byte-order mark is ignored.
 */
public final class CsvReader {

    /**
     * One record.
     *
     * @param line   the 1-based line on which the record starts, for error messages
     * @param fields its fields, unquoted
     */
    public record CsvRecord(int line, List<String> fields) {
        public CsvRecord {
            fields = List.copyOf(fields);
        }
    }

    private final String text;
    private int pos;
    private int line = 1;

    private CsvReader(String text) {
        this.text = text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming the line of a quote that is never closed or is followed by stray text
     */
    public static List<CsvRecord> parse(String text) {
        return new CsvReader(text).records();
    }

    private List<CsvRecord> records() {
        List<CsvRecord> records = new ArrayList<>();
        while (pos < text.length()) {
            int startLine = line;
            List<String> fields = new ArrayList<>();
            boolean anyQuoted = false;
            while (true) {
                boolean quoted = pos < text.length() && text.charAt(pos) == '"';
                anyQuoted |= quoted;
                fields.add(quoted ? quotedField() : plainField());
                if (pos < text.length() && text.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                skipLineBreak();
                break;
            }
            boolean blankLine = !anyQuoted && fields.size() == 1 && fields.get(0).isEmpty();
            if (!blankLine) {
                records.add(new CsvRecord(startLine, fields));
            }
        }
        return records;
    }

    private String plainField() {
        int start = pos;
        while (pos < text.length() && !isFieldEnd(text.charAt(pos))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private String quotedField() {
        int openingLine = line;
        pos++; // the opening quote
        StringBuilder field = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw new IllegalArgumentException("quote opened on line " + openingLine + " is never closed");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                if (pos + 1 < text.length() && text.charAt(pos + 1) == '"') {
                    field.append('"');
                    pos += 2;
                    continue;
                }
                pos++; // the closing quote
                if (pos < text.length() && !isFieldEnd(text.charAt(pos))) {
                    throw new IllegalArgumentException("unexpected text after the closing quote on line " + line
                            + "; a quote inside a quoted field must be doubled (\"\")");
                }
                return field.toString();
            }
            if (c == '\n' || (c == '\r' && !(pos + 1 < text.length() && text.charAt(pos + 1) == '\n'))) {
                line++;
            }
            field.append(c);
            pos++;
        }
    }

    private void skipLineBreak() {
        if (pos < text.length() && text.charAt(pos) == '\r') {
            pos++;
        }
        if (pos < text.length() && text.charAt(pos) == '\n') {
            pos++;
        }
        line++;
    }

    private static boolean isFieldEnd(char c) {
        return c == ',' || c == '\n' || c == '\r';
    }
}
