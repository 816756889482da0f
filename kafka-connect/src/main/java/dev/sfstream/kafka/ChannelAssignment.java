package dev.sfstream.kafka;

import java.util.ArrayList;
import java.util.List;

/**
 * Spreads channels over tasks round-robin: at most {@code tasks.max} tasks and never an idle one, each channel in
 * exactly one task (a channel's events stay in order because one client reads them), in the configured order.
 * Stateless.
 */
final class ChannelAssignment {
    private ChannelAssignment() {
    }

    /**
     * The channels of each task: channel {@code i} goes to task {@code i % n}, with {@code n} the smaller of
     * {@code maxTasks} and the number of channels.
     *
     * @throws IllegalArgumentException when {@code maxTasks} is below 1
     */
    static List<List<String>> roundRobin(List<String> channels, int maxTasks) {
        if (maxTasks < 1) {
            throw new IllegalArgumentException("tasks.max must be 1 or more, got " + maxTasks);
        }
        int tasks = Math.min(maxTasks, channels.size());
        List<List<String>> groups = new ArrayList<>(tasks);
        for (int t = 0; t < tasks; t++) {
            groups.add(new ArrayList<>());
        }
        for (int i = 0; i < channels.size(); i++) {
            groups.get(i % tasks).add(channels.get(i));
        }
        return groups.stream().map(List::copyOf).toList();
    }
}
