package peft4j.serve;

import java.util.ArrayList;
import java.util.List;
import peft4j.api.Progress;
import peft4j.api.UserError;
import peft4j.data.Example;
import peft4j.data.TaskDefinition;
import peft4j.data.metrics.Metrics;

/**
 * N prompts of one task in one batch (Lester et al., Table 3): every example is scored by every member in the same
 * forward pass; reported are each member's score, their mean and best, and the majority-vote ensemble.
 */
public final class PromptEnsemble {

    /** The scores of one split. */
    public record Result(String split, int examples, String metric, List<String> members, double[] memberScores,
            double mean, double best, double majorityVote) {
    }

    private final MixedTaskPredictor predictor;
    private final List<String> members;
    private final TaskDefinition task;

    public PromptEnsemble(MixedTaskPredictor predictor, List<String> members, TaskDefinition task) {
        if (members.size() < 2) {
            throw new UserError("an ensemble needs at least two runs; got " + members.size());
        }
        for (String m : members) {
            String memberTask = predictor.member(m).head().task().name();
            if (!memberTask.equals(task.name())) {
                throw new UserError("run '" + m + "' was trained on task " + memberTask + ", not " + task.name()
                        + "; an ensemble combines prompts of ONE task");
            }
        }
        this.predictor = predictor;
        this.members = List.copyOf(members);
        this.task = task;
    }

    public Result evaluate(String split, List<Example> examples, Progress progress) {
        List<MixedTaskPredictor.Request> requests = new ArrayList<>();
        // Example-major order: a batch holds whole examples, each with all N members.
        for (Example e : examples) {
            for (String m : members) {
                requests.add(new MixedTaskPredictor.Request(m, e));
            }
        }
        List<MixedTaskPredictor.Scored> scored = predictor.predict(requests, progress);
        int n = members.size();
        int labels = task.labels().size();
        List<String> gold = examples.stream().map(Example::label).toList();
        List<List<String>> byMember = new ArrayList<>();
        for (int m = 0; m < n; m++) {
            byMember.add(new ArrayList<>());
        }
        List<String> voted = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            int[] votes = new int[labels];
            double[] probability = new double[labels];
            for (int m = 0; m < n; m++) {
                MixedTaskPredictor.Scored s = scored.get(i * n + m);
                byMember.get(m).add(task.labels().get(s.predicted()));
                votes[s.predicted()]++;
                for (int l = 0; l < labels; l++) {
                    probability[l] += s.probabilities()[l];
                }
            }
            voted.add(task.labels().get(majority(votes, probability)));
        }
        double[] memberScores = new double[n];
        for (int m = 0; m < n; m++) {
            memberScores[m] = Metrics.score(task.metric(), task.labels(), gold, byMember.get(m));
        }
        return new Result(split, examples.size(), task.metric(), members, memberScores,
                java.util.Arrays.stream(memberScores).average().orElse(Double.NaN),
                java.util.Arrays.stream(memberScores).max().orElse(Double.NaN),
                Metrics.score(task.metric(), task.labels(), gold, voted));
    }

    /** Most votes; a tie goes to the label with the higher summed probability. */
    static int majority(int[] votes, double[] probability) {
        int best = 0;
        for (int l = 1; l < votes.length; l++) {
            if (votes[l] > votes[best] || (votes[l] == votes[best] && probability[l] > probability[best])) {
                best = l;
            }
        }
        return best;
    }
}
