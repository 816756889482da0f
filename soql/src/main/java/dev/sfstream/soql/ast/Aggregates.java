package dev.sfstream.soql.ast;

import java.util.Locale;
import java.util.Set;

/** The SOQL aggregate function names. */
final class Aggregates {
    private static final Set<String> NAMES = Set.of("avg", "count", "count_distinct", "max", "min", "sum");

    private Aggregates() {
    }

    static boolean isAggregate(String name) {
        return NAMES.contains(name.toLowerCase(Locale.ROOT));
    }
}
