package peft4j.train.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import peft4j.api.UserError;

/**
 * A run's {@code config.json}: everything needed to rerun it.
 *
 * @param model        a known model name or a checkpoint directory
 * @param task         the task trained on
 * @param method       the adaptation method's name
 * @param methodConfig the method's settings as JSON (read back by the method itself)
 * @param training     steps, batch size, optimizer, learning rate, seed...
 * @param engine       DJL engine
 * @param device       auto, cpu or gpu
 * @param dataDir      where the official files of a GLUE/SuperGLUE task are; null for peft4j's own tasks
 */
public record RunConfig(
        @JsonProperty("model") String model,
        @JsonProperty("task") String task,
        @JsonProperty("method") String method,
        @JsonProperty("method_config") JsonNode methodConfig,
        @JsonProperty("training") TrainSettings training,
        @JsonProperty("engine") String engine,
        @JsonProperty("device") String device,
        @JsonProperty("data_dir") String dataDir) {

    public java.nio.file.Path dataDirectory() {
        return dataDir == null ? null : java.nio.file.Path.of(dataDir);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public static RunConfig read(Path runDirectory) {
        Path file = runDirectory.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            throw new UserError(runDirectory + " is not a run directory (no config.json); pass the --out of a "
                    + "'peft4j train' run");
        }
        try {
            return JSON.readValue(file.toFile(), RunConfig.class);
        } catch (IOException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof UserError userError) {
                    throw userError;
                }
            }
            throw new UserError("cannot read " + file + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
