package peft4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.google.inject.Inject;
import com.google.inject.name.Named;
import java.io.PrintWriter;
import java.util.List;
import peft4j.api.AdaptationMethod;
import peft4j.api.BackboneSpec;
import peft4j.api.MethodConfig;
import peft4j.api.Methods;
import peft4j.backbone.bert.BertConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Lists the adaptation methods found on the module path. */
@Command(name = "methods", mixinStandardHelpOptions = true,
        description = "List the adaptation methods this installation provides, with their tunable-parameter count "
                + "on BERT-base at default settings.")
final class MethodsCommand implements Runnable {

    @Option(names = "--json", description = "print a JSON array")
    boolean json;

    private final PrintWriter out;
    private final ObjectMapper mapper;

    @Inject
    MethodsCommand(@Named("out") PrintWriter out, ObjectMapper mapper) {
        this.out = out;
        this.mapper = mapper;
    }

    @Override
    public void run() {
        BackboneSpec bertBase = BertConfig.of(30522, 768, 12, 12, 3072, 512).spec();
        List<AdaptationMethod<?>> methods = Methods.discover();
        if (json) {
            ArrayNode array = mapper.createArrayNode();
            for (AdaptationMethod<?> method : methods) {
                array.addObject().put("name", method.name()).put("summary", method.summary())
                        .put("tunable_parameters", defaultCount(method, bertBase));
            }
            out.println(array);
            return;
        }
        if (methods.isEmpty()) {
            out.println("No adaptation methods are installed yet (method modules provide them through "
                    + "peft4j.api.AdaptationMethod).");
            return;
        }
        out.printf("%-16s %18s  %s%n", "METHOD", "TUNABLE (BERT-base)", "WHAT IT TRAINS");
        for (AdaptationMethod<?> method : methods) {
            out.printf("%-16s %,18d  %s%n", method.name(), defaultCount(method, bertBase), method.summary());
        }
    }

    private static <C extends MethodConfig> long defaultCount(AdaptationMethod<C> method, BackboneSpec spec) {
        return method.tunableParameterCount(spec, method.defaultConfig());
    }
}
