package peft4j.method.finetune;

import peft4j.api.MethodConfig;

/** Model tuning has no settings of its own: the optimizer and learning rate are training settings. */
public record ModelTuningConfig() implements MethodConfig {
}
