package peft4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import peft4j.api.Progress;

/**
 * Fetches a task's raw data and turns it into examples. Implementations use an ordinary package client and never
 * embed the data themselves; {@link DatasetStore} caches and splits what they return.
 */
public interface DatasetSource {

    /** The task this source provides data for. */
    TaskDefinition task();

    /** Downloads the raw data into {@code downloads} (creating it if needed) and unpacks it. */
    RawData acquire(Path downloads, Progress.Factory progress) throws IOException;

    /** All examples in the raw data, with stable ids, in source order. */
    List<Example> parse(RawData raw) throws IOException;

    /**
     * The group {@code example} belongs to when the task's split policy is grouped ({@code split.group_by} other
     * than {@code label}): examples of one group always land in the same split. Sources of stratified tasks keep
     * this default, which is never called for them.
     */
    default String splitGroup(Example example) {
        throw new UnsupportedOperationException("task " + task().name() + " is split by " + task().split().groupBy()
                + " but its source assigns no groups");
    }
}
