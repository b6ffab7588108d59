package peft4j.api;

/** Reports progress of long work (a download, a conversion, a training run) to whoever shows it. */
public interface Progress extends AutoCloseable {

    Progress SILENT = new Progress() {
        @Override
        public void advance(long amount) {
        }

        @Override
        public void close() {
        }
    };

    void advance(long amount);

    /** Replaces the text shown beside the bar, e.g. the current file or loss. */
    default void message(String text) {
    }

    @Override
    void close();

    /** Creates progress reporters for named tasks with a known total. */
    @FunctionalInterface
    interface Factory {
        Factory SILENT = (task, total, unit) -> Progress.SILENT;

        Progress start(String task, long total, String unit);
    }
}
