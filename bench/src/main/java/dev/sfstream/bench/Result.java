package dev.sfstream.bench;

import java.util.List;

/**
 * One line of the results table and one object of {@code bench-results.json}.
 *
 * @param scenario what was measured
 * @param sfstream sfstream's median
 * @param peer the peer's median, or the target when the scenario has no peer
 * @param peerName who the peer is (CometD BayeuxClient, the raw limit, a target)
 * @param ratio sfstream / peer, always in that direction; the target says whether higher or lower is better
 * @param unit the unit of both numbers
 * @param runs how many measured runs each contender had
 * @param target what the issue asks for, in words
 * @param verdict whether the target is met, or that the line has no target (it is shown for context)
 */
record Result(String scenario, double sfstream, double peer, String peerName, double ratio, String unit, int runs,
        String target, Verdict verdict) {
    /** Whether a line meets its target; {@code NONE} for context lines such as p50 or the raw limit's latency. */
    enum Verdict {
        MET("(met)"), NOT_MET("(NOT met)"), NONE("");

        final String label;

        Verdict(String label) {
            this.label = label;
        }

        static Verdict of(boolean met) {
            return met ? MET : NOT_MET;
        }
    }

    /** A line measured against a target: the ratio is sfstream / peer. */
    static Result of(String scenario, double sfstream, double peer, String peerName, String unit, int runs,
            String target, boolean met) {
        return new Result(scenario, sfstream, peer, peerName, sfstream / peer, unit, runs, target, Verdict.of(met));
    }

    /** A line with no target of its own, shown for context. */
    static Result context(String scenario, double sfstream, double peer, String peerName, String unit, int runs,
            String note) {
        return new Result(scenario, sfstream, peer, peerName, sfstream / peer, unit, runs, note, Verdict.NONE);
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double percentile(List<Double> values, double p) {
        List<Double> sorted = values.stream().sorted().toList();
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
