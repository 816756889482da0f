package dev.sfstream.bayeux;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Bayeux error string, {@code code:args:text}, read apart: {@code 403::Unknown client} is code 403, no args,
 * text "Unknown client". Salesforce puts one in a reply's {@code error} and another in
 * {@code ext.sfdc.failureReason}. Errors are matched by code and pattern, never by exact whitespace
 * (Salesforce prints some texts with one space after a sentence, some with two).
 *
 * @param code the numeric code, or 0 when the string has none
 * @param args the arguments between the colons (often none)
 * @param text the human text
 * @param raw the string as received
 */
public record BayeuxError(int code, List<String> args, String text, String raw) {
    private static final Pattern SHAPE = Pattern.compile("^(\\d{3}):([^:]*):(.*)$", Pattern.DOTALL);
    private static final Pattern INVALID_REPLAY =
            Pattern.compile("The replayId \\{(-?\\d+)} you provided was invalid.*", Pattern.DOTALL);

    public BayeuxError {
        args = List.copyOf(args);
    }

    /** Reads an error string; one without the {@code code:args:text} shape keeps code 0 and the whole text. */
    public static BayeuxError parse(String raw) {
        if (raw == null) {
            return new BayeuxError(0, List.of(), "", "");
        }
        Matcher m = SHAPE.matcher(raw.trim());
        if (!m.matches()) {
            return new BayeuxError(0, List.of(), raw.trim(), raw);
        }
        List<String> args = m.group(2).isEmpty() ? List.of() : List.of(m.group(2).split(","));
        return new BayeuxError(Integer.parseInt(m.group(1)), args, m.group(3).trim(), raw);
    }

    /** {@code 401::Authentication invalid} and its kin: the token is no good. */
    public boolean isAuthentication() {
        return code == 401;
    }

    /** {@code 503::Server is too busy...}: back off and retry. */
    public boolean isServerBusy() {
        return code == 503;
    }

    /** {@code 403::Unknown client} (or CometD's {@code 402::session_unknown}): the session is gone. */
    public boolean isUnknownClient() {
        return (code == 403 || code == 402) && (text.toLowerCase(java.util.Locale.ROOT).contains("unknown client")
                || text.contains("session_unknown"));
    }

    /** The replay ID Salesforce refused, when this is the invalid-replayId error. */
    public java.util.OptionalLong refusedReplayId() {
        if (code != 400) {
            return java.util.OptionalLong.empty();
        }
        Matcher m = INVALID_REPLAY.matcher(text);
        return m.matches() ? java.util.OptionalLong.of(Long.parseLong(m.group(1))) : java.util.OptionalLong.empty();
    }

    @Override
    public String toString() {
        return raw;
    }
}
