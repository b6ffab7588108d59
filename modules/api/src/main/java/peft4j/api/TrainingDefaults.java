package peft4j.api;

/**
 * How a method trains unless told otherwise.
 *
 * @param optimizer    {@code adafactor} or {@code adamw}
 * @param learningRate constant learning rate
 */
public record TrainingDefaults(String optimizer, double learningRate) {

    /** The prompt-tuning paper's recipe: Adafactor, learning rate 0.3. */
    public static final TrainingDefaults PROMPT_TUNING_PAPER = new TrainingDefaults("adafactor", 0.3);
}
