package peft4j.data.source;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import peft4j.api.Progress;
import peft4j.data.RawData;
import peft4j.data.TaskDefinition;

/**
 * What every Debian-backed source does the same way: download and unpack the needed files;
 * {@link UnpackedFiles} finds them again.
 */
final class DebianSources {

    private DebianSources() {
    }

    /** Downloads the task's {@code source.package} and unpacks {@code paths} into {@code downloads/<pkg>_<version>}. */
    static RawData acquire(DebianPackages debian, TaskDefinition task, Path downloads, Progress.Factory progress,
            List<String> paths) throws IOException {
        String name = task.source().packageName();
        try (Progress bar = progress.start("download " + name, 2, "steps")) {
            DebianPackage deb = debian.download(name, downloads);
            bar.advance(1);
            Path unpacked = debian.extract(deb, downloads.resolve(name + "_" + deb.version()), paths);
            bar.advance(1);
            return new RawData("debian", deb.name(), deb.version(), deb.sha256(), unpacked);
        }
    }
}
