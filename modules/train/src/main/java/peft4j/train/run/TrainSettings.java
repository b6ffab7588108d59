package peft4j.train.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import peft4j.api.UserError;

/**
 * How long and how to train. Everything needed to rerun a run is in here or in the run's config.json.
 *
 * @param steps        optimizer steps (batches)
 * @param batchSize    examples per step
 * @param evalEvery    steps between evaluations on dev (and checkpoints)
 * @param patience     evaluations without a better dev accuracy before stopping early (0 = never stop early)
 * @param seed         seed of batch order and initialisation
 * @param optimizer    adafactor or adamw
 * @param learningRate constant learning rate
 * @param evalLimit    evaluate on at most this many dev examples during training (0 = all)
 * @param finalEvalLimit evaluate the best adapter on at most this many examples of dev and of test (0 = all)
 */
public record TrainSettings(
        @JsonProperty("steps") int steps,
        @JsonProperty("batch_size") int batchSize,
        @JsonProperty("eval_every") int evalEvery,
        @JsonProperty("patience") int patience,
        @JsonProperty("seed") long seed,
        @JsonProperty("optimizer") String optimizer,
        @JsonProperty("learning_rate") double learningRate,
        @JsonProperty("eval_limit") int evalLimit,
        @JsonProperty("final_eval_limit") int finalEvalLimit) {

    public TrainSettings {
        if (steps < 1) {
            throw new UserError("--steps must be at least 1, got " + steps);
        }
        if (batchSize < 1) {
            throw new UserError("--batch-size must be at least 1, got " + batchSize);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new UserError("--lr must be a positive number, got " + learningRate);
        }
        if (evalLimit < 0 || finalEvalLimit < 0) {
            throw new UserError("--eval-limit and --final-eval-limit must be 0 (all) or positive");
        }
        if (evalEvery < 1) {
            throw new UserError("--eval-every must be at least 1, got " + evalEvery);
        }
        if (!optimizer.equals("adafactor") && !optimizer.equals("adamw")) {
            throw new UserError("unknown optimizer '" + optimizer + "'; choose adafactor or adamw");
        }
    }
}
