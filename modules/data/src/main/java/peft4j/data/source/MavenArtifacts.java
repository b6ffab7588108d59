package peft4j.data.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import peft4j.api.UserError;
import peft4j.api.io.FileTrees;
import peft4j.data.files.Sha256;

/**
 * Fetches jars with Maven itself ({@code mvn dependency:copy}), so the user's Maven settings (mirrors, proxies, local
 * repository) apply and no registry address is written into peft4j. {@code PEFT4J_MVN} names another Maven
 * executable.
 */
public final class MavenArtifacts {

    private final String mvn;

    /** Uses {@code $PEFT4J_MVN}, or {@code mvn} from the PATH. */
    public static MavenArtifacts system() {
        String fromEnvironment = System.getenv("PEFT4J_MVN");
        return new MavenArtifacts(fromEnvironment != null && !fromEnvironment.isBlank() ? fromEnvironment : "mvn");
    }

    MavenArtifacts(String mvn) {
        this.mvn = mvn;
    }

    /** A fetched jar. */
    public record Jar(String coordinates, String sha256, Path file) {
    }

    /**
     * Copies the jar {@code groupId:artifactId:version} (without its dependencies) into {@code dir}.
     *
     * @throws UserError if Maven is missing or cannot resolve the artifact
     */
    public Jar copy(String groupId, String artifactId, String version, Path dir) throws IOException {
        String coordinates = groupId + ":" + artifactId + ":" + version;
        Files.createDirectories(dir);
        Path work = Files.createTempDirectory(dir, ".mvn-copy-");
        try {
            ExternalCommand.Result result = ExternalCommand.runInstalled(work, List.of(mvn, "-B", "-q",
                    "dependency:copy", "-Dartifact=" + coordinates, "-Dtransitive=false",
                    "-DoutputDirectory=" + work.toAbsolutePath(), "-Dmdep.overWriteReleases=true"),
                    "install Maven (e.g. `apt-get install maven`) to fetch this task's data");
            Path jar = work.resolve(artifactId + "-" + version + ".jar");
            if (!result.succeeded() || !Files.isRegularFile(jar)) {
                throw new UserError("Maven could not fetch " + coordinates + " (" + result.lastLine("[ERROR]")
                        + "); check the network connection and Maven's settings, then retry");
            }
            Path target = dir.resolve(jar.getFileName());
            String sha256 = Sha256.of(jar);
            Files.move(jar, target, StandardCopyOption.REPLACE_EXISTING);
            return new Jar(coordinates, sha256, target);
        } finally {
            FileTrees.deleteRecursively(work);
        }
    }

    /** Copies entry {@code path} of {@code jar} to {@code target}; a {@link UserError} if the jar lacks it. */
    public static Path extract(Jar jar, String path, Path target) throws IOException {
        try (ZipFile zip = new ZipFile(jar.file().toFile())) {
            ZipEntry entry = zip.getEntry(path);
            if (entry == null) {
                throw new UserError(jar.coordinates() + " has no file " + path + "; the jar's layout changed: update"
                        + " the task's source.path");
            }
            Files.createDirectories(target.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), ".extract-", ".tmp");
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return target;
        } catch (ZipException e) {
            throw new UserError(jar.file() + " is not a valid jar (" + e.getMessage() + "); delete it and pull again",
                    e);
        }
    }
}
