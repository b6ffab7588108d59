/**
 * peft4j.data: the labelled tasks prompt tuning is trained and evaluated on. A task is a JSON definition (labels,
 * cloze template, verbalizer, text-to-text form, metric, provenance) plus a {@link peft4j.data.DatasetSource} that
 * fetches its raw data with an ordinary package client; {@link peft4j.data.DatasetStore} turns that into cached,
 * checksummed, seeded train/dev/test splits. Entry points: {@link peft4j.data.Tasks} and
 * {@link peft4j.data.DatasetStore}.
 */
module peft4j.data {
    requires transitive peft4j.api;
    requires java.xml; // LanguageTool grammar rules (acceptability-lt)

    exports peft4j.data;
    exports peft4j.data.metrics;
    exports peft4j.data.benchmarks;
    exports peft4j.data.source;

    // Task definitions and manifests are records read and written by Jackson.
    opens peft4j.data to com.fasterxml.jackson.databind;
}
