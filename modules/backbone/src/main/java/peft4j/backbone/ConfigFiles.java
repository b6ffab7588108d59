package peft4j.backbone;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import peft4j.api.UserError;

/** Reads a Hugging Face model directory's {@code config.json} into a config record, with one-line errors. */
public final class ConfigFiles {

    private ConfigFiles() {
    }

    /** The directory's {@code config.json}. */
    public static Path file(Path dir) {
        return dir.resolve("config.json");
    }

    public static <T> T read(Path dir, Class<T> type, ObjectMapper json) {
        Path file = file(dir);
        if (!Files.isRegularFile(file)) {
            throw new UserError("no config.json in " + dir + ": a model directory needs config.json and "
                    + "model.safetensors (the Hugging Face layout)");
        }
        try {
            return json.readValue(file.toFile(), type);
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            int newline = message.indexOf('\n');
            throw new UserError("cannot parse " + file + ": " + (newline < 0 ? message : message.substring(0, newline)),
                    e);
        }
    }
}
