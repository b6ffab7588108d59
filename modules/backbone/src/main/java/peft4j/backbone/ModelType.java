package peft4j.backbone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import peft4j.api.UserError;

/** The architecture of a Hugging Face model directory: {@code config.json}'s {@code model_type} (bert, gpt2, t5). */
public final class ModelType {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelType() {
    }

    public static String of(Path modelDir) {
        Path config = modelDir.resolve("config.json");
        if (!Files.isRegularFile(config)) {
            throw new UserError("no config.json in " + modelDir + "; give a Hugging Face model directory");
        }
        try {
            JsonNode type = JSON.readTree(config.toFile()).get("model_type");
            if (type == null || !type.isTextual()) {
                throw new UserError(config + " has no model_type; add the one Hugging Face writes (e.g. \"gpt2\")");
            }
            return type.asText();
        } catch (IOException e) {
            throw new UserError("cannot parse " + config + ": " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }
}
