package peft4j.data.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToDoubleBiFunction;
import java.util.regex.Pattern;
import peft4j.data.Example;

/**
 * Classification and extractive-QA scores. Labels are compared as strings, so predictions are scored in the same
 * terms the task files and split files use. Every method takes gold and predicted values in the same order and
 * rejects lists of different lengths; an empty list scores 0.
 *
 * <p>MultiRC and ReCoRD turn each question into one true/false example per candidate answer but are scored per
 * question ({@link #isGrouped}); their metrics read each example's {@link Example.Group} and, for ReCoRD, the score the
 * model gave the positive label, and are computed by the six-argument {@link #score(String, List, List, List, List,
 * double[])}.
 */
public final class Metrics {

    /** Metric names as written in a task file's {@code metric} field. */
    public static final String ACCURACY = "accuracy";
    public static final String F1 = "f1";
    public static final String MACRO_F1 = "macro_f1";
    public static final String MATTHEWS = "matthews";
    public static final String EXACT_MATCH = "exact_match";
    public static final String TOKEN_F1 = "token_f1";
    /** MultiRC's F1a: binary F1 of the positive label over all answer options pooled (the number {@link #F1} gives). */
    public static final String F1A = "f1a";
    /** MultiRC's EM: the fraction of questions whose every answer option is labelled right. */
    public static final String MULTIRC_EM = "multirc_em";
    /** ReCoRD's EM: each query answered by its best-scored candidate, matched against its gold answers. */
    public static final String RECORD_EM = "record_em";
    /** ReCoRD's F1: like {@link #RECORD_EM} with token-overlap F1 in place of exact match. */
    public static final String RECORD_F1 = "record_f1";

    /** Every name {@link #score} understands. */
    public static final List<String> NAMES = List.of(ACCURACY, F1, MACRO_F1, MATTHEWS, EXACT_MATCH, TOKEN_F1, F1A,
            MULTIRC_EM, RECORD_EM, RECORD_F1);

    private static final Set<String> GROUPED = Set.of(MULTIRC_EM, RECORD_EM, RECORD_F1);

    private static final Pattern ARTICLES = Pattern.compile("\\b(a|an|the)\\b");
    private static final Pattern PUNCTUATION = Pattern.compile("\\p{Punct}");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private Metrics() {
    }

    /**
     * The metric {@code name} of {@code predicted} against {@code gold}.
     *
     * @param labels        the task's labels in class-index order; for {@link #F1} the last one is the positive class
     *                      (e.g. {@code positive}, {@code spam}, {@code yes})
     * @throws IllegalArgumentException for an unknown name, or a metric that scores groups ({@link #isGrouped})
     */
    public static double score(String name, List<String> labels, List<String> gold, List<String> predicted) {
        return switch (name) {
            case ACCURACY -> accuracy(gold, predicted);
            case F1, F1A -> f1(gold, predicted, labels.get(labels.size() - 1));
            case MACRO_F1 -> macroF1(gold, predicted, labels);
            case MATTHEWS -> matthews(gold, predicted, labels);
            case EXACT_MATCH -> exactMatch(gold, predicted);
            case TOKEN_F1 -> tokenF1(gold, predicted);
            case MULTIRC_EM, RECORD_EM, RECORD_F1 -> throw new IllegalArgumentException("metric " + name + " scores "
                    + "whole questions: pass each example's group and score");
            default -> throw new IllegalArgumentException("unknown metric '" + name + "'; metrics are " + NAMES);
        };
    }

    /** Whether metric {@code name} scores groups of examples (one question's answers) rather than single examples. */
    public static boolean isGrouped(String name) {
        return GROUPED.contains(name);
    }

    /**
     * The metric {@code name} of examples that may belong to groups; metrics that do not group ({@link #isGrouped})
     * ignore {@code groups} and {@code positiveScores}.
     *
     * @param groups         each example's group, in the order of {@code gold}
     * @param positiveScores each example's score for the positive (last) label, e.g. its probability
     * @throws IllegalArgumentException for an unknown name, or a grouped metric with an example that has no group
     */
    public static double score(String name, List<String> labels, List<String> gold, List<String> predicted,
            List<Example.Group> groups, double[] positiveScores) {
        return switch (name) {
            case MULTIRC_EM -> multiRcExactMatch(groups, gold, predicted);
            case RECORD_EM -> recordExactMatch(groups, positiveScores);
            case RECORD_F1 -> recordTokenF1(groups, positiveScores);
            default -> score(name, labels, gold, predicted);
        };
    }

