package peft4j.data.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import peft4j.api.UserError;
import peft4j.api.io.AtomicFiles;
import peft4j.api.io.FileTrees;
import peft4j.data.files.Sha256;

/**
 * Fetches npm packages with npm itself: {@code npm pack NAME@VERSION} downloads the package tarball (the same bytes
 * {@code npm install} would unpack) without installing anything or running its scripts. The tarball is unpacked here,
 * in Java, keeping only the files a task needs.
 */
public final class NpmPackages {

    private final String npm;

    /** Uses {@code npm} from the PATH. */
    public static NpmPackages system() {
        return new NpmPackages("npm");
    }

    NpmPackages(String npm) {
        this.npm = npm;
    }

    /**
     * Downloads {@code name@version} into {@code dir}, replacing an earlier download of the same tarball.
     *
     * @throws UserError if npm is missing, the package or version is unknown, or the download fails
     */
    public NpmPackage pack(String name, String version, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path work = Files.createTempDirectory(dir, ".npm-pack-");
        try {
            String spec = name + "@" + version;
            ExternalCommand.Result result = ExternalCommand.runInstalled(work,
                    List.of(npm, "pack", "--ignore-scripts", spec),
                    "install Node.js and npm (e.g. `apt-get install npm`) to fetch this task's data");
            if (!result.succeeded()) {
                throw packFailure(spec, result);
            }
            Path tgz = ExternalCommand.singleOutputFile(work, ".tgz", "npm pack " + spec);
            Path target = dir.resolve(tgz.getFileName());
            String sha256 = Sha256.of(tgz);
            AtomicFiles.moveIntoPlace(tgz, target);
            return new NpmPackage(name, version, sha256, target);
        } finally {
            FileTrees.deleteRecursively(work);
        }
    }

    /**
     * Unpacks the files of {@code pkg} whose archive paths (e.g. {@code package/test/fixtures/imdb.json}) pass
     * {@code keep} into directory {@code target}, keeping their relative paths and replacing whatever was there, all
     * or nothing.
     *
     * @return how many files were unpacked
     */
    public int extract(NpmPackage pkg, Path target, Predicate<String> keep) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path work = FileTrees.createStagingDirectory(parent, "." + target.getFileName() + ".extract-");
        try {
            int[] count = {0};
            TarGz.read(pkg.file(), (path, size, content) -> {
                if (keep.test(path)) {
                    write(work, path, content, pkg);
                    count[0]++;
                }
            });
            FileTrees.replaceDirectory(work, target);
            return count[0];
        } catch (java.io.EOFException | java.util.zip.ZipException e) {
            throw new UserError(pkg.file() + " is damaged (" + e.getMessage() + "); delete it and pull again", e);
        } finally {
            FileTrees.deleteRecursively(work);
        }
    }

    private static void write(Path root, String path, InputStream content, NpmPackage pkg) throws IOException {
        Path file = root.resolve(path).normalize();
        if (!file.startsWith(root) || path.startsWith("/")) {
            throw new UserError(pkg.file() + " holds the unsafe path " + path + "; refusing to unpack it");
        }
        Files.createDirectories(file.getParent());
        Files.copy(content, file);
    }

    private static UserError packFailure(String spec, ExternalCommand.Result result) {
        String output = result.output();
        String npmSays = result.lastLine(output.contains("npm ERR!") ? "npm ERR!" : "npm error");
        String lower = output.toLowerCase(Locale.ROOT);
        if (lower.contains("e404") || lower.contains("etarget") || lower.contains("no matching version")) {
            return new UserError("npm cannot find " + spec + " (" + npmSays + "); the package or version was removed"
                    + " from the registry: check the task's source");
        }
        return new UserError("npm pack " + spec + " failed (exit " + result.exitCode() + ": " + npmSays
                + "); check the network connection and npm's registry settings, then retry");
    }
}
