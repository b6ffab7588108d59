package peft4j.data;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * What {@code manifest.json} beside a task's split files records: where the data came from, how it was split, and
 * the sha256 of each split file, so a later load can prove the files are the ones this pull wrote.
 *
 * @param formatVersion version of this layout, {@value #FORMAT_VERSION}
 * @param task          the task's name
 * @param source        the raw data used
 * @param split         the split policy applied
 * @param counts        examples per split file stem ({@code train}, {@code dev}, {@code test})
 * @param labelCounts   examples per split and label
 * @param sha256        hex sha256 per split file name ({@code train.jsonl}, ...)
 * @param created       when the pull finished, ISO-8601 UTC
 */
public record DatasetManifest(
        int formatVersion,
        String task,
        Origin source,
        TaskDefinition.SplitPolicy split,
        Map<String, Integer> counts,
        Map<String, Map<String, Integer>> labelCounts,
        Map<String, String> sha256,
        String created) {

    public static final int FORMAT_VERSION = 1;

    /**
     * Provenance of the raw data.
     *
     * @param kind        how it was fetched, e.g. {@code debian}
     * @param packageName the package fetched
     * @param version     the version fetched
     * @param sha256      hex sha256 of the downloaded archive (the .deb)
     * @param path        the data file inside it
     */
    public record Origin(String kind, @JsonProperty("package") String packageName, String version, String sha256,
            String path) {
    }
}
