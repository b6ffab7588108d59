package peft4j.train.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import peft4j.api.Adapter;
import peft4j.api.Backbone;
import peft4j.api.Progress;
import peft4j.data.TaskDefinition;
import peft4j.data.metrics.Metrics;
import peft4j.train.head.EncodedExample;
import peft4j.train.head.TaskHead;

/** Label probabilities and accuracy of an adapted backbone on encoded examples (no gradients). */
public final class Evaluator {

    /**
     * Predictions in input order: the argmax label and the softmax over label scores; for heads that also answer
     * freely (T5), {@code generated} holds the label each free answer spelled exactly, or -1 (null otherwise).
     */
    public record Predictions(int[] predicted, float[][] probabilities, int[] generated) {

        public Predictions(int[] predicted, float[][] probabilities) {
            this(predicted, probabilities, null);
        }

        /** The fraction of free answers that are exactly the gold label's text; NaN without free answers. */
        public double generationAccuracy(List<? extends EncodedExample> examples) {
            if (generated == null || generated.length == 0) {
                return Double.NaN;
            }
            int correct = 0;
            for (int i = 0; i < generated.length; i++) {
                if (generated[i] >= 0 && generated[i] == examples.get(i).label()) {
                    correct++;
                }
            }
            return (double) correct / generated.length;
        }

        /** The fraction of free answers that are exactly some label's text; NaN without free answers. */
        public double generationLegal() {
            if (generated == null || generated.length == 0) {
                return Double.NaN;
            }
            return (double) java.util.Arrays.stream(generated).filter(g -> g >= 0).count() / generated.length;
        }

        /**
         * The task's own metric (accuracy, Matthews correlation, F1...) over these examples. Metrics that score whole
         * questions (MultiRC's EM, ReCoRD's EM and F1) group the examples by {@link EncodedExample#group()}; ReCoRD
         * answers each query with the candidate whose positive (last) label is most probable.
         */
        public double score(TaskDefinition task, List<? extends EncodedExample> examples) {
            List<String> gold = examples.stream().map(e -> task.labels().get(e.label())).toList();
            List<String> chosen = java.util.Arrays.stream(predicted).mapToObj(i -> task.labels().get(i)).toList();
            if (!Metrics.isGrouped(task.metric())) {
                return Metrics.score(task.metric(), task.labels(), gold, chosen);
            }
            int positive = task.labels().size() - 1;
            double[] positiveScores = java.util.Arrays.stream(probabilities).mapToDouble(p -> p[positive]).toArray();
            return Metrics.score(task.metric(), task.labels(), gold, chosen,
                    examples.stream().map(EncodedExample::group).toList(), positiveScores);
        }

        public double accuracy(List<? extends EncodedExample> examples) {
            int correct = 0;
            for (int i = 0; i < predicted.length; i++) {
                if (predicted[i] == examples.get(i).label()) {
                    correct++;
                }
            }
            return predicted.length == 0 ? Double.NaN : (double) correct / predicted.length;
        }
    }

    private final Backbone backbone;
    private final TaskHead head;
    private final int batchSize;

    public Evaluator(Backbone backbone, TaskHead head, int batchSize) {
        this.backbone = backbone;
        this.head = head;
        this.batchSize = batchSize;
    }

    public Predictions predict(Adapter adapter, List<? extends EncodedExample> examples, Progress progress) {
        return predict(adapter, examples, progress, false);
    }

    /** With {@code answerFreely}, heads that can also generate their answers do so ({@link Predictions#generated}). */
    public Predictions predict(Adapter adapter, List<? extends EncodedExample> examples, Progress progress,
            boolean answerFreely) {
        int labels = head.task().labels().size();
        int[] predicted = new int[examples.size()];
        int[] generated = answerFreely ? new int[examples.size()] : null;
        boolean generates = false;
        float[][] probabilities = new float[examples.size()][];
        // Sorted by length so that batches carry little padding; results go back to input order.
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt(i -> examples.get(i).length()));
        for (int start = 0; start < order.size(); start += batchSize) {
            List<Integer> indices = order.subList(start, Math.min(order.size(), start + batchSize));
            List<EncodedExample> batch = indices.stream().<EncodedExample>map(examples::get).toList();
            float[] flat;
            try (NDScope scope = new NDScope()) {
                NDManager manager = backbone.manager();
                NDArray scores = head.labelScores(backbone, adapter, batch, manager);
                flat = scores.softmax(-1).toFloatArray();
                if (answerFreely) {
                    java.util.Optional<int[]> free = head.generatedLabels(backbone, adapter, batch, manager);
                    generates |= free.isPresent();
                    for (int b = 0; free.isPresent() && b < indices.size(); b++) {
                        generated[indices.get(b)] = free.get()[b];
                    }
                }
            }
            for (int b = 0; b < indices.size(); b++) {
                float[] p = java.util.Arrays.copyOfRange(flat, b * labels, (b + 1) * labels);
                int best = 0;
                for (int l = 1; l < labels; l++) {
                    if (p[l] > p[best]) {
                        best = l;
                    }
                }
                predicted[indices.get(b)] = best;
                probabilities[indices.get(b)] = p;
            }
            progress.advance(indices.size());
        }
        return new Predictions(predicted, probabilities, generates ? generated : null);
    }
}
