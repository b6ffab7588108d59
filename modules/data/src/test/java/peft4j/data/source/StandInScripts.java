package peft4j.data.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Shell scripts that stand in for package clients (apt-get, npm, mvn), so tests need neither them nor a network. */
final class StandInScripts {

    private StandInScripts() {
    }

    /** An executable {@code /bin/sh} script {@code dir/name} running {@code body}. */
    static Path write(Path dir, String name, String body) throws IOException {
        Path script = dir.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}
