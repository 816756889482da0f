package dev.sfstream.pubsub;

import java.util.regex.Pattern;

/**
 * A {@code ManagedEventSubscription} as a {@code ManagedSubscribe} call names it: by its ID (15 or 18 characters,
 * key prefix {@code 18x}) or by its developer name (which starts with a letter, so it can never look like an ID).
 *
 * @param id the ID, or null when named by developer name
 * @param developerName the developer name, or null when named by ID
 */
record ManagedSubscription(String id, String developerName) {
    private static final Pattern ID = Pattern.compile("18x[A-Za-z0-9]{12}([A-Za-z0-9]{3})?");
    private static final Pattern DEVELOPER_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,79}");

    static ManagedSubscription of(String developerNameOrId) {
        String s = developerNameOrId == null ? "" : developerNameOrId.strip();
        if (ID.matcher(s).matches()) {
            return new ManagedSubscription(s, null);
        }
        if (!DEVELOPER_NAME.matcher(s).matches()) {
            throw new IllegalArgumentException("managed subscription '" + developerNameOrId + "' is neither an ID "
                    + "(18x...) nor a developer name (a letter, then letters, digits and underscores)");
        }
        return new ManagedSubscription(null, s);
    }

    @Override
    public String toString() {
        return id != null ? id : developerName;
    }
}
