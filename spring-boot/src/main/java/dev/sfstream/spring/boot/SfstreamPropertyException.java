package dev.sfstream.spring.boot;

/**
 * An {@code sfstream.*} property that is missing, wrong, or in conflict with another: names the property, and shows
 * its value only when it is no secret (a replay store location without its password). Reported at startup by
 * {@link SfstreamPropertyFailureAnalyzer}.
 */
public class SfstreamPropertyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String property;
    private final String shownValue;
    private final String reason;

    /**
     * @param property the property's full name, such as {@code sfstream.client-secret}
     * @param shownValue the value as it may be shown, or {@code null} to show none
     * @param reason what is wrong and what to do, in words
     */
    public SfstreamPropertyException(String property, String shownValue, String reason) {
        super(property + (shownValue != null ? " (" + shownValue + ")" : "") + ": " + reason);
        this.property = property;
        this.shownValue = shownValue;
        this.reason = reason;
    }

    /** The property's full name. */
    public String property() {
        return property;
    }

    /** The value as it may be shown; {@code null} when none is. */
    public String shownValue() {
        return shownValue;
    }

    /** What is wrong and what to do. */
    public String reason() {
        return reason;
    }
}
