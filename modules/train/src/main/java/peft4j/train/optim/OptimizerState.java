package peft4j.train.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import peft4j.api.io.Safetensors;
import peft4j.api.io.SafetensorsWriter;

/**
 * A host-side copy of a {@link StatefulOptimizer}'s state: for each parameter id its step count and its state slots
 * (e.g. Adafactor's {@code exp_avg_sq_row}), as exact float32 values. Exporting and importing it is lossless, so a
 * run that is killed and resumed from it continues bit-identically.
 *
 * <p>In a safetensors file every slot is a tensor named {@code <parameterId>/<slot>} and every step count an int64
 * scalar named {@code <parameterId>/step}; the metadata key {@code optimizer} names the algorithm, so state of one
 * optimizer is never fed to another.
 *
 * @param algorithm the optimizer it came from ({@code adafactor}, {@code adamw})
 * @param parameters per parameter id, in the order the optimizer first saw them
 */
public record OptimizerState(String algorithm, Map<String, Parameter> parameters) {

    /** The metadata key naming the algorithm in a safetensors file. */
    public static final String ALGORITHM_KEY = "optimizer";

    private static final String STEP = "step";

    /**
     * The state of one parameter.
     *
     * @param step how many updates it has had
     * @param slots the state arrays by slot name
     */
    public record Parameter(long step, Map<String, Slot> slots) {

        public Parameter {
            slots = Collections.unmodifiableMap(new LinkedHashMap<>(slots));
        }
    }

    /**
     * One state array.
     *
     * @param shape its shape
     * @param values its float32 values, row-major
     */
    public record Slot(long[] shape, float[] values) {
    }

    public OptimizerState {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** The tensors to write with {@link SafetensorsWriter#write}, together with {@link #metadata()}. */
    public Map<String, SafetensorsWriter.Tensor> toTensors() {
        Map<String, SafetensorsWriter.Tensor> tensors = new LinkedHashMap<>();
        parameters.forEach((id, parameter) -> {
            tensors.put(id + "/" + STEP, SafetensorsWriter.Tensor.ofLongs(new long[] {parameter.step()}));
            parameter.slots().forEach((slot, value) ->
                    tensors.put(id + "/" + slot, SafetensorsWriter.Tensor.ofFloats(value.values(), value.shape())));
        });
        return tensors;
    }

    /** The safetensors metadata that names the algorithm. */
    public Map<String, String> metadata() {
        return Map.of(ALGORITHM_KEY, algorithm);
    }

    /** Reads state written as {@link #toTensors()} plus {@link #metadata()}. */
    public static OptimizerState fromSafetensors(Safetensors file) {
        String algorithm = file.metadata().get(ALGORITHM_KEY);
        if (algorithm == null) {
            throw new IllegalArgumentException(file.path() + " holds no optimizer state (metadata '" + ALGORITHM_KEY
                    + "' is missing)");
        }
        Map<String, Long> steps = new LinkedHashMap<>();
        Map<String, Map<String, Slot>> slots = new LinkedHashMap<>();
        for (Safetensors.TensorInfo info : file.tensors().values()) {
            // Parameter ids may contain '/', slot names never do.
            int cut = info.name().lastIndexOf('/');
            if (cut <= 0) {
                throw new IllegalArgumentException("tensor '" + info.name() + "' in " + file.path()
                        + " is not named <parameterId>/<slot>");
            }
            String id = info.name().substring(0, cut);
            String slot = info.name().substring(cut + 1);
            if (slot.equals(STEP)) {
                steps.put(id, file.longs(info.name())[0]);
            } else {
                slots.computeIfAbsent(id, k -> new LinkedHashMap<>())
                        .put(slot, new Slot(info.shape(), file.floats(info.name())));
            }
        }
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        steps.forEach((id, step) -> parameters.put(id, new Parameter(step, slots.getOrDefault(id, Map.of()))));
        slots.keySet().stream().filter(id -> !steps.containsKey(id)).findFirst().ifPresent(id -> {
            throw new IllegalArgumentException("optimizer state for '" + id + "' in " + file.path()
                    + " has no step count");
        });
        return new OptimizerState(algorithm, parameters);
    }
}
