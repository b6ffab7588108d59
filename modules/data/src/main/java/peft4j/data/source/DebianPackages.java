package peft4j.data.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import peft4j.api.UserError;
import peft4j.api.io.AtomicFiles;
import peft4j.api.io.FileTrees;
import peft4j.data.files.Sha256;

/**
 * Fetches Debian packages with the system's own tools, without root: {@code apt-get download} to get the .deb and
 * {@code dpkg-deb -x} to unpack it. Only refreshing apt's package lists ({@code apt-get update}) needs root, and the
 * errors say so.
 */
public final class DebianPackages {

    private static final Path APT_LISTS = Path.of("/var/lib/apt/lists");

    private final String aptGet;
    private final String dpkgDeb;
    private final Path aptLists;

    /** Uses {@code apt-get} and {@code dpkg-deb} from the PATH. */
    public static DebianPackages system() {
        return new DebianPackages("apt-get", "dpkg-deb", APT_LISTS);
    }

    /** Uses the given programs; {@code aptLists} is apt's list directory, consulted to explain a failed lookup. */
    DebianPackages(String aptGet, String dpkgDeb, Path aptLists) {
        this.aptGet = aptGet;
        this.dpkgDeb = dpkgDeb;
        this.aptLists = aptLists;
    }

    /**
     * Downloads the current candidate version of package {@code name} into {@code dir}, replacing an earlier download
     * of the same file.
     *
     * @throws UserError if apt-get is missing, the package is unknown (with the command that fixes stale lists), or
     *                   the download fails
     */
    public DebianPackage download(String name, Path dir) throws IOException {
        Files.createDirectories(dir);
        // A private working directory, so a failed download leaves no partial .deb where a finished one belongs.
        Path work = Files.createTempDirectory(dir, ".apt-get-download-");
        try {
            ExternalCommand.Result result = ExternalCommand.runInstalled(work, List.of(aptGet, "download", name),
                    "it is part of Debian's apt; fetching this task's data needs a Debian or Ubuntu system");
            if (!result.succeeded()) {
                throw downloadFailure(name, result);
            }
            Path deb = ExternalCommand.singleOutputFile(work, ".deb", "apt-get download " + name);
            Path target = dir.resolve(deb.getFileName());
            String version = field(deb, "Version");
            String sha256 = Sha256.of(deb);
            AtomicFiles.moveIntoPlace(deb, target);
            return new DebianPackage(name, version, sha256, target);
        } finally {
            FileTrees.deleteRecursively(work);
        }
    }

    /**
     * Unpacks the files {@code paths} (relative to the package root, e.g. {@code usr/share/doc/...}) of {@code deb}
     * into directory {@code target}, keeping their relative paths and replacing whatever was there, all or nothing.
     * Only the named files are kept: a package may hold far more than a task needs.
     *
     * @throws UserError if the package lacks one of the files
     */
    public Path extract(DebianPackage deb, Path target, List<String> paths) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path work = FileTrees.createStagingDirectory(parent, "." + target.getFileName() + ".extract-");
        try {
            Path everything = work.resolve("all");
            ExternalCommand.Result result = ExternalCommand.runInstalled(parent,
                    List.of(dpkgDeb, "-x", deb.file().toString(), everything.toString()), "install the dpkg package");
            if (!result.succeeded()) {
                throw new UserError("dpkg-deb could not unpack " + deb.file() + ": " + result.lastLine("dpkg-deb")
                        + "; delete the file and pull again");
            }
            Path kept = Files.createDirectories(work.resolve("kept"));
            for (String path : paths) {
                Path file = everything.resolve(path);
                if (!Files.isRegularFile(file)) {
                    throw new UserError("package " + deb.name() + " " + deb.version() + " has no file " + path
                            + "; the package layout changed: update the task's source.path");
                }
                Files.createDirectories(kept.resolve(path).getParent());
                Files.move(file, kept.resolve(path));
            }
            FileTrees.replaceDirectory(kept, target);
            return target;
        } finally {
            FileTrees.deleteRecursively(work);
        }
    }

    private String field(Path deb, String field) throws IOException {
        ExternalCommand.Result result = ExternalCommand.runInstalled(deb.getParent(),
                List.of(dpkgDeb, "-f", deb.toString(), field), "install the dpkg package");
        if (!result.succeeded() || result.output().isBlank()) {
            throw new UserError("dpkg-deb cannot read the " + field + " of " + deb + ": " + result.lastLine("dpkg-deb")
                    + "; the download may be damaged, pull again");
        }
        return result.output().strip();
    }

    private UserError downloadFailure(String name, ExternalCommand.Result result) {
        String aptSays = result.lastLine("E:");
        String output = result.output();
        boolean notFound = output.contains("Unable to locate package")
                || output.contains("has no installation candidate")
                || output.contains("Can't select candidate version")
                || output.contains("No packages found");
        if (!notFound) {
            return new UserError("apt-get download " + name + " failed (exit " + result.exitCode() + ": " + aptSays
                    + "); check the network connection and apt's sources, then retry");
        }
        if (!hasPackageLists()) {
            return new UserError("apt-get cannot find package " + name + " because apt's package lists are empty ("
                    + aptSays + "); run `sudo apt-get update` (or `apt-get update` as root) once, then retry");
        }
        return new UserError("apt-get cannot find package " + name + " (" + aptSays + "); its package lists may be"
                + " stale: run `sudo apt-get update` (or `apt-get update` as root), then retry");
    }

    /** Whether apt has downloaded any package index (files named like {@code ..._Packages} or {@code ..._Packages.lz4}). */
    private boolean hasPackageLists() {
        if (!Files.isDirectory(aptLists)) {
            return false;
        }
        try (Stream<Path> files = Files.list(aptLists)) {
            return files.anyMatch(f -> f.getFileName().toString().contains("_Packages"));
        } catch (IOException e) {
            return true; // cannot tell; the stale-lists advice covers this case too
        }
    }
}