    /** MultiRC's EM: the fraction of groups (questions) in which every predicted label equals the gold one. */
    public static double multiRcExactMatch(List<Example.Group> groups, List<String> gold, List<String> predicted) {
        requireSameSize(gold, predicted);
        requireGroups(groups, gold.size());
        Map<String, Boolean> allRight = new LinkedHashMap<>();
        for (int i = 0; i < gold.size(); i++) {
            allRight.merge(groups.get(i).id(), Objects.equals(gold.get(i), predicted.get(i)), Boolean::logicalAnd);
        }
        return allRight.isEmpty() ? 0
                : (double) allRight.values().stream().filter(Boolean::booleanValue).count() / allRight.size();
    }

    /**
     * ReCoRD's EM: each group (query) is answered by the candidate with the highest positive score (the first one on a
     * tie); it scores 1 if it equals one of the gold answers after {@link #normalise}; the mean over groups.
     */
    public static double recordExactMatch(List<Example.Group> groups, double[] positiveScores) {
        return meanOverBestCandidates(groups, positiveScores,
                (answer, candidate) -> normalise(answer).equals(normalise(candidate)) ? 1.0 : 0.0);
    }

    /** ReCoRD's F1: as {@link #recordExactMatch}, scoring the chosen candidate by its best {@link #tokenF1} instead. */
    public static double recordTokenF1(List<Example.Group> groups, double[] positiveScores) {
        return meanOverBestCandidates(groups, positiveScores, Metrics::tokenF1);
    }

    /** The mean over groups of the best-scored candidate's best agreement with any gold answer (0 without answers). */
    private static double meanOverBestCandidates(List<Example.Group> groups, double[] positiveScores,
            ToDoubleBiFunction<String, String> agreement) {
        requireGroups(groups, positiveScores.length);
        Map<String, Integer> best = new LinkedHashMap<>();
        for (int i = 0; i < positiveScores.length; i++) {
            best.merge(groups.get(i).id(), i,
                    (kept, next) -> positiveScores[next] > positiveScores[kept] ? next : kept);
        }
        if (best.isEmpty()) {
            return 0;
        }
        double sum = 0;
        for (int i : best.values()) {
            Example.Group chosen = groups.get(i);
            double top = 0;
            for (String answer : chosen.answers()) {
                top = Math.max(top, agreement.applyAsDouble(answer, chosen.candidate()));
            }
            sum += top;
        }
        return sum / best.size();
    }

    private static void requireGroups(List<Example.Group> groups, int size) {
        if (groups.size() != size) {
            throw new IllegalArgumentException("there are " + size + " examples but " + groups.size() + " groups");
        }
        for (Example.Group group : groups) {
            if (group == null) {
                throw new IllegalArgumentException("an example has no group; only MultiRC and ReCoRD examples have "
                        + "one");
            }
        }
    }

    /** Fraction of predictions equal to the gold label. */
    public static double accuracy(List<String> gold, List<String> predicted) {
        requireSameSize(gold, predicted);
        if (gold.isEmpty()) {
            return 0;
        }
        int correct = 0;
        for (int i = 0; i < gold.size(); i++) {
            if (Objects.equals(gold.get(i), predicted.get(i))) {
                correct++;
            }
        }
        return (double) correct / gold.size();
    }

    /** F1 of class {@code positive}: the harmonic mean of its precision and recall; 0 when it is never right. */
    public static double f1(List<String> gold, List<String> predicted, String positive) {
        requireSameSize(gold, predicted);
        int tp = 0;
        int fp = 0;
        int fn = 0;
        for (int i = 0; i < gold.size(); i++) {
            boolean isGold = positive.equals(gold.get(i));
            boolean isPredicted = positive.equals(predicted.get(i));
            if (isGold && isPredicted) {
                tp++;
            } else if (isPredicted) {
                fp++;
            } else if (isGold) {
                fn++;
            }
        }
        return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }

    /** The unweighted mean of each label's F1 (the CB and multi-class score). */
    public static double macroF1(List<String> gold, List<String> predicted, List<String> labels) {
        requireSameSize(gold, predicted);
        if (labels.isEmpty()) {
            return 0;
        }
        double sum = 0;
        for (String label : labels) {
            sum += f1(gold, predicted, label);
        }
        return sum / labels.size();
    }

