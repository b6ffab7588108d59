package peft4j.method.design;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import peft4j.api.AdaptationMethod;
import peft4j.api.Adapter;
import peft4j.api.AttachContext;
import peft4j.api.Backbone;
import peft4j.api.BackboneSpec;
import peft4j.api.ForwardHooks;
import peft4j.api.MethodConfig;
import peft4j.api.NamedTensor;
import peft4j.api.UserError;

/** The baseline with nothing to tune: the template and verbalizer as written, plus optional demonstrations. */
public final class PromptDesign implements AdaptationMethod<PromptDesignConfig> {

    @Override
    public String name() {
        return "prompt-design";
    }

    @Override
    public String summary() {
        return "the task's hand-written template and verbalizer, zero-shot or with k demonstrations; nothing trains";
    }

    @Override
    public Class<PromptDesignConfig> configType() {
        return PromptDesignConfig.class;
    }

    @Override
    public PromptDesignConfig defaultConfig() {
        return new PromptDesignConfig(0);
    }

    @Override
    public long tunableParameterCount(BackboneSpec backbone, PromptDesignConfig config) {
        return 0;
    }

    @Override
    public Adapter attach(Backbone backbone, PromptDesignConfig config, AttachContext context) {
        List<String> pool = context.task().demonstrations();
        if (config.shots() > 0 && pool.size() < config.shots()) {
            throw new UserError(config.shots() + " demonstrations asked for but the task offers " + pool.size());
        }
        List<String> shuffled = new ArrayList<>(pool);
        Collections.shuffle(shuffled, new Random(context.seed()));
        String prefix = String.join(" ", shuffled.subList(0, config.shots()));
        return new Adapter() {
            @Override
            public String methodName() {
                return name();
            }

            @Override
            public List<NamedTensor> trainableTensors() {
                return List.of();
            }

            @Override
            public ForwardHooks hooks() {
                return ForwardHooks.NONE;
            }

            @Override
            public String transformText(String filledTemplate) {
                return prefix.isEmpty() ? filledTemplate : prefix + " " + filledTemplate;
            }

            @Override
            public MethodConfig config() {
                return config;
            }

            @Override
            public void close() {
            }
        };
    }
}
