package dev.sfstream.soql;

import dev.sfstream.soql.ast.Condition;
import dev.sfstream.soql.ast.DateFunction;
import dev.sfstream.soql.ast.FieldPath;
import dev.sfstream.soql.ast.Literal;
import dev.sfstream.soql.ast.Operand;
import dev.sfstream.soql.ast.Operator;
import dev.sfstream.soql.ast.SelectItem;
import dev.sfstream.soql.ast.SelectStatement;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A SOQL statement compiled for evaluation over records: its WHERE clause as a tree of predicates built once, its
 * SELECT list as a projection, and the fields each clause names.
 *
 * <p>A record is a {@code Map<String, ?>} of field name to value; names match without regard to case. Values may be
 * Java types ({@link String}, {@link Number}, {@link Boolean}, {@link LocalDate}, {@link Instant} and the other
 * {@code java.time} types) or their JSON string forms. The semantics are SOQL's:
 * <ul>
 *   <li>string comparisons, {@code LIKE} and {@code IN} ignore case; an empty string is {@code null};</li>
 *   <li>{@code = null} and {@code != null} test for null; a null field fails every other comparison except
 *       {@code !=} and {@code NOT IN}, which it passes;</li>
 *   <li>IDs compare as Salesforce does: a 15-character ID is case-sensitive and equals its 18-character form;</li>
 *   <li>numbers compare by value ({@code 1 = 1.0}); dates and datetimes by time, relative literals such as
 *       {@code LAST_N_DAYS:30} by the range of days they stand for, today taken from the clock in UTC;</li>
 *   <li>{@code INCLUDES} and {@code EXCLUDES} read a multi-select picklist ({@code 'A;B'}); {@code 'A;B'} in the
 *       list means both A and B.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe; compile once, evaluate many times.
 */
public final class CompiledQuery {
    private final SelectStatement statement;
    private final RecordPredicate where;
    private final List<FieldPath> selectFields;
    private final List<FieldPath> whereFields;
    private final Set<String> selectKeys;
    private final Set<String> whereKeys;
    private final Clock clock;

    private CompiledQuery(SelectStatement statement, Clock clock, SemiJoinResolver resolver) {
        this.statement = statement;
        this.clock = clock;
        List<FieldPath> select = new ArrayList<>();
        for (SelectItem item : statement.select()) {
            if (item instanceof SelectItem.Field f) {
                select.add(unqualified(f.path()));
            }
        }
        this.selectFields = List.copyOf(select);
        List<FieldPath> whereList = new ArrayList<>();
        this.where = statement.where() == null ? r -> true : compile(statement.where(), resolver, whereList);
        Map<String, FieldPath> distinct = new LinkedHashMap<>();
        whereList.forEach(p -> distinct.putIfAbsent(p.key(), p));
        this.whereFields = List.copyOf(distinct.values());
        this.selectKeys = keys(selectFields);
        this.whereKeys = keys(whereFields);
    }

    /** Parses and compiles a statement, evaluating relative dates against the system clock. */
    public static CompiledQuery compile(String soql) {
        return compile(Soql.parse(soql));
    }

    /** Compiles a parsed statement, evaluating relative dates against the system clock. */
    public static CompiledQuery compile(SelectStatement statement) {
        return compile(statement, Clock.systemUTC(), null);
    }

    /**
     * Compiles a parsed statement.
     *
     * @param clock where "today" comes from for relative date literals
     * @param resolver answers semi-join sub-selects; {@code null} when the statement has none
     * @throws MalformedQueryException when the WHERE clause uses a function that cannot be evaluated on a record
     *     (an aggregate, an unknown function)
     * @throws IllegalArgumentException when the statement has a semi-join and no resolver is given
     */
    public static CompiledQuery compile(SelectStatement statement, Clock clock, SemiJoinResolver resolver) {
        return new CompiledQuery(Objects.requireNonNull(statement, "statement"), Objects.requireNonNull(clock, "clock"),
                resolver);
    }

    /** The parsed statement. */
    public SelectStatement statement() {
        return statement;
    }

    /** The queried object as written in FROM. */
    public String sobjectType() {
        return statement.sobjectType();
    }

    /** Whether the record satisfies the WHERE clause (always, when there is none). */
    public boolean matches(Map<String, ?> record) {
        return where.test(record);
    }

