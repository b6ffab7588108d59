package peft4j.api;

import ai.djl.ndarray.NDArray;

/** A tensor together with the name it is saved and reported under. */
public record NamedTensor(String name, NDArray array) {
}
