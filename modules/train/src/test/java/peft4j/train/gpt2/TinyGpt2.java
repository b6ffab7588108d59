package peft4j.train.gpt2;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The golden tiny GPT-2 (../shared/golden/gpt2-tiny, vocabulary 128, 64 positions) with a byte-level BPE vocabulary
 * written for a handful of words: every character they use, then merges that grow each word after a space
 * ({@code Ġ}) one character at a time, so {@code " great"} is the single token {@code Ġgreat}. End-of-text is id 127,
 * the model's eos.
 */
final class TinyGpt2 {

    static final Path GOLDEN = Path.of(System.getProperty("peft4j.golden", "../shared/golden")).resolve("gpt2-tiny");
    static final String SPACE = "Ġ";

    private TinyGpt2() {
    }

    static Path model(Path dir, List<String> words) throws IOException {
        Files.createDirectories(dir);
        for (String file : new String[] {"config.json", "model.safetensors"}) {
            Files.copy(GOLDEN.resolve(file), dir.resolve(file));
        }
        Set<String> characters = new LinkedHashSet<>();
        characters.add(SPACE);
        characters.add(".");
        for (String word : words) {
            word.chars().forEach(c -> characters.add(String.valueOf((char) c)));
        }
        List<String> tokens = new ArrayList<>(characters);
        List<String> merges = new ArrayList<>();
        for (String word : words) {
            String piece = SPACE;
            for (char c : word.toCharArray()) {
                String merged = piece + c;
                if (!tokens.contains(merged)) {
                    tokens.add(merged);
                    merges.add(piece + " " + c);
                }
                piece = merged;
            }
        }
        if (tokens.size() > 127) {
            throw new IllegalArgumentException(tokens.size() + " tokens do not fit the model's 128 ids");
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode vocabulary = json.createObjectNode();
        for (int i = 0; i < tokens.size(); i++) {
            vocabulary.put(tokens.get(i), i);
        }
        vocabulary.put("<|endoftext|>", 127);
        Files.writeString(dir.resolve("vocab.json"), json.writeValueAsString(vocabulary), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\n" + String.join("\n", merges) + "\n",
                StandardCharsets.UTF_8);
        return dir;
    }
}
