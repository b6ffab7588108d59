package peft4j.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import peft4j.api.UserError;
import peft4j.data.Example;

/**
 * Requests for a mixed-task batch, one JSON object per line: {@code {"task": "polarity", "text": "..."}}, optionally
 * {@code "text_pair"} for pair tasks and {@code "adapter"} (a run directory's name) when several loaded runs share the
 * task. Blank lines are skipped.
 */
public final class RequestFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RequestFile() {
    }

    public static List<MixedTaskPredictor.Request> read(Path file, List<MixedTaskPredictor.Member> members) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            throw new UserError("input file " + file + " does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<MixedTaskPredictor.Request> requests = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String where = file + ":" + (i + 1);
            JsonNode node;
            try {
                node = JSON.readTree(lines.get(i));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new UserError(where + ": not a JSON object (" + e.getOriginalMessage() + ")");
            }
            if (!node.isObject() || !node.path("text").isTextual()) {
                throw new UserError(where + ": each line needs a \"text\" string and a \"task\" (or \"adapter\")");
            }
            String member = member(node, members, where);
            String pair = node.path("text_pair").isTextual() ? node.get("text_pair").asText() : null;
            requests.add(new MixedTaskPredictor.Request(member,
                    new Example("line-" + (i + 1), node.get("text").asText(), pair, null)));
        }
        if (requests.isEmpty()) {
            throw new UserError("input file " + file + " has no requests");
        }
        return requests;
    }

    private static String member(JsonNode node, List<MixedTaskPredictor.Member> members, String where) {
        List<String> names = members.stream().map(MixedTaskPredictor.Member::key).toList();
        if (node.path("adapter").isTextual()) {
            String adapter = node.get("adapter").asText();
            if (!names.contains(adapter)) {
                throw new UserError(where + ": no loaded adapter is called '" + adapter + "'; loaded: " + names);
            }
            return adapter;
        }
        if (!node.path("task").isTextual()) {
            throw new UserError(where + ": name the line's \"task\" (or its \"adapter\", one of " + names + ")");
        }
        String task = node.get("task").asText();
        List<String> matching = members.stream().filter(m -> m.head().task().name().equals(task))
                .map(MixedTaskPredictor.Member::key).toList();
        if (matching.isEmpty()) {
            throw new UserError(where + ": no loaded adapter was trained on task '" + task + "'; loaded tasks: "
                    + members.stream().map(m -> m.head().task().name()).distinct().toList());
        }
        if (matching.size() > 1) {
            throw new UserError(where + ": task '" + task + "' has several loaded adapters " + matching
                    + "; say which with \"adapter\"");
        }
        return matching.get(0);
    }
}
