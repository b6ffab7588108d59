package peft4j.api;

/**
 * Marker for a method's typed configuration. Implementations are records with Jackson-readable components, so a
 * run's {@code config.json} can rebuild the exact method.
 */
public interface MethodConfig {
}
