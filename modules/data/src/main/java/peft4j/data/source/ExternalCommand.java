package peft4j.data.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import peft4j.api.UserError;

/** Runs a program and collects its exit code and combined output. */
final class ExternalCommand {

    /** What a finished program left behind. */
    record Result(int exitCode, String output) {
        boolean succeeded() {
            return exitCode == 0;
        }

        /** The last line starting with {@code prefix} (e.g. apt's "E:"), or the last non-blank line. */
        String lastLine(String prefix) {
            List<String> lines = output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).startsWith(prefix)) {
                    return lines.get(i);
                }
            }
            return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
        }
    }

    /** Thrown when the program itself cannot be started, typically because it is not installed. */
    static final class NotInstalled extends IOException {
        NotInstalled(String program, IOException cause) {
            super(program + " cannot be started: " + cause.getMessage(), cause);
        }
    }

    private ExternalCommand() {
    }

    /**
     * Runs {@code command} like {@link #run}, but a program that cannot be started is a {@link UserError} that ends
     * with {@code howToInstall}.
     */
    static Result runInstalled(Path workingDir, List<String> command, String howToInstall) throws IOException {
        try {
            return run(workingDir, command);
        } catch (NotInstalled e) {
            throw new UserError(command.get(0) + " is not installed or not on the PATH (" + e.getMessage() + "); "
                    + howToInstall, e);
        }
    }

    /**
     * The one file named {@code *suffix} that {@code command} (e.g. {@code npm pack x@1}), reported as successful, left
     * in {@code dir}; an {@link IOException} if it left none or several.
     */
    static Path singleOutputFile(Path dir, String suffix, String command) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
        }
        if (files.size() != 1) {
            throw new IOException(command + " reported success but left " + files.size() + " " + suffix
                    + " files in " + dir);
        }
        return files.get(0);
    }

    static Result run(Path workingDir, List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDir.toFile())
                .redirectErrorStream(true);
        // The C locale keeps messages in English, which callers match to explain failures.
        builder.environment().put("LC_ALL", "C");
        builder.environment().put("LANG", "C");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new NotInstalled(command.get(0), e);
        }
        process.getOutputStream().close(); // nothing to type: a program that asks for input sees end-of-file
        try (InputStream out = process.getInputStream()) {
            String output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            return new Result(process.waitFor(), output);
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", command), e);
        }
    }
}
