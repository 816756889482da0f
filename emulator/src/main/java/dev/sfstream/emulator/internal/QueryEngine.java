package dev.sfstream.emulator.internal;

import dev.sfstream.soql.CompiledQuery;
import dev.sfstream.soql.MalformedQueryException;
import dev.sfstream.soql.Soql;
import dev.sfstream.soql.ast.FieldPath;
import dev.sfstream.soql.ast.Operand;
import dev.sfstream.soql.ast.OrderItem;
import dev.sfstream.soql.ast.SelectItem;
import dev.sfstream.soql.ast.SelectStatement;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Runs a REST {@code query} over the org's records with the SOQL engine: WHERE (semi-joins included), ORDER BY,
 * LIMIT, OFFSET, {@code COUNT()}, and parent relationship fields ({@code Account.Name}) resolved through the
 * lookup field ({@code AccountId}, or {@code X__c} for {@code X__r}). Enough for the look-ups streaming clients
 * make: PushTopic, RecordType, User, StreamingChannel.
 */
final class QueryEngine {
    private final EmulatedOrg org;
    private final String apiVersion;

    QueryEngine(EmulatedOrg org, String apiVersion) {
        this.org = org;
        this.apiVersion = apiVersion;
    }

    /** The result: the records (as REST returns them) and totalSize. */
    record Result(List<Map<String, Object>> records, int totalSize) {
    }

