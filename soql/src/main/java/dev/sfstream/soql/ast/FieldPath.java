package dev.sfstream.soql.ast;

import java.util.List;
import java.util.Locale;

/**
 * A field reference as written, split at its dots: {@code Name}, {@code Account.Name},
 * {@code Contact.Account.Owner.Email}.
 *
 * @param segments the names between the dots, as written (never empty)
 * @param position where the reference starts in the statement
 */
public record FieldPath(List<String> segments, Position position) {
    public FieldPath {
        segments = List.copyOf(segments);
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("a field path has at least one segment");
        }
    }

    /** The path as written, segments joined by dots. */
    public String text() {
        return String.join(".", segments);
    }

    /** The last segment: the field itself. */
    public String fieldName() {
        return segments.get(segments.size() - 1);
    }

    /** Whether the path has more than one segment. */
    public boolean isDotted() {
        return segments.size() > 1;
    }

    /**
     * The path without a leading qualifier naming the queried object or its alias, as SOQL allows
     * ({@code SELECT Contact.Name FROM Contact}, {@code SELECT c.Name FROM Contact c}).
     */
    public FieldPath unqualified(String sobjectType, String alias) {
        if (segments.size() > 1) {
            String first = segments.get(0);
            if (first.equalsIgnoreCase(sobjectType) || (alias != null && first.equalsIgnoreCase(alias))) {
                return new FieldPath(segments.subList(1, segments.size()), position);
            }
        }
        return this;
    }

    /** The path in lower case, for case-insensitive comparison. */
    public String key() {
        return text().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return text();
    }
}
