package peft4j.train.run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import peft4j.data.Example;

/**
 * Cuts an evaluation set to at most a given number of examples. Examples that answer one question together (MultiRC
 * answers, ReCoRD candidates: a {@link Example.Group}) are kept or dropped together, since a question scored on part
 * of its candidates gets a wrong score; the dev split interleaves groups, so a plain prefix would cut many of them.
 */
final class EvaluationLimit {

    private EvaluationLimit() {
    }

    /**
     * The first {@code limit} items (splits are stored in seeded random order), or all for 0. With groups: whole
     * groups in the order they first appear, as many as fit in {@code limit} (at least one), each item in its input
     * position.
     */
    static <T> List<T> first(List<T> items, int limit, Function<T, Example.Group> groupOf) {
        if (limit <= 0 || items.size() <= limit) {
            return items;
        }
        if (groupOf.apply(items.get(0)) == null) {
            return items.subList(0, limit);
        }
        Map<String, Integer> sizes = new HashMap<>();
        List<String> order = new ArrayList<>();
        for (T item : items) {
            if (sizes.merge(groupOf.apply(item).id(), 1, Integer::sum) == 1) {
                order.add(groupOf.apply(item).id());
            }
        }
        Set<String> kept = new HashSet<>();
        int count = 0;
        for (String group : order) {
            if (!kept.isEmpty() && count + sizes.get(group) > limit) {
                break;
            }
            kept.add(group);
            count += sizes.get(group);
        }
        return items.stream().filter(item -> kept.contains(groupOf.apply(item).id())).toList();
    }
}
