package peft4j.backbone.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.List;

/**
 * Builds the Hugging Face {@code tokenizer.json} of a GPT-2 style byte-level BPE from {@code vocab.json} and
 * {@code merges.txt}, as {@code GPT2TokenizerFast} converts them: ByteLevel pre-tokenizer (GPT-2's split regex, bytes
 * mapped to printable characters), a BPE model without unknown token, ByteLevel post-processor and decoder.
 */
public final class ByteLevelBpeTokenizerJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ByteLevelBpeTokenizerJson() {
    }

    /**
     * @param vocab          {@code vocab.json}: token → id
     * @param merges         the lines of {@code merges.txt}; a {@code #version} header and blank lines are skipped
     * @param specialTokens  tokens matched whole before splitting, e.g. {@code <|endoftext|>} (only those in vocab)
     * @param addPrefixSpace whether a space is added before the first word, as {@code add_prefix_space} says
     */
    public static String of(JsonNode vocab, List<String> merges, Collection<String> specialTokens,
            boolean addPrefixSpace) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (String special : specialTokens) {
            if (vocab.has(special)) {
                added.addObject().put("id", vocab.get(special).asInt()).put("content", special)
                        .put("single_word", false).put("lstrip", false).put("rstrip", false).put("normalized", false)
                        .put("special", true);
            }
        }
        root.putNull("normalizer");
        byteLevel(root.putObject("pre_tokenizer"), addPrefixSpace);
        byteLevel(root.putObject("post_processor"), true).put("trim_offsets", false);
        byteLevel(root.putObject("decoder"), true);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE").putNull("dropout");
        model.putNull("unk_token");
        model.put("continuing_subword_prefix", "").put("end_of_word_suffix", "").put("fuse_unk", false)
                .put("byte_fallback", false);
        model.set("vocab", vocab);
        ArrayNode mergeList = model.putArray("merges");
        for (int i = 0; i < merges.size(); i++) {
            String line = merges.get(i).strip();
            if (line.isEmpty() || (i == 0 && line.startsWith("#version"))) {
                continue;
            }
            mergeList.add(line);
        }
        return root.toString();
    }

    private static ObjectNode byteLevel(ObjectNode node, boolean addPrefixSpace) {
        return node.put("type", "ByteLevel").put("add_prefix_space", addPrefixSpace).put("trim_offsets", true)
                .put("use_regex", true);
    }
}