    /**
     * Matthews correlation coefficient, in its multi-class form (Gorodkin's R_K), which for two labels equals
     * {@code (tp*tn - fp*fn) / sqrt((tp+fp)(tp+fn)(tn+fp)(tn+fn))}; 0 when that is undefined (a constant predictor).
     * The CoLA score.
     *
     * @param labels every label that may occur; gold or predicted values outside it count as a class of their own
     */
    public static double matthews(List<String> gold, List<String> predicted, List<String> labels) {
        requireSameSize(gold, predicted);
        Set<String> classes = new LinkedHashSet<>(labels);
        classes.addAll(gold);
        classes.addAll(predicted);
        List<String> index = new ArrayList<>(classes);
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < index.size(); i++) {
            position.put(index.get(i), i);
        }
        int k = index.size();
        long[][] confusion = new long[k][k];
        for (int i = 0; i < gold.size(); i++) {
            confusion[position.get(gold.get(i))][position.get(predicted.get(i))]++;
        }
        long n = gold.size();
        long correct = 0;
        long[] goldTotals = new long[k];
        long[] predictedTotals = new long[k];
        for (int i = 0; i < k; i++) {
            correct += confusion[i][i];
            for (int j = 0; j < k; j++) {
                goldTotals[i] += confusion[i][j];
                predictedTotals[j] += confusion[i][j];
            }
        }
        double covariance = (double) correct * n;
        double sumPredicted = 0;
        double sumGold = 0;
        for (int i = 0; i < k; i++) {
            covariance -= (double) predictedTotals[i] * goldTotals[i];
            sumPredicted += (double) predictedTotals[i] * predictedTotals[i];
            sumGold += (double) goldTotals[i] * goldTotals[i];
        }
        double denominator = Math.sqrt(((double) n * n - sumPredicted) * ((double) n * n - sumGold));
        return denominator == 0 ? 0 : covariance / denominator;
    }

    /** Fraction of predicted answers equal to the gold answer after SQuAD normalisation ({@link #normalise}). */
    public static double exactMatch(List<String> gold, List<String> predicted) {
        requireSameSize(gold, predicted);
        if (gold.isEmpty()) {
            return 0;
        }
        int matches = 0;
        for (int i = 0; i < gold.size(); i++) {
            if (normalise(gold.get(i)).equals(normalise(predicted.get(i)))) {
                matches++;
            }
        }
        return (double) matches / gold.size();
    }

    /** Mean over examples of the token-overlap F1 between predicted and gold answer (SQuAD, ReCoRD, MultiRC F1a). */
    public static double tokenF1(List<String> gold, List<String> predicted) {
        requireSameSize(gold, predicted);
        if (gold.isEmpty()) {
            return 0;
        }
        double sum = 0;
        for (int i = 0; i < gold.size(); i++) {
            sum += tokenF1(gold.get(i), predicted.get(i));
        }
        return sum / gold.size();
    }

    /** Token-overlap F1 of one answer: tokens of the normalised texts, counted with multiplicity. */
    public static double tokenF1(String gold, String predicted) {
        List<String> goldTokens = tokens(gold);
        List<String> predictedTokens = tokens(predicted);
        if (goldTokens.isEmpty() || predictedTokens.isEmpty()) {
            return goldTokens.equals(predictedTokens) ? 1 : 0;
        }
        Map<String, Integer> remaining = new HashMap<>();
        for (String token : goldTokens) {
            remaining.merge(token, 1, Integer::sum);
        }
        int common = 0;
        for (String token : predictedTokens) {
            Integer left = remaining.get(token);
            if (left != null && left > 0) {
                remaining.put(token, left - 1);
                common++;
            }
        }
        if (common == 0) {
            return 0;
        }
        double precision = (double) common / predictedTokens.size();
        double recall = (double) common / goldTokens.size();
        return 2 * precision * recall / (precision + recall);
    }

    /** SQuAD's answer normalisation: lower case, punctuation and the articles a/an/the removed, spaces collapsed. */
    public static String normalise(String answer) {
        String text = answer == null ? "" : answer.toLowerCase(Locale.ROOT);
        text = PUNCTUATION.matcher(text).replaceAll("");
        text = ARTICLES.matcher(text).replaceAll(" ");
        return SPACES.matcher(text).replaceAll(" ").strip();
    }

    private static List<String> tokens(String answer) {
        String normalised = normalise(answer);
        return normalised.isEmpty() ? List.of() : List.of(normalised.split(" "));
    }

    private static void requireSameSize(List<String> gold, List<String> predicted) {
        if (gold.size() != predicted.size()) {
            throw new IllegalArgumentException("gold has " + gold.size() + " values but predicted has "
                    + predicted.size());
        }
    }
}
