/**
 * Tasks and their data: {@link peft4j.data.Tasks} (the catalog of {@link peft4j.data.TaskDefinition}s, with cloze
 * templates and verbalizers), {@link peft4j.data.DatasetStore} (pulled, cached, checksummed splits), and
 * {@link peft4j.data.Splits} (seeded stratified or grouped splitting). Scores are in {@code peft4j.data.metrics};
 * GLUE/SuperGLUE files a user brings are read by {@code peft4j.data.benchmarks}.
 */
package peft4j.data;
