package peft4j.backbone.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import peft4j.api.UserError;

/**
 * Fetches a jar with Maven itself ({@code mvn dependency:copy}), so that the user's Maven settings (mirrors, proxies,
 * local repository) apply and no registry address is written into peft4j.
 */
final class MavenArtifacts {

    private MavenArtifacts() {
    }

    /** Copies {@code group:artifact:version} into {@code directory} and returns the jar's path. */
    static Path copy(String coordinates, Path directory) throws IOException, InterruptedException {
        Files.createDirectories(directory);
        Path log = directory.resolve("maven.log");
        List<String> command = List.of(mavenExecutable(), "-B", "-q", "dependency:copy", "-Dartifact=" + coordinates,
                "-Dtransitive=false", "-DoutputDirectory=" + directory.toAbsolutePath(),
                "-Dmdep.overWriteReleases=true");
        Process process;
        try {
            process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UserError("Maven ('mvn') is needed to fetch " + coordinates + " but could not be started ("
                    + e.getMessage() + "); install Maven (e.g. apt-get install maven) or pass --model DIR");
        }
        if (!process.waitFor(60, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new UserError("Maven did not fetch " + coordinates + " within an hour; see " + log);
        }
        if (process.exitValue() != 0) {
            throw new UserError("Maven could not fetch " + coordinates + ": " + lastErrorLine(log) + " (full log: "
                    + log + ")");
        }
        String jarName = coordinates.split(":")[1] + "-" + coordinates.split(":")[2] + ".jar";
        Path jar = directory.resolve(jarName);
        if (!Files.isRegularFile(jar)) {
            throw new UserError("Maven reported success but " + jar + " is missing; see " + log);
        }
        return jar;
    }

    private static String mavenExecutable() {
        String fromEnvironment = System.getenv("PEFT4J_MVN");
        return fromEnvironment != null && !fromEnvironment.isBlank() ? fromEnvironment : "mvn";
    }

    private static String lastErrorLine(Path log) throws IOException {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("ERROR")).map(l -> l.replaceAll("\\u001B\\[[0-9;]*m", "").strip())
                    .filter(l -> l.length() > "[ERROR]".length()).findFirst().orElse("exit code != 0");
        }
    }
}
