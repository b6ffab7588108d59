/**
 * Tasks and their data: {@link peft4j.data.Tasks} (the catalog of {@link peft4j.data.TaskDefinition}s, with cloze
 * templates and verbalizers), {@link peft4j.data.DatasetStore} (pulled, cached, checksummed splits), and
 * {@link peft4j.data.Splits} (seeded stratified splitting).
 */
package peft4j.data;
