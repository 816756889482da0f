package dev.sfstream.bench;

import java.util.List;

/**
 * One line of the results table and one object of {@code bench-results.json}.
 *
 * @param scenario what was measured
 * @param sfstream sfstream's median
 * @param peer the peer's median, or the target when the scenario has no peer
 * @param peerName who the peer is (CometD BayeuxClient, the raw limit, a target)
 * @param ratio sfstream / peer (for "lower is better" units, peer / sfstream, so above 1 is always better)
 * @param unit the unit of both numbers
 * @param runs how many measured runs each contender had
 * @param target what the issue asks for, in words
 * @param met whether the target is met
 */
record Result(String scenario, double sfstream, double peer, String peerName, double ratio, String unit, int runs,
        String target, boolean met) {
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
