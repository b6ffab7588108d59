package peft4j.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The train, dev and test examples of one task, each split in a fixed, seeded order. */
public record TaskSplits(List<Example> train, List<Example> dev, List<Example> test) {

    /** Split names in their canonical order; they are also the file names' stems ({@code train.jsonl}). */
    public static final List<String> NAMES = List.of("train", "dev", "test");

    public TaskSplits {
        train = List.copyOf(train);
        dev = List.copyOf(dev);
        test = List.copyOf(test);
    }

    /** The split called {@code name}, one of {@link #NAMES}. */
    public List<Example> split(String name) {
        return switch (name) {
            case "train" -> train;
            case "dev" -> dev;
            case "test" -> test;
            default -> throw new IllegalArgumentException("unknown split '" + name + "'; splits are " + NAMES);
        };
    }

    /** Number of examples per split, in {@link #NAMES} order. */
    public Map<String, Integer> sizes() {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (String name : NAMES) {
            sizes.put(name, split(name).size());
        }
        return sizes;
    }

    public int total() {
        return train.size() + dev.size() + test.size();
    }
}
