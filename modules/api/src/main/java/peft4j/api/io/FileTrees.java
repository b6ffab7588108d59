package peft4j.api.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Whole-directory operations that {@link Files} lacks. */
public final class FileTrees {

    private FileTrees() {
    }

    /**
     * Creates a uniquely named directory in {@code parent} in which to assemble what will later be renamed into place.
     * Unlike a plain temporary directory it is readable by others (rwxr-xr-x), as the directory it becomes should be.
     */
    public static Path createStagingDirectory(Path parent, String prefix) throws IOException {
        Path dir = Files.createTempDirectory(parent, prefix);
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return dir;
    }

    /** Deletes {@code root} and everything below it; does nothing if it does not exist. */
    public static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList(); // children before their parents
        }
        for (Path path : paths) {
            Files.deleteIfExists(path);
        }
    }

    /**
     * Puts directory {@code source} in the place of {@code target}, replacing any directory there. A rename cannot
     * replace a non-empty directory, so the old one is renamed aside first and deleted after the swap.
     */
    public static void replaceDirectory(Path source, Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Path aside = null;
        if (Files.exists(target)) {
            aside = Files.createTempDirectory(parent, "." + target.getFileName() + ".old-");
            Files.delete(aside); // only the unique name is wanted
            Files.move(target, aside);
        }
        Files.move(source, target);
        if (aside != null) {
            deleteRecursively(aside);
        }
    }

    /** Deletes leftovers named {@code prefix*} in {@code dir}, e.g. temp directories of an interrupted run. */
    public static void deleteLeftovers(Path dir, String prefix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> leftovers;
        try (Stream<Path> list = Files.list(dir)) {
            leftovers = list.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
        }
        for (Path leftover : leftovers) {
            deleteRecursively(leftover);
        }
    }
}
