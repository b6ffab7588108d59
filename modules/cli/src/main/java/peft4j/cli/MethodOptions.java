package peft4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Method settings from the command line. The common ones have their own options; any other is {@code --set
 * key=value}. They become the method's JSON config, which the method itself reads and checks.
 */
final class MethodOptions {

    @Option(names = "--prompt-length", paramLabel = "L", description = "soft prompt length (prompt tuning; default 20)")
    Integer promptLength;

    @Option(names = "--init", paramLabel = "INIT", description = "prompt initialisation: class-label (default), "
            + "sampled-vocab, random-uniform, text:SOME TEXT, file:PATH")
    String init;

    @Option(names = "--placement", paramLabel = "WHERE",
            description = "after-cls or front (PEFT's layout); default after-cls on BERT, front on GPT-2 and T5")
    String placement;

    @Option(names = "--shots", paramLabel = "K", description = "in-context demonstrations (prompt design; default 0)")
    Integer shots;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "any other method setting")
    Map<String, String> extra = new LinkedHashMap<>();

    ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode node = mapper.createObjectNode();
        if (promptLength != null) {
            node.put("length", promptLength);
        }
        if (init != null) {
            node.put("init", init);
        }
        if (placement != null) {
            node.put("placement", placement);
        }
        if (shots != null) {
            node.put("shots", shots);
        }
        extra.forEach(node::put);
        return node;
    }
}
