package peft4j.data;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import peft4j.api.UserError;

/**
 * Split files in JSON Lines: one example per line, {@code {"id":…,"text":…,"text_pair":…,"label":…}}, keys always in
 * this order, {@code text_pair} only for pair tasks, no whitespace, {@code \n} after every line. The same examples
 * therefore always give the same bytes, and so the same sha256.
 */
final class ExampleLines {

    private ExampleLines() {
    }

    static byte[] encode(List<Example> examples) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (Example example : examples) {
                try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
                    json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                    json.writeStartObject();
                    json.writeStringField("id", example.id());
                    json.writeStringField("text", example.text());
                    if (example.textPair() != null) {
                        json.writeStringField("text_pair", example.textPair());
                    }
                    json.writeStringField("label", example.label());
                    json.writeEndObject();
                }
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /**
     * Decodes a split file's bytes.
     *
     * @param file named in error messages
     */
    static List<Example> decode(byte[] bytes, String file) {
        List<Example> examples = new ArrayList<>();
        int lineNumber = 0;
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode node = Json.MAPPER.readTree(line);
                examples.add(new Example(required(node, "id"), required(node, "text"),
                        node.hasNonNull("text_pair") ? node.get("text_pair").asText() : null, required(node, "label")));
            } catch (JsonProcessingException | IllegalArgumentException e) {
                throw new UserError(file + " line " + lineNumber + " is not an example (" + e.getMessage().lines()
                        .findFirst().orElse("") + ")");
            }
        }
        return examples;
    }

    private static String required(JsonNode node, String field) {
        if (node == null || !node.hasNonNull(field)) {
            throw new IllegalArgumentException("missing \"" + field + "\"");
        }
        return node.get(field).asText();
    }
}
