package peft4j.data.source;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Decodes the HTML character references corpora leave in their text: the XML five and numeric ones. */
final class HtmlEntities {

    private static final Pattern REFERENCE = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]+);");
    private static final Map<String, String> NAMED = Map.of("quot", "\"", "amp", "&", "lt", "<", "gt", ">",
            "apos", "'", "nbsp", " ");

    private HtmlEntities() {
    }

    static String decode(String text) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            String name = m.group(1);
            String replacement;
            if (name.startsWith("#x") || name.startsWith("#X")) {
                replacement = codePoint(Integer.parseInt(name.substring(2), 16), m.group());
            } else if (name.startsWith("#")) {
                replacement = codePoint(Integer.parseInt(name.substring(1)), m.group());
            } else {
                replacement = NAMED.getOrDefault(name, m.group());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String codePoint(int value, String original) {
        return Character.isValidCodePoint(value) ? new String(Character.toChars(value)) : original;
    }
}
