package peft4j.data.source;

import java.util.regex.Pattern;

/** Plain text of OSIS verse markup as SWORD modules store it. */
final class OsisText {

    private static final Pattern NOTE = Pattern.compile("<note\\b[^>]*/>|<note\\b.*?</note>", Pattern.DOTALL);
    private static final Pattern TITLE = Pattern.compile("<title\\b[^>]*/>|<title\\b.*?</title>", Pattern.DOTALL);
    private static final Pattern GLUED_WORD = Pattern.compile("(?<=[^\\s(\\[{“‘\"'])<w\\b");
    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private OsisText() {
    }

    /**
     * The words a reader sees: footnotes ({@code <note>}) and titles ({@code <title>}: section headings and the
     * psalm superscriptions that would otherwise leak into verse 1) removed with their content; a space put before a
     * {@code <w>} word that follows a word or punctuation directly (Strong's-tagged texts often have {@code
     * </w><w>}); every other tag removed and its text kept; paragraph signs dropped; whitespace collapsed.
     */
    static String plain(String osis) {
        String text = NOTE.matcher(osis).replaceAll("");
        text = TITLE.matcher(text).replaceAll("");
        text = GLUED_WORD.matcher(text).replaceAll(" <w");
        text = TAG.matcher(text).replaceAll("");
        text = text.replace("¶", "");
        text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
        return SPACES.matcher(text).replaceAll(" ").strip();
    }
}
