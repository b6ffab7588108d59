package peft4j.data;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed prompt template such as {@code "{text} It was [MASK]."}: literal text, the placeholders {@code {text}} and
 * {@code {text_pair}}, and the mask token {@code [MASK]}. Filling happens in one pass over the parsed parts, so an
 * input sentence that itself contains "{text}" or "[MASK]" is inserted verbatim and never substituted again.
 */
public final class PromptTemplate {

    /** The mask token of MLM backbones as written in templates; BERT's tokenizer maps it to its mask id. */
    public static final String MASK = "[MASK]";

    private static final String TEXT = "text";
    private static final String TEXT_PAIR = "text_pair";

    private enum Kind { LITERAL, TEXT, TEXT_PAIR, MASK }

    private record Part(Kind kind, String literal) {
    }

    private final String source;
    private final List<Part> parts;

    private PromptTemplate(String source, List<Part> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
    }

    /**
     * Parses {@code template}.
     *
     * @throws IllegalArgumentException naming the problem: an unknown or unclosed placeholder
     */
    public static PromptTemplate parse(String template) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '{') {
                int close = template.indexOf('}', i);
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed '{' at position " + i
                            + "; placeholders are {text} and {text_pair}");
                }
                String name = template.substring(i + 1, close);
                Kind kind = switch (name) {
                    case TEXT -> Kind.TEXT;
                    case TEXT_PAIR -> Kind.TEXT_PAIR;
                    default -> throw new IllegalArgumentException("unknown placeholder {" + name
                            + "}; placeholders are {text} and {text_pair}");
                };
                flush(literal, parts);
                parts.add(new Part(kind, null));
                i = close + 1;
            } else if (template.startsWith(MASK, i)) {
                flush(literal, parts);
                parts.add(new Part(Kind.MASK, null));
                i += MASK.length();
            } else {
                literal.append(c);
                i++;
            }
        }
        flush(literal, parts);
        return new PromptTemplate(template, parts);
    }

    private static void flush(StringBuilder literal, List<Part> parts) {
        if (!literal.isEmpty()) {
            parts.add(new Part(Kind.LITERAL, literal.toString()));
            literal.setLength(0);
        }
    }

    public int maskCount() {
        return count(Kind.MASK);
    }

    public boolean usesText() {
        return count(Kind.TEXT) > 0;
    }

    public boolean usesTextPair() {
        return count(Kind.TEXT_PAIR) > 0;
    }

    private int count(Kind kind) {
        return (int) parts.stream().filter(p -> p.kind() == kind).count();
    }

    /**
     * Fills the placeholders; each {@code [MASK]} becomes {@code maskReplacement}.
     *
     * @param textPair may be null only if the template has no {@code {text_pair}}
     */
    public String fill(String text, String textPair, String maskReplacement) {
        StringBuilder out = new StringBuilder(source.length() + text.length() + 16);
        for (Part part : parts) {
            switch (part.kind()) {
                case LITERAL -> out.append(part.literal());
                case TEXT -> out.append(text);
                case TEXT_PAIR -> {
                    if (textPair == null) {
                        throw new IllegalArgumentException("template " + source
                                + " needs {text_pair} but the example has no second sentence");
                    }
                    out.append(textPair);
                }
                case MASK -> out.append(maskReplacement);
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return source;
    }
}
