/**
 * The scores tasks are judged by, in one place: {@link peft4j.data.metrics.Metrics} computes accuracy, F1, macro-F1,
 * Matthews correlation, SQuAD-style exact match / token F1, and the per-question scores of SuperGLUE MultiRC (F1a, EM)
 * and ReCoRD (EM, F1), and names them as task files do.
 */
package peft4j.data.metrics;
