package peft4j.train.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import peft4j.api.Adapter;
import peft4j.api.UserError;
import peft4j.api.io.AtomicFiles;
import peft4j.api.io.FileTrees;

/**
 * A run on disk. Everything is written atomically (temp file, then rename):
 * <pre>
 *   config.json       everything needed to rerun: model, task, method + config, training settings
 *   provenance.json   code version, libraries, engine, device, CPU, seed, wall time
 *   metrics.jsonl     one line per step: loss, seconds, and dev accuracy at evaluations
 *   adapter/          the best adapter (adapter_model.safetensors, adapter_config.json when PEFT can read it,
 *                     peft4j.json), or for model tuning the best model (a Hugging Face model directory)
 *   checkpoint/       the latest adapter, optimizer state and training state, for --resume
 *   eval.json         final evaluation
 * </pre>
 */
public final class RunDirectory {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final Path baseModel;

    public RunDirectory(Path directory) {
        this(directory, null);
    }

    /** A run whose backbone was loaded from {@code baseModel}: a saved model copies its config and tokenizer. */
    public RunDirectory(Path directory, Path baseModel) {
        this.directory = directory;
        this.baseModel = baseModel;
    }

    public Path directory() {
        return directory;
    }

    public Path config() {
        return directory.resolve("config.json");
    }

    public Path adapterDirectory() {
        return directory.resolve("adapter");
    }

    public Path checkpointDirectory() {
        return directory.resolve("checkpoint");
    }

    public Path metrics() {
        return directory.resolve("metrics.jsonl");
    }

    public boolean hasCheckpoint() {
        return Files.isRegularFile(checkpointDirectory().resolve("state.json"));
    }

    public void writeJson(String file, Object value) throws IOException {
        Files.createDirectories(directory);
        AtomicFiles.writeString(directory.resolve(file), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value)
                + "\n");
    }

    public void appendMetrics(Map<String, Object> line) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(metrics(), JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    /** Drops metric lines after {@code step}: a resumed run rewrites them. */
    public void truncateMetrics(int step) throws IOException {
        if (!Files.exists(metrics())) {
            return;
        }
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(metrics(), StandardCharsets.UTF_8)) {
            if (!line.isBlank() && JSON.readTree(line).path("step").asInt() <= step) {
                kept.add(line);
            }
        }
        AtomicFiles.writeString(metrics(), kept.isEmpty() ? "" : String.join("\n", kept) + "\n");
    }

    public void saveBestAdapter(Adapter adapter, Map<String, Object> description) throws IOException {
        AdapterFiles.save(adapterDirectory(), adapter, description, baseModel);
    }

    public void loadBestAdapter(Adapter adapter) {
        if (Files.isDirectory(adapterDirectory())) {
            AdapterFiles.loadInto(adapterDirectory(), adapter);
        }
    }

    /**
     * Writes the checkpoint into a fresh directory and swaps it in, so a kill at any moment leaves either the old or
     * the new checkpoint whole.
     */
    public void saveCheckpoint(Adapter adapter, ParameterOptimizer optimizer, TrainingState state) throws IOException {
        Path fresh = directory.resolve(".checkpoint-new");
        FileTrees.deleteRecursively(fresh);
        Files.createDirectories(fresh);
        AdapterFiles.save(fresh, adapter, Map.of(), baseModel);
        optimizer.saveState(fresh.resolve("optimizer.safetensors"));
        Files.writeString(fresh.resolve("state.json"), JSON.writeValueAsString(state) + "\n");
        Path old = directory.resolve(".checkpoint-old");
        FileTrees.deleteRecursively(old);
        if (Files.exists(checkpointDirectory())) {
            Files.move(checkpointDirectory(), old);
        }
        Files.move(fresh, checkpointDirectory());
        FileTrees.deleteRecursively(old);
    }

    /** Restores adapter values and optimizer state; returns where training stood. */
    public TrainingState loadCheckpoint(Adapter adapter, ParameterOptimizer optimizer) throws IOException {
        Path dir = checkpointDirectory();
        if (!hasCheckpoint()) {
            // A kill between the two renames of saveCheckpoint leaves the previous checkpoint here.
            Path old = directory.resolve(".checkpoint-old");
            if (Files.isRegularFile(old.resolve("state.json"))) {
                Files.move(old, dir);
            } else {
                throw new UserError("no checkpoint in " + directory + " to resume from; start the run without --resume");
            }
        }
        AdapterFiles.loadInto(dir, adapter);
        optimizer.loadState(dir.resolve("optimizer.safetensors"));
        return JSON.readValue(dir.resolve("state.json").toFile(), TrainingState.class);
    }
}
