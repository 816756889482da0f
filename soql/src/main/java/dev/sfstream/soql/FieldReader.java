package dev.sfstream.soql;

import dev.sfstream.soql.ast.FieldPath;
import java.util.List;
import java.util.Map;

/**
 * Reads one field path from a record. The first segment is looked up exactly, then ignoring case; later segments
 * descend into nested maps (a relationship's record, as REST query results nest them).
 */
final class FieldReader {
    private final String[] segments;

    FieldReader(FieldPath path) {
        List<String> s = path.segments();
        this.segments = s.toArray(new String[0]);
    }

    Object read(Map<String, ?> record) {
        Object current = record;
        for (String segment : segments) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = lookup(map, segment);
        }
        return current;
    }

    /** The value of {@code name} in {@code map}, matching the key exactly first and then ignoring case. */
    static Object lookup(Map<?, ?> map, String name) {
        Object v = map.get(name);
        if (v != null || map.containsKey(name)) {
            return v;
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getKey() instanceof String key && key.equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** The key under which {@code map} holds {@code name}, ignoring case, or {@code null}. */
    static String keyOf(Map<?, ?> map, String name) {
        if (map.containsKey(name)) {
            return name;
        }
        for (Object key : map.keySet()) {
            if (key instanceof String k && k.equalsIgnoreCase(name)) {
                return k;
            }
        }
        return null;
    }
}
