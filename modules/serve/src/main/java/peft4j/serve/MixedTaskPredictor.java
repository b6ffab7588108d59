package peft4j.serve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import peft4j.api.Adapter;
import peft4j.api.Backbone;
import peft4j.api.EncoderOutput;
import peft4j.api.Progress;
import peft4j.api.TokenBatch;
import peft4j.api.UserError;
import peft4j.backbone.bert.BertMaskedLm;
import peft4j.backbone.tokenizer.BertTokenizer;
import peft4j.backbone.tokenizer.TokenBatches;
import peft4j.data.Example;
import peft4j.train.head.ClozeHead;

/**
 * Labels requests for many adapters with one frozen backbone: each batch mixes whatever adapters its requests name
 * and runs ONE forward pass, every row with its own adapter's prompt or prefix, then scores each row with its own
 * task's verbalizer. Results equal running every adapter alone (the padding a row gets is masked).
 */
public final class MixedTaskPredictor {

    /** An adapter with the head of the task it was trained for, under the key requests use. */
    public record Member(String key, Adapter adapter, ClozeHead head) {
    }

    /** One example for one member. */
    public record Request(String member, Example example) {
    }

    /** A request's label scores (pre-softmax), probabilities and argmax, over its task's labels. */
    public record Scored(String member, float[] labelLogits, float[] probabilities, int predicted) {

        public String label(ClozeHead head) {
            return head.task().labels().get(predicted);
        }
    }

    private final Backbone backbone;
    private final long padId;
    private final Map<String, Member> members;
    private final List<String> order;
    private final int batchSize;
    private final List<Integer> adaptersPerBatch = new ArrayList<>();

    public MixedTaskPredictor(Backbone backbone, long padId, List<Member> members, int batchSize) {
        this.backbone = backbone;
        this.padId = padId;
        this.members = members.stream().collect(Collectors.toMap(Member::key, Function.identity(), (a, b) -> {
            throw new UserError("two adapters are both called '" + a.key() + "'; give each a distinct name");
        }, java.util.LinkedHashMap::new));
        this.order = List.copyOf(this.members.keySet());
        this.batchSize = batchSize;
    }

    public Member member(String key) {
        Member m = members.get(key);
        if (m == null) {
            throw new UserError("no adapter named '" + key + "'; loaded: " + order);
        }
        return m;
    }

    /**
     * Scores in request order. Batches are cut after sorting the requests by length (as the evaluator does), so a
     * batch carries little padding whatever tasks it mixes; any batch may hold any mix of adapters.
     */
    public List<Scored> predict(List<Request> requests, Progress progress) {
        List<ClozeHead.Encoded> encoded = new ArrayList<>();
        for (Request r : requests) {
            Member m = member(r.member());
            encoded.add(m.head().encode(r.example(), m.adapter()));
        }
        List<Integer> byLength = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            byLength.add(i);
        }
        byLength.sort(Comparator.comparingLong(i -> encoded.get(i).tokens().length()
                + members.get(requests.get(i).member()).adapter().insertedPositions()));
        Scored[] out = new Scored[requests.size()];
        adaptersPerBatch.clear();
        for (int start = 0; start < byLength.size(); start += batchSize) {
            List<Integer> batch = new ArrayList<>(byLength.subList(start, Math.min(byLength.size(), start + batchSize)));
            // Rows of one adapter sit together so its hooks see one contiguous slice.
            batch.sort(Comparator.comparingInt(i -> order.indexOf(requests.get(i).member())));
            adaptersPerBatch.add((int) batch.stream().map(i -> requests.get(i).member()).distinct().count());
            scoreBatch(batch, requests, encoded, out);
            progress.advance(batch.size());
        }
        return List.of(out);
    }

    private void scoreBatch(List<Integer> batch, List<Request> requests, List<ClozeHead.Encoded> encoded,
            Scored[] out) {
        List<MixedHooks.Group> groups = new ArrayList<>();
        List<Member> groupMembers = new ArrayList<>();
        for (int r = 0; r < batch.size(); r++) {
            String key = requests.get(batch.get(r)).member();
            if (groupMembers.isEmpty() || !groupMembers.get(groupMembers.size() - 1).key().equals(key)) {
                groupMembers.add(members.get(key));
                groups.add(new MixedHooks.Group(r, 0, members.get(key).adapter().hooks()));
            }
            MixedHooks.Group last = groups.get(groups.size() - 1);
            groups.set(groups.size() - 1, new MixedHooks.Group(last.start(), last.size() + 1, last.hooks()));
        }
        try (NDScope scope = new NDScope()) {
            List<BertTokenizer.Encoded> tokens = batch.stream().map(i -> encoded.get(i).tokens()).toList();
            TokenBatch input = TokenBatches.pad(tokens, padId, backbone.manager());
            EncoderOutput output = backbone.encode(input, MixedHooks.combine(groups));
            long length = output.hiddenStates().getShape().get(1);
            long[] rows = new long[batch.size()];
            for (int r = 0; r < rows.length; r++) {
                rows[r] = r * length + output.positions().outputPosition(r, encoded.get(batch.get(r)).maskPosition());
            }
            NDArray vocabulary = backbone.lmLogits(BertMaskedLm.gatherPositions(output.hiddenStates(), rows));
            for (int g = 0; g < groups.size(); g++) {
                MixedHooks.Group group = groups.get(g);
                NDArray logits = groupMembers.get(g).head().labelLogits(
                        vocabulary.get(new NDIndex("{}:{}", group.start(), group.start() + group.size())));
                int labels = (int) logits.getShape().get(1);
                float[] flatLogits = logits.toFloatArray();
                float[] flatProbabilities = logits.softmax(-1).toFloatArray();
                for (int r = 0; r < group.size(); r++) {
                    float[] l = java.util.Arrays.copyOfRange(flatLogits, r * labels, (r + 1) * labels);
                    float[] p = java.util.Arrays.copyOfRange(flatProbabilities, r * labels, (r + 1) * labels);
                    out[batch.get(group.start() + r)] = new Scored(groupMembers.get(g).key(), l, p, argmax(p));
                }
            }
        }
    }

    /** How many different adapters each batch of the last {@link #predict} call mixed. */
    public List<Integer> adaptersPerBatch() {
        return List.copyOf(adaptersPerBatch);
    }

    static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
