package peft4j.api;

/**
 * A way of adapting a frozen backbone to a task: prompt tuning, prefix tuning, model tuning, prompt design...
 *
 * <p>Implementations live in their own {@code method-*} modules and are found with {@link java.util.ServiceLoader}
 * ({@code provides peft4j.api.AdaptationMethod with ...}). Like a JUnit {@code TestEngine}, a method only talks to
 * the backbone through the hook points of {@link Backbone}; it never reaches into another method.
 *
 * @param <C> the method's typed configuration; {@link #defaultConfig()} gives its defaults
 */
public interface AdaptationMethod<C extends MethodConfig> {

    /** The stable name users type, e.g. {@code prompt-tuning}. */
    String name();

    /** One line saying what the method trains. */
    String summary();

    /** Optimizer and learning rate used when the user names none, at the default config. */
    default TrainingDefaults trainingDefaults() {
        return TrainingDefaults.PROMPT_TUNING_PAPER;
    }

    /** Optimizer and learning rate for this config when the user names none (e.g. another rate behind an MLP). */
    default TrainingDefaults trainingDefaults(C config) {
        return trainingDefaults();
    }

    /** {@link #trainingDefaults(MethodConfig)} for settings given as JSON (a run's or the command line's). */
    default TrainingDefaults trainingDefaultsFor(com.fasterxml.jackson.databind.JsonNode settings) {
        return trainingDefaults(readConfig(settings));
    }

    /** The configuration type, so that configs can be read from JSON or command-line options. */
    Class<C> configType();

    /** The configuration used when the user sets nothing. */
    C defaultConfig();

    /** The exact number of values this method trains on a backbone of this shape. */
    long tunableParameterCount(BackboneSpec backbone, C config);

    /**
     * Attaches the method to a backbone: creates its tunable tensors in {@code context.manager()} and returns the
     * hooks that apply them on every forward pass. The backbone itself is not modified.
     */
    Adapter attach(Backbone backbone, C config, AttachContext context);

    /**
     * The config that reproduces an adapter Hugging Face PEFT saved ({@code adapter_config.json}), when this method
     * is the one PEFT's {@code peft_type} names; empty otherwise. Throws a {@link UserError} when the adapter was made
     * for a backbone of another shape.
     */
    default java.util.Optional<C> configFromPeft(com.fasterxml.jackson.databind.JsonNode adapterConfig,
            BackboneSpec backbone) {
        return java.util.Optional.empty();
    }

    /**
     * Reads this method's config from JSON (a run's config.json, command-line options); missing settings take their
     * defaults, unknown ones are an error.
     */
    default C readConfig(com.fasterxml.jackson.databind.JsonNode node) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().treeToValue(node, configType());
        } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
            throw new UserError(name() + " has no setting '" + e.getPropertyName() + "'; its settings are "
                    + e.getKnownPropertyIds());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof UserError userError) {
                    throw userError;
                }
            }
            throw new UserError("invalid " + name() + " settings: " + e.getOriginalMessage());
        }
    }
}
