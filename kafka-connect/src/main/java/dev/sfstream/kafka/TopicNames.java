package dev.sfstream.kafka;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Kafka topic of each channel: the template ({@code salesforce.${channel}} by default) with {@code ${channel}}
 * replaced by the channel name made a legal topic name. Kafka allows letters, digits, {@code '.'}, {@code '_'} and
 * {@code '-'} and at most 249 characters; so {@code '/'} becomes {@code '.'}, any other character {@code '_'},
 * leading separators are dropped ({@code /topic/Leads} gives {@code topic.Leads}), and a name still too long is cut
 * and given a hash of the whole name, so that two long channels never share a topic by accident. The same channel
 * always gives the same topic. Thread-safe.
 */
public final class TopicNames {
    /** The placeholder of the channel in a template. */
    public static final String CHANNEL = "${channel}";
    /** Kafka's longest topic name. */
    static final int MAX_LENGTH = 249;

    private final String template;
    private final Map<String, String> cache = new ConcurrentHashMap<>();

    /**
     * @throws IllegalArgumentException when the template's own text has characters Kafka does not allow, saying
     *     which
     */
    public TopicNames(String template) {
        if (template == null || template.isBlank()) {
            throw new IllegalArgumentException("the topic template is empty: give one such as salesforce.${channel}");
        }
        String literal = template.replace(CHANNEL, "");
        for (int i = 0; i < literal.length(); i++) {
            if (!legal(literal.charAt(i))) {
                throw new IllegalArgumentException("the topic template has the character '" + literal.charAt(i)
                        + "', which Kafka topic names do not allow (letters, digits, '.', '_', '-' and "
                        + CHANNEL + " only)");
            }
        }
        if (literal.equals(template) && (template.equals(".") || template.equals(".."))) {
            throw new IllegalArgumentException("'" + template + "' is not a legal Kafka topic name");
        }
        this.template = template;
    }

    /** The topic of a channel's records. */
    public String topic(String channel) {
        return cache.computeIfAbsent(channel, c -> limit(template.replace(CHANNEL, sanitize(c))));
    }

    /** A channel name as a legal topic name part: {@code /topic/Leads} gives {@code topic.Leads}. */
    static String sanitize(String channel) {
        StringBuilder out = new StringBuilder(channel.length());
        for (int i = 0; i < channel.length(); i++) {
            char c = channel.charAt(i);
            out.append(legal(c) ? c : c == '/' ? '.' : '_');
        }
        int start = 0;
        while (start < out.length() && isSeparator(out.charAt(start))) {
            start++;
        }
        return out.substring(start);
    }

    private static String limit(String topic) {
        if (topic.length() <= MAX_LENGTH) {
            return topic;
        }
        String suffix = "-" + hash(topic);
        return topic.substring(0, MAX_LENGTH - suffix.length()) + suffix;
    }

    private static String hash(String s) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static boolean legal(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
                || c == '-';
    }

    private static boolean isSeparator(char c) {
        return c == '.' || c == '_' || c == '-';
    }

    @Override
    public String toString() {
        return "TopicNames[" + template + "]";
    }
}