    /**
     * The record reduced to the SELECT list's fields, in SELECT order. Keys take the record's own spelling of each
     * field (Salesforce answers with a field's API name whatever case the query used); a field the record lacks is
     * present with {@code null}. A relationship path ({@code Account.Name}) becomes a nested map.
     */
    public Map<String, Object> project(Map<String, ?> record) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (FieldPath path : selectFields) {
            put(out, record, path.segments(), 0);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> out, Map<String, ?> record, List<String> segments, int at) {
        String name = segments.get(at);
        String key = record == null ? null : FieldReader.keyOf(record, name);
        String outKey = key == null ? name : key;
        Object value = record == null ? null : FieldReader.lookup(record, name);
        if (at == segments.size() - 1) {
            out.put(outKey, value);
            return;
        }
        Object existing = out.get(outKey);
        Map<String, Object> nested = existing instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
        out.put(outKey, nested);
        put(nested, value instanceof Map<?, ?> m ? (Map<String, ?>) m : null, segments, at + 1);
    }

    /** The fields of the SELECT list, in order, without an object qualifier; functions and sub-selects left out. */
    public List<String> selectFields() {
        return selectFields.stream().map(FieldPath::text).toList();
    }

    /** The fields the WHERE clause reads, each once, in order of appearance, without an object qualifier. */
    public List<String> whereFields() {
        return whereFields.stream().map(FieldPath::text).toList();
    }

    /** Whether any of the named fields is in the SELECT list (names compared without case). */
    public boolean selectsAnyOf(Collection<String> fieldNames) {
        return containsAny(selectKeys, fieldNames);
    }

    /** Whether the WHERE clause reads any of the named fields (names compared without case). */
    public boolean filtersOnAnyOf(Collection<String> fieldNames) {
        return containsAny(whereKeys, fieldNames);
    }

