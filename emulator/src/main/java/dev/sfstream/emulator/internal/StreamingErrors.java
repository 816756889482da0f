package dev.sfstream.emulator.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Salesforce's Streaming API error texts ({@code code::text}, from its "Streaming API Error Codes" page and captured
 * replies), in one place. Where Salesforce
 * prints a text two ways, the form seen in live captures is used (two spaces after the sentences of the replay and
 * busy errors).
 */
final class StreamingErrors {
    static final String URI_FORMAT = "URI format: '/cometd/66.0'";
    static final String VERSION_MISSING = "400::API version in the URI is mandatory. " + URI_FORMAT;
    static final String VERSION_UNSUPPORTED =
            "400::Unsupported API version. Only API versions '37.0' and later are supported. " + URI_FORMAT;
    static final String HANDSHAKE_DENIED = "403::Handshake denied";
    static final String REQUIRES_AUTHENTICATION = "401::Request requires authentication";
    static final String AUTHENTICATION_INVALID = "401::Authentication invalid";
    static final String USER_MISMATCH = "400::Authenticated user id does not match the session's user id";
    static final String UNKNOWN_CLIENT = "403::Unknown client";
    static final String CONCURRENT_LIMIT = "403::Organization concurrent user limit exceeded";
    static final String DAILY_LIMIT = "403::Organization total events daily limit exceeded";
    static final String BUSY = "503::Server is too busy.  Please try your request again later.";
    static final String CHANNEL_NOT_SPECIFIED = "400::Channel name not specified";
    static final String LEADING_SLASH = "400::Channel subscriptions must start with a leading '/'";

    private StreamingErrors() {
    }

    static String invalidConnectionType(Object type) {
        // The error codes page writes the placeholder in braces, and every captured text with a braced placeholder
        // (replayId, channel) keeps the braces on the wire: so this one is written with them too.
        return "400::Invalid connection type {" + type + "}";
    }

    static String noCookie(String clientId) {
        return "400::Client " + clientId + " has established a session, but no BAYEUX_BROWSER cookie present";
    }

    static String noSuchChannel(String channel) {
        return "400::The channel you requested to subscribe to doesn't exist {" + channel + "}";
    }

    static String unknownFilterFields(String fields) {
        return "400::Query fields {" + fields + "} do not exist on the topic entity";
    }

    static String replayIdNotInMap(String channel, Object map) {
        return "400::The replayId for channel {" + channel + "} wasn't found using the provided replay ID map {"
                + map + "}. Ensure that the channel name you provided in the replay map is valid and matches the "
                + "channel name used for subscribing.";
    }

    static String invalidReplayId(Object replayId) {
        return "400::The replayId {" + replayId + "} you provided was invalid.  Please provide a valid ID, -2 to "
                + "replay all events, or -1 to replay only new events.";
    }

    /** {@code {"reconnect":"none","interval":0}}: the client must not retry on its own. */
    static Map<String, Object> adviceNone() {
        Map<String, Object> advice = new LinkedHashMap<>();
        advice.put("reconnect", "none");
        advice.put("interval", 0L);
        return advice;
    }

    /** {@code {"interval":0,"reconnect":"handshake"}}: handshake again. */
    static Map<String, Object> adviceHandshake() {
        Map<String, Object> advice = new LinkedHashMap<>();
        advice.put("interval", 0L);
        advice.put("reconnect", "handshake");
        return advice;
    }

    /** {@code {"reconnect":"retry","interval":1000}}: try the same request again after a second. */
    static Map<String, Object> adviceRetryLater() {
        Map<String, Object> advice = new LinkedHashMap<>();
        advice.put("reconnect", "retry");
        advice.put("interval", 1000L);
        return advice;
    }
}
