package peft4j.data.source;

import java.nio.file.Files;
import java.nio.file.Path;
import peft4j.api.UserError;
import peft4j.data.RawData;
import peft4j.data.TaskDefinition;

/** Finds a file again in unpacked raw data, whichever package client (apt-get, npm) fetched it. */
final class UnpackedFiles {

    private UnpackedFiles() {
    }

    /** The unpacked file {@code path}, or a {@link UserError} saying the package layout changed. */
    static Path require(RawData raw, TaskDefinition task, String path) {
        Path file = raw.root().resolve(path);
        if (!Files.isRegularFile(file)) {
            throw new UserError("package " + raw.name() + " " + raw.version() + " has no file " + path + " (task "
                    + task.name() + " expects it there); the package layout changed: update the task's source.path");
        }
        return file;
    }
}
