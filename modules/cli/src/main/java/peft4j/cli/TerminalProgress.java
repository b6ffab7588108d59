package peft4j.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import peft4j.api.Progress;

/** Progress bars on stderr (me.tongfei.progressbar), so that stdout stays clean for results and JSON. */
final class TerminalProgress implements Progress.Factory {

    @Override
    public Progress start(String task, long total, String unit) {
        if (total <= 1) {
            System.err.println(task + "...");
            return Progress.SILENT;
        }
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                // Redrawn in place on a terminal; in a log (no console) one line every few seconds is plenty.
                .setUpdateIntervalMillis(System.console() != null ? 250 : 5000).showSpeed();
        if (unit.equals("MB")) {
            builder.setUnit(" MB", 1 << 20);
        } else if (!unit.isEmpty()) {
            builder.setUnit(" " + unit, 1);
        }
        ProgressBar bar = builder.build();
        return new Progress() {
            @Override
            public void advance(long amount) {
                bar.stepBy(amount);
            }

            @Override
            public void message(String text) {
                bar.setExtraMessage(text);
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }
}
