package peft4j.train.run;

import java.util.Map;
import java.util.TreeMap;
import peft4j.api.PeftConfig;

/**
 * {@code adapter_config.json} byte for byte as PEFT 0.6.2 writes it: {@code json.dumps(asdict(config), indent=2,
 * sort_keys=True)} with no newline at the end, non-ASCII escaped as Python's {@code ensure_ascii} does.
 */
final class PeftAdapterConfig {

    private PeftAdapterConfig() {
    }

    /** The file's text for {@code config}; {@code baseModel} is PEFT's informational base_model_name_or_path. */
    static String json(PeftConfig config, String baseModel) {
        Map<String, Object> keys = new TreeMap<>(config.fields());
        keys.put("auto_mapping", null);
        keys.put("base_model_name_or_path", baseModel);
        keys.put("inference_mode", true);
        keys.put("peft_type", config.peftType());
        keys.put("revision", null);
        keys.put("task_type", config.taskType());
        StringBuilder out = new StringBuilder("{");
        String separator = "\n";
        for (Map.Entry<String, Object> entry : keys.entrySet()) {
            out.append(separator).append("  ").append(string(entry.getKey())).append(": ").append(value(entry.getValue()));
            separator = ",\n";
        }
        return out.append("\n}").toString();
    }

    private static String value(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
            return value.toString();
        }
        if (value instanceof String text) {
            return string(text);
        }
        throw new IllegalArgumentException("adapter_config.json values are strings, integers, booleans or null; got "
                + value.getClass().getSimpleName());
    }

    /** A JSON string as Python's json module writes it with ensure_ascii=True. */
    static String string(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