    Result run(String soql) {
        SelectStatement s;
        try {
            s = Soql.parse(soql);
        } catch (MalformedQueryException e) {
            throw new DmlException(400, "MALFORMED_QUERY", e.salesforceMessage());
        }
        boolean countOnly = s.select().size() == 1 && s.select().get(0) instanceof SelectItem.Function f
                && f.name().equalsIgnoreCase("COUNT") && f.arguments().isEmpty();
        CompiledQuery query;
        try {
            query = CompiledQuery.compile(s, org.clock(), this::subquery);
        } catch (MalformedQueryException e) {
            throw new DmlException(400, "MALFORMED_QUERY", e.salesforceMessage());
        }
        if (!ApiNames.isApiName(s.sobjectType())) {
            throw new DmlException(400, "INVALID_TYPE", String.format(ApiNames.NO_SUCH_TYPE, s.sobjectType()));
        }
        String type = org.data().typeName(s.sobjectType());
        List<Map<String, Object>> matched = new ArrayList<>();
        for (Map<String, Object> record : org.data().records(type)) {
            Map<String, Object> withParents = withParents(record, s);
            if (query.matches(withParents)) {
                matched.add(withParents);
            }
        }
        if (!s.orderBy().isEmpty()) {
            matched.sort(comparator(s.orderBy()));
        }
        int from = s.offset() == null ? 0 : Math.min(s.offset(), matched.size());
        int to = s.limit() == null ? matched.size() : Math.min(matched.size(), from + s.limit());
        List<Map<String, Object>> page = matched.subList(from, to);
        if (countOnly) {
            return new Result(List.of(), page.size());
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> record : page) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("attributes", attributes(type, String.valueOf(record.get("Id"))));
            row.putAll(query.project(record));
            addParentAttributes(row, s);
            out.add(row);
        }
        return new Result(out, out.size());
    }

    Map<String, Object> attributes(String type, String id) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("type", type);
        attributes.put("url", "/services/data/v" + apiVersion + "/sobjects/" + type + "/" + id);
        return attributes;
    }

    /** Values of the one field a sub-select selects, for semi-joins. */
    private List<Object> subquery(SelectStatement sub) {
        if (sub.select().size() != 1 || !(sub.select().get(0) instanceof SelectItem.Field field)) {
            throw new DmlException(400, "MALFORMED_QUERY", "a semi-join sub-select selects exactly one field");
        }
        CompiledQuery inner = CompiledQuery.compile(sub, org.clock(), this::subquery);
        List<Object> values = new ArrayList<>();
        for (Map<String, Object> record : org.data().records(sub.sobjectType())) {
            if (inner.matches(record)) {
                values.add(record.get(field.path().fieldName()));
            }
        }
        return values;
    }

    /** The record with each parent relationship the query names ({@code Account.Name}) filled in as a nested map. */
    private Map<String, Object> withParents(Map<String, Object> record, SelectStatement s) {
        Map<String, Object> out = null;
        for (FieldPath path : paths(s)) {
            FieldPath p = path.unqualified(s.sobjectType(), s.alias());
            if (!p.isDotted()) {
                continue;
            }
            String relationship = p.segments().get(0);
            if (out == null) {
                out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                out.putAll(record);
            }
            if (!(out.get(relationship) instanceof Map)) {
                Optional<Map<String, Object>> parent = parent(record, relationship);
                out.put(relationship, parent.orElse(null));
            }
        }
        return out == null ? record : out;
    }

    private Optional<Map<String, Object>> parent(Map<String, Object> record, String relationship) {
        String lookup = relationship.toLowerCase().endsWith("__r")
                ? relationship.substring(0, relationship.length() - 1) + "c" : relationship + "Id";
        Object id = record.get(lookup);
        return id == null ? Optional.empty() : org.data().get(String.valueOf(id));
    }

    private void addParentAttributes(Map<String, Object> row, SelectStatement s) {
        for (Map.Entry<String, Object> e : row.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> nested && !e.getKey().equals("attributes")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> parent = (Map<String, Object>) nested;
                Object id = parent.get("Id");
                Map<String, Object> withAttributes = new LinkedHashMap<>();
                String parentType = id == null ? e.getKey() : org.data().typeOf(String.valueOf(id)).orElse(e.getKey());
                withAttributes.put("attributes", attributes(parentType, String.valueOf(id)));
                withAttributes.putAll(parent);
                e.setValue(withAttributes);
            }
        }
    }

    private static List<FieldPath> paths(SelectStatement s) {
        List<FieldPath> paths = new ArrayList<>();
        for (SelectItem item : s.select()) {
            if (item instanceof SelectItem.Field f) {
                paths.add(f.path());
            }
        }
        collect(s.where(), paths);
        for (OrderItem o : s.orderBy()) {
            if (o.operand() instanceof Operand.Field f) {
                paths.add(f.path());
            }
        }
        return paths;
    }

    private static void collect(dev.sfstream.soql.ast.Condition c, List<FieldPath> out) {
        if (c == null) {
            return;
        }
        if (c instanceof dev.sfstream.soql.ast.Condition.And and) {
            and.parts().forEach(p -> collect(p, out));
        } else if (c instanceof dev.sfstream.soql.ast.Condition.Or or) {
            or.parts().forEach(p -> collect(p, out));
        } else if (c instanceof dev.sfstream.soql.ast.Condition.Not not) {
            collect(not.part(), out);
        } else if (c instanceof dev.sfstream.soql.ast.Condition.Comparison cmp
                && cmp.operand() instanceof Operand.Field f) {
            out.add(f.path());
        } else if (c instanceof dev.sfstream.soql.ast.Condition.In in && in.operand() instanceof Operand.Field f) {
            out.add(f.path());
        }
    }

    private static Comparator<Map<String, Object>> comparator(List<OrderItem> order) {
        Comparator<Map<String, Object>> result = null;
        for (OrderItem item : order) {
            if (!(item.operand() instanceof Operand.Field f)) {
                continue;
            }
            List<String> segments = f.path().segments();
            Comparator<Map<String, Object>> c = (a, b) -> compareValues(read(a, segments), read(b, segments),
                    item.nullsFirst());
            if (item.descending()) {
                Comparator<Map<String, Object>> asc = c;
                c = (a, b) -> {
                    Object va = read(a, segments);
                    Object vb = read(b, segments);
                    if (va == null || vb == null) {
                        return asc.compare(a, b);
                    }
                    return -asc.compare(a, b);
                };
            }
            result = result == null ? c : result.thenComparing(c);
        }
        return result == null ? (a, b) -> 0 : result;
    }

    private static Object read(Map<String, Object> record, List<String> segments) {
        Object current = record;
        for (String segment : segments) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(segment);
        }
        return current;
    }

    private static int compareValues(Object a, Object b, boolean nullsFirst) {
        if (a == null || b == null) {
            if (a == b) {
                return 0;
            }
            return (a == null) == nullsFirst ? -1 : 1;
        }
        if (a instanceof Number x && b instanceof Number y) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString()));
        }
        return String.valueOf(a).compareToIgnoreCase(String.valueOf(b));
    }
}
