package peft4j.train.run;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where a run stands: steps done, the best dev score (the task's metric) so far and when it was reached, evaluations since then, and
 * the training time spent. Saved in every checkpoint.
 */
public record TrainingState(
        @JsonProperty("step") int step,
        @JsonProperty("best_accuracy") double bestAccuracy,
        @JsonProperty("best_step") int bestStep,
        @JsonProperty("evals_since_best") int evalsSinceBest,
        @JsonProperty("seconds") double seconds) {

    static TrainingState start() {
        return new TrainingState(0, -1, 0, 0, 0);
    }

    TrainingState next(double secondsSoFar) {
        return new TrainingState(step + 1, bestAccuracy, bestStep, evalsSinceBest, secondsSoFar);
    }

    /** A strictly better dev score becomes the new best; ties keep the earlier adapter. */
    TrainingState evaluated(double accuracy, int atStep) {
        return accuracy > bestAccuracy ? new TrainingState(step, accuracy, atStep, 0, seconds)
                : new TrainingState(step, bestAccuracy, bestStep, evalsSinceBest + 1, seconds);
    }
}
