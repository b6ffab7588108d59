/**
 * Readers for the official files of GLUE and SuperGLUE tasks that a user brings (their data is not reachable through
 * the package clients peft4j uses): {@link peft4j.data.benchmarks.Benchmarks} names the supported tasks, gives each
 * one's {@link peft4j.data.TaskDefinition} (template, verbalizer, metric, provenance) and reads a directory holding
 * the task's {@code train}/{@code val} ({@code .jsonl}, SuperGLUE) or {@code train}/{@code dev} ({@code .tsv}, GLUE)
 * files into splits.
 */
package peft4j.data.benchmarks;
