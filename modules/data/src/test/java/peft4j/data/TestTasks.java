package peft4j.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/** Task definitions for tests: the real polarity file, edited. */
public final class TestTasks {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TestTasks() {
    }

    /** The polarity task file as an editable tree. */
    public static ObjectNode polarityJson() {
        try (InputStream in = Tasks.class.getResourceAsStream("/peft4j/data/tasks/polarity.json")) {
            return (ObjectNode) MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The polarity definition renamed to {@code name} and edited by {@code edit}. */
    public static TaskDefinition definition(String name, Consumer<ObjectNode> edit) {
        ObjectNode json = polarityJson();
        json.put("name", name);
        edit.accept(json);
        return TaskDefinitionReader.parse(json.toString(), name + ".json");
    }

    /** Sets the expected split sizes. */
    public static Consumer<ObjectNode> expecting(int train, int dev, int test) {
        return json -> {
            ObjectNode sizes = json.putObject("expected_sizes");
            sizes.put("total", train + dev + test);
            sizes.put("train", train);
            sizes.put("dev", dev);
            sizes.put("test", test);
        };
    }
}
