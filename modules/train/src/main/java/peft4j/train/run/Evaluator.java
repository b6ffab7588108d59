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
import peft4j.train.head.ClozeHead;

/** Label probabilities and accuracy of an adapted backbone on encoded examples (no gradients). */
public final class Evaluator {

    /** Predictions in input order: the argmax label and the softmax over label words. */
    public record Predictions(int[] predicted, float[][] probabilities) {

        /**
         * The task's own metric (accuracy, Matthews correlation, F1...) over these examples. Metrics that score whole
         * questions (MultiRC's EM, ReCoRD's EM and F1) group the examples by {@link ClozeHead.Encoded#group()}; ReCoRD
         * answers each query with the candidate whose positive (last) label is most probable.
         */
        public double score(TaskDefinition task, List<ClozeHead.Encoded> examples) {
            List<String> gold = examples.stream().map(e -> task.labels().get(e.label())).toList();
            List<String> chosen = java.util.Arrays.stream(predicted).mapToObj(i -> task.labels().get(i)).toList();
            if (!Metrics.isGrouped(task.metric())) {
                return Metrics.score(task.metric(), task.labels(), gold, chosen);
            }
            int positive = task.labels().size() - 1;
            double[] positiveScores = java.util.Arrays.stream(probabilities).mapToDouble(p -> p[positive]).toArray();
            return Metrics.score(task.metric(), task.labels(), gold, chosen,
                    examples.stream().map(ClozeHead.Encoded::group).toList(), positiveScores);
        }

        public double accuracy(List<ClozeHead.Encoded> examples) {
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
    private final ClozeHead head;
    private final int batchSize;

    public Evaluator(Backbone backbone, ClozeHead head, int batchSize) {
        this.backbone = backbone;
        this.head = head;
        this.batchSize = batchSize;
    }

    public Predictions predict(Adapter adapter, List<ClozeHead.Encoded> examples, Progress progress) {
        int labels = head.labelWordIds().size();
        int[] predicted = new int[examples.size()];
        float[][] probabilities = new float[examples.size()][];
        // Sorted by length so that batches carry little padding; results go back to input order.
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt(i -> examples.get(i).tokens().length()));
        for (int start = 0; start < order.size(); start += batchSize) {
            List<Integer> indices = order.subList(start, Math.min(order.size(), start + batchSize));
            List<ClozeHead.Encoded> batch = indices.stream().map(examples::get).toList();
            float[] flat;
            try (NDScope scope = new NDScope()) {
                NDManager manager = backbone.manager();
                NDArray logits = head.labelLogits(backbone, adapter, batch, manager);
                flat = logits.softmax(-1).toFloatArray();
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
        return new Predictions(predicted, probabilities);
    }
}
