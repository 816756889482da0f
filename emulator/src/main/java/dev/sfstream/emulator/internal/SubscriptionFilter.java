package dev.sfstream.emulator.internal;

import dev.sfstream.soql.CompiledQuery;
import dev.sfstream.soql.MalformedQueryException;
import dev.sfstream.soql.Soql;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A filtered PushTopic subscription, {@code /topic/Name?Industry='Energy'&ShippingCity='San Francisco'}: the
 * conditions are joined by {@code &}, which acts as OR (Salesforce's "Filtered Subscriptions"); each field must be
 * one the PushTopic query names. Evaluated with the SOQL engine over the record an event describes.
 */
final class SubscriptionFilter {
    private SubscriptionFilter() {
    }

    /** The conditions of a filter expression, each {@code Field=value}. */
    record Parsed(List<String> fields, Predicate<RetainedEvent> predicate) {
    }

    /**
     * Parses the part after {@code ?}.
     *
     * @throws IllegalArgumentException when the expression is not a list of {@code Field=value} joined by {@code &}
     */
    static Parsed parse(String expression, String sobjectType) {
        List<String> conditions = split(expression);
        List<String> fields = new ArrayList<>();
        StringBuilder where = new StringBuilder();
        for (String condition : conditions) {
            int eq = condition.indexOf('=');
            if (eq <= 0 || eq == condition.length() - 1) {
                throw new IllegalArgumentException("not a Field=value condition: " + condition);
            }
            String field = condition.substring(0, eq).trim();
            fields.add(field);
            if (where.length() > 0) {
                where.append(" OR ");
            }
            where.append(field).append(" = ").append(condition.substring(eq + 1).trim());
        }
        CompiledQuery query;
        try {
            query = CompiledQuery.compile("SELECT Id FROM " + sobjectType + " WHERE " + where);
        } catch (MalformedQueryException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return new Parsed(fields, e -> e.record != null && query.matches(e.record));
    }

    /** Splits at {@code &} outside quoted values. */
    private static List<String> split(String expression) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (c == '\\' && quoted && i + 1 < expression.length()) {
                current.append(c).append(expression.charAt(++i));
                continue;
            }
            if (c == '\'') {
                quoted = !quoted;
            }
            if (c == '&' && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }
}
