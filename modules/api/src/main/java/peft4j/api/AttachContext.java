package peft4j.api;

import ai.djl.ndarray.NDManager;

/**
 * What a method may use while attaching to a backbone.
 *
 * @param manager where the method creates its tensors; closing the adapter closes them
 * @param seed    seed of every random choice the method makes (initialisation), for reproducible runs
 * @param task    what the task offers for initialisation and demonstrations; {@link TaskContext#NONE} when no task
 */
public record AttachContext(NDManager manager, long seed, TaskContext task) {
}
