package dev.sfstream;

import java.time.Duration;
import java.util.Objects;

/**
 * A Streaming API channel name, checked: {@code /topic/<PushTopic>} (optionally filtered,
 * {@code /topic/Name?Industry='Energy'}), {@code /event/<Name>__e} or {@code /event/<Name>__chn} (platform events),
 * {@code /data/ChangeEvents}, {@code /data/<Type>ChangeEvent} or {@code /data/<Name>__chn} (Change Data Capture),
 * and {@code /u/<name>} (generic streaming). Channel names are case-sensitive, as Salesforce's are.
 *
 * @param value the name as subscribed, filter included
 * @param kind which family of channel it is
 */
public record ChannelName(String value, Kind kind) {
    /** The families of channel, each with Salesforce's retention window. */
    public enum Kind {
        /** A PushTopic: 24 hours of retention. */
        PUSH_TOPIC(Duration.ofHours(24)),
        /** A generic streaming channel: 24 hours. */
        GENERIC(Duration.ofHours(24)),
        /** A platform event: 72 hours. */
        PLATFORM_EVENT(Duration.ofHours(72)),
        /** A Change Data Capture channel: 72 hours. */
        CHANGE_EVENT(Duration.ofHours(72));

        private final Duration retention;

        Kind(Duration retention) {
            this.retention = retention;
        }

        /** How long Salesforce promises to keep this kind's events. */
        public Duration retention() {
            return retention;
        }
    }

    public ChannelName {
        Objects.requireNonNull(value, "channel");
        Objects.requireNonNull(kind, "kind");
    }

    /**
     * Checks a channel name.
     *
     * @throws IllegalArgumentException saying what a valid name looks like
     */
    public static ChannelName of(String channel) {
        if (channel == null || channel.isBlank()) {
            throw new IllegalArgumentException("channel name is empty: give one such as /topic/LeadUpdates, "
                    + "/event/Order__e, /data/AccountChangeEvent or /u/Notifications");
        }
        if (!channel.equals(channel.strip())) {
            throw new IllegalArgumentException("channel name '" + channel + "' has leading or trailing spaces");
        }
        int q = channel.indexOf('?');
        String base = q < 0 ? channel : channel.substring(0, q);
        Kind kind;
        String name;
        if (base.startsWith("/topic/")) {
            kind = Kind.PUSH_TOPIC;
            name = base.substring(7);
        } else if (base.startsWith("/event/")) {
            kind = Kind.PLATFORM_EVENT;
            name = base.substring(7);
        } else if (base.startsWith("/data/")) {
            kind = Kind.CHANGE_EVENT;
            name = base.substring(6);
        } else if (base.startsWith("/u/")) {
            kind = Kind.GENERIC;
            name = base.substring(3);
        } else {
            throw new IllegalArgumentException("channel name '" + channel + "' must start with /topic/, /event/, "
                    + "/data/ or /u/ (and the leading '/')");
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException("channel name '" + channel + "' has nothing after " + base);
        }
        boolean generic = kind == Kind.GENERIC;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = Character.isLetterOrDigit(c) || c == '_' || (generic && (c == '/' || c == '-' || c == '.'));
            if (!ok) {
                throw new IllegalArgumentException("channel name '" + channel + "' has the character '" + c
                        + "', which Salesforce channel names do not use");
            }
        }
        if (kind == Kind.PLATFORM_EVENT && !(name.endsWith("__e") || name.endsWith("__chn"))) {
            throw new IllegalArgumentException("platform event channel '" + channel + "' must end with __e (or __chn "
                    + "for a custom channel), such as /event/Order_Placed__e");
        }
        if (kind == Kind.CHANGE_EVENT && !(name.equals("ChangeEvents") || name.endsWith("ChangeEvent")
                || name.endsWith("__chn"))) {
            throw new IllegalArgumentException("change event channel '" + channel + "' must be /data/ChangeEvents, "
                    + "/data/<Type>ChangeEvent or /data/<Name>__chn");
        }
        if (q >= 0) {
            if (kind != Kind.PUSH_TOPIC) {
                throw new IllegalArgumentException("channel '" + channel + "' has a filter, but only PushTopic "
                        + "channels (/topic/...) take filters");
            }
            if (q == channel.length() - 1 || !channel.substring(q + 1).contains("=")) {
                throw new IllegalArgumentException("channel '" + channel + "' has an empty or malformed filter: "
                        + "write /topic/Name?Field='value'&Other='value'");
            }
        }
        return new ChannelName(channel, kind);
    }

    /** The channel without its filter: the key of the subscribe's replay map. */
    public String base() {
        int q = value.indexOf('?');
        return q < 0 ? value : value.substring(0, q);
    }

    /** Whether the name carries a filter ({@code ?Field=value}). */
    public boolean isFiltered() {
        return value.indexOf('?') >= 0;
    }

    @Override
    public String toString() {
        return value;
    }
}