    private static boolean containsAny(Set<String> keys, Collection<String> names) {
        for (String name : names) {
            if (keys.contains(name.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> keys(List<FieldPath> paths) {
        Set<String> keys = new HashSet<>();
        paths.forEach(p -> keys.add(p.key()));
        return Set.copyOf(keys);
    }

    private FieldPath unqualified(FieldPath path) {
        return path.unqualified(statement.sobjectType(), statement.alias());
    }

    // ---------------------------------------------------------------- compiling conditions

    @FunctionalInterface
    interface RecordPredicate {
        boolean test(Map<String, ?> record);
    }

    @FunctionalInterface
    interface ValueReader {
        Object read(Map<String, ?> record);
    }

    private RecordPredicate compile(Condition c, SemiJoinResolver resolver, List<FieldPath> fields) {
        if (c instanceof Condition.And and) {
            RecordPredicate[] parts = and.parts().stream().map(p -> compile(p, resolver, fields))
                    .toArray(RecordPredicate[]::new);
            return r -> {
                for (RecordPredicate p : parts) {
                    if (!p.test(r)) {
                        return false;
                    }
                }
                return true;
            };
        }
        if (c instanceof Condition.Or or) {
            RecordPredicate[] parts = or.parts().stream().map(p -> compile(p, resolver, fields))
                    .toArray(RecordPredicate[]::new);
            return r -> {
                for (RecordPredicate p : parts) {
                    if (p.test(r)) {
                        return true;
                    }
                }
                return false;
            };
        }
        if (c instanceof Condition.Not not) {
            RecordPredicate inner = compile(not.part(), resolver, fields);
            return r -> !inner.test(r);
        }
        Operand operand = Conditions.operandOf(c);
        FieldPath path = unqualified(Conditions.pathOf(operand));
        fields.add(path);
        ValueReader reader = reader(operand, path);
        boolean idField = operand instanceof Operand.Field && isIdField(path);
        if (c instanceof Condition.Comparison cmp) {
            return comparison(reader, cmp.operator(), cmp.value(), idField);
        }
        if (c instanceof Condition.In in) {
            RecordPredicate any = anyEquals(reader, in.values(), idField);
            if (!in.negated()) {
                return any;
            }
            return r -> Values.isNull(reader.read(r)) || !any.test(r);
        }
        if (c instanceof Condition.Includes inc) {
            return includes(reader, inc);
        }
        Condition.SemiJoin join = (Condition.SemiJoin) c;
        if (resolver == null) {
            throw new IllegalArgumentException("the query has a semi-join (" + path.text()
                    + " IN (SELECT ...)); evaluating it needs a SemiJoinResolver");
        }
        Set<String> values = new HashSet<>();
        for (Object v : resolver.values(join.query())) {
            String s = Values.asString(v);
            if (s != null) {
                values.add(idField ? idKey(s) : s.toLowerCase(Locale.ROOT));
            }
        }
        boolean negated = join.negated();
        boolean finalIdField = idField;
        return r -> {
            String s = Values.asString(reader.read(r));
            if (s == null) {
                return negated;
            }
            boolean in = values.contains(finalIdField ? idKey(s) : s.toLowerCase(Locale.ROOT));
            return negated != in;
        };
    }

    /** IDs as set keys: the case-sensitive 15-character form. */
    private static String idKey(String s) {
        return Values.looksLikeId(s) ? s.substring(0, 15) : s;
    }

    private static boolean isIdField(FieldPath path) {
        String name = path.fieldName();
        return name.regionMatches(true, name.length() - 2, "Id", 0, 2);
    }

    private ValueReader reader(Operand operand, FieldPath path) {
        FieldReader field = new FieldReader(path);
        if (operand instanceof Operand.Function fn) {
            return DateFunctions.reader(fn, field::read);
        }
        return field::read;
    }

    private RecordPredicate comparison(ValueReader reader, Operator op, Literal literal, boolean idField) {
        if (literal instanceof Literal.NullValue) {
            return switch (op) {
                case EQUALS -> r -> Values.isNull(reader.read(r));
                case NOT_EQUALS -> r -> !Values.isNull(reader.read(r));
                default -> r -> false;
            };
        }
        if (literal instanceof Literal.StringValue s) {
            if (op == Operator.LIKE) {
                LikePattern pattern = LikePattern.compile(s.raw());
                return r -> {
                    String v = Values.asString(reader.read(r));
                    return v != null && pattern.matches(v);
                };
            }
            StringTest test = stringTest(s.value(), idField);
            return r -> {
                String v = Values.asString(reader.read(r));
                if (v == null) {
                    return op == Operator.NOT_EQUALS;
                }
                return switch (op) {
                    case EQUALS -> test.equal(v);
                    case NOT_EQUALS -> !test.equal(v);
                    default -> order(op, v.compareToIgnoreCase(s.value()));
                };
            };
        }
        if (literal instanceof Literal.NumberValue n) {
            NumberCompare cmp = new NumberCompare(n.value());
            return r -> {
                Object v = reader.read(r);
                Integer c = Values.isNull(v) ? null : cmp.compare(v);
                return c == null ? op == Operator.NOT_EQUALS : order(op, c);
            };
        }
        if (literal instanceof Literal.BooleanValue b) {
            return r -> {
                Boolean v = Values.asBoolean(reader.read(r));
                if (v == null) {
                    return op == Operator.NOT_EQUALS;
                }
                return switch (op) {
                    case EQUALS -> v == b.value();
                    case NOT_EQUALS -> v != b.value();
                    default -> false;
                };
            };
        }
        if (literal instanceof Literal.DateValue d) {
            return r -> {
                LocalDate v = Values.asDate(reader.read(r));
                return v == null ? op == Operator.NOT_EQUALS : order(op, v.compareTo(d.value()));
            };
        }
        if (literal instanceof Literal.DateTimeValue dt) {
            Instant at = dt.value().toInstant();
            return r -> {
                Instant v = Values.asInstant(reader.read(r));
                return v == null ? op == Operator.NOT_EQUALS : order(op, v.compareTo(at));
            };
        }
        Literal.RelativeDate rel = (Literal.RelativeDate) literal;
        return r -> {
            LocalDate v = Values.asDate(reader.read(r));
            if (v == null) {
                return op == Operator.NOT_EQUALS;
            }
            DateFunction.Range range = rel.function().range(LocalDate.now(clock.withZone(ZoneOffset.UTC)), rel.n());
            boolean before = v.isBefore(range.start());
            boolean after = !v.isBefore(range.end());
            return switch (op) {
                case EQUALS -> !before && !after;
                case NOT_EQUALS -> before || after;
                case LESS_THAN -> before;
                case LESS_OR_EQUAL -> !after;
                case GREATER_THAN -> after;
                case GREATER_OR_EQUAL -> !before;
                case LIKE -> false;
            };
        };
    }

    private static boolean order(Operator op, int c) {
        return switch (op) {
            case EQUALS -> c == 0;
            case NOT_EQUALS -> c != 0;
            case LESS_THAN -> c < 0;
            case LESS_OR_EQUAL -> c <= 0;
            case GREATER_THAN -> c > 0;
            case GREATER_OR_EQUAL -> c >= 0;
            case LIKE -> false;
        };
    }

    /** Equality of a field's string value with a literal: IDs, multi-select picklists, or text without case. */
    private interface StringTest {
        boolean equal(String value);
    }

    private static StringTest stringTest(String literal, boolean idField) {
        if (idField && Values.looksLikeId(literal)) {
            return v -> Values.looksLikeId(v) ? Values.sameId(v, literal) : v.equalsIgnoreCase(literal);
        }
        if (literal.indexOf(';') >= 0) {
            Set<String> parts = Values.picklistParts(literal);
            return v -> v.indexOf(';') >= 0 ? Values.picklistParts(v).equals(parts) : v.equalsIgnoreCase(literal);
        }
        return v -> v.indexOf(';') >= 0 ? Values.picklistParts(v).equals(Values.picklistParts(literal))
                : v.equalsIgnoreCase(literal);
    }

    private RecordPredicate anyEquals(ValueReader reader, List<Literal> values, boolean idField) {
        List<RecordPredicate> tests = new ArrayList<>();
        boolean allPlainStrings = !values.isEmpty();
        for (Literal v : values) {
            if (!(v instanceof Literal.StringValue s) || s.value().indexOf(';') >= 0
                    || (idField && Values.looksLikeId(s.value()))) {
                allPlainStrings = false;
            }
            tests.add(comparison(reader, Operator.EQUALS, v, idField));
        }
        if (allPlainStrings) {
            // The common case, IN ('a', 'b', ...): one hash lookup instead of a comparison per value.
            Set<String> set = new LinkedHashSet<>();
            values.forEach(v -> set.add(((Literal.StringValue) v).value().toLowerCase(Locale.ROOT)));
            return r -> {
                String s = Values.asString(reader.read(r));
                return s != null && (s.indexOf(';') < 0 ? set.contains(s.toLowerCase(Locale.ROOT))
                        : anyOf(tests, r));
            };
        }
        return r -> anyOf(tests, r);
    }

    private static boolean anyOf(List<RecordPredicate> tests, Map<String, ?> r) {
        for (RecordPredicate t : tests) {
            if (t.test(r)) {
                return true;
            }
        }
        return false;
    }

    private static RecordPredicate includes(ValueReader reader, Condition.Includes inc) {
        List<Set<String>> terms = new ArrayList<>();
        for (Literal l : inc.values()) {
            if (l instanceof Literal.StringValue s) {
                terms.add(Values.picklistParts(s.value()));
            } else if (!(l instanceof Literal.NullValue)) {
                terms.add(Set.of(literalText(l)));
            }
        }
        boolean excludes = inc.excludes();
        return r -> {
            String v = Values.asString(reader.read(r));
            if (v == null) {
                return excludes;
            }
            Set<String> parts = Values.picklistParts(v);
            boolean any = false;
            for (Set<String> term : terms) {
                if (!term.isEmpty() && parts.containsAll(term)) {
                    any = true;
                    break;
                }
            }
            return excludes != any;
        };
    }

    private static String literalText(Literal l) {
        if (l instanceof Literal.NumberValue n) {
            return n.value().toPlainString();
        }
        if (l instanceof Literal.BooleanValue b) {
            return String.valueOf(b.value());
        }
        return String.valueOf(l).toLowerCase(Locale.ROOT);
    }

    /** Compares record values with a number literal, avoiding BigDecimal for the common integral and double cases. */
    private static final class NumberCompare {
        private final BigDecimal literal;
        private final boolean integral;
        private final long asLong;
        private final double asDouble;

        NumberCompare(BigDecimal literal) {
            this.literal = literal;
            boolean fitsLong;
            long l = 0;
            try {
                l = literal.longValueExact();
                fitsLong = true;
            } catch (ArithmeticException e) {
                fitsLong = false;
            }
            this.integral = fitsLong;
            this.asLong = l;
            this.asDouble = literal.doubleValue();
        }

        Integer compare(Object v) {
            if (integral && (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte)) {
                return Long.compare(((Number) v).longValue(), asLong);
            }
            if (v instanceof Double || v instanceof Float) {
                double d = ((Number) v).doubleValue();
                if (Double.isNaN(d)) {
                    return null;
                }
                if (Double.isInfinite(d)) {
                    return d > 0 ? 1 : -1;
                }
                if (d == asDouble) {
                    return BigDecimal.valueOf(d).compareTo(literal);
                }
                return Double.compare(d, asDouble);
            }
            BigDecimal n = Values.asNumber(v);
            return n == null ? null : n.compareTo(literal);
        }
    }
}
