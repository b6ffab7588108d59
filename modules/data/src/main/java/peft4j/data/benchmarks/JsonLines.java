package peft4j.data.benchmarks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import peft4j.api.UserError;

/** Reads JSON Lines files (one JSON object per line, as SuperGLUE distributes its tasks). */
final class JsonLines {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One parsed line and where it came from, for error messages. */
    record Line(Path file, int number, JsonNode json) {

        /** The text of field {@code name}; a {@link UserError} naming file and line if it is missing. */
        String text(String name) {
            JsonNode node = json.get(name);
            if (node == null || node.isNull() || node.isContainerNode()) {
                throw problem("has no text field \"" + name + "\"");
            }
            return node.asText();
        }

        /** Field {@code name} as an object or array; a {@link UserError} if it is missing. */
        JsonNode node(String name) {
            JsonNode node = json.get(name);
            if (node == null || node.isNull()) {
                throw problem("has no field \"" + name + "\"");
            }
            return node;
        }

        UserError problem(String problem) {
            return new UserError(file + " line " + number + " " + problem + "; is this the right file for the task?");
        }
    }

    private JsonLines() {
    }

    /**
     * Every non-blank line of {@code file} as a JSON object.
     *
     * @throws UserError naming the file and line of a line that is not a JSON object
     */
    static List<Line> read(Path file) throws IOException {
        List<Line> lines = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int number = 0;
            for (String text = reader.readLine(); text != null; text = reader.readLine()) {
                number++;
                if (text.isBlank()) {
                    continue;
                }
                JsonNode json;
                try {
                    json = JSON.readTree(text);
                } catch (JsonProcessingException e) {
                    throw new UserError(file + " line " + number + " is not valid JSON ("
                            + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
                }
                if (json == null || !json.isObject()) {
                    throw new UserError(file + " line " + number + " is not a JSON object");
                }
                lines.add(new Line(file, number, json));
            }
        }
        return lines;
    }
}
