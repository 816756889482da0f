package dev.sfstream.soql;

import dev.sfstream.soql.ast.FieldPath;
import dev.sfstream.soql.ast.SelectItem;
import dev.sfstream.soql.ast.SelectStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A SOQL statement compiled for evaluation over records: its WHERE clause as a tree of predicates built once (by
 * {@link ConditionCompiler}), its SELECT list as a projection, and the fields each clause names.
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
    private final ConditionCompiler.RecordPredicate where;
    private final List<FieldPath> selectFields;
    private final List<FieldPath> whereFields;
    private final Set<String> selectKeys;
    private final Set<String> whereKeys;

    private CompiledQuery(SelectStatement statement, Clock clock, SemiJoinResolver resolver) {
        this.statement = statement;
        List<FieldPath> select = new ArrayList<>();
        for (SelectItem item : statement.select()) {
            if (item instanceof SelectItem.Field f) {
                select.add(unqualified(f.path()));
            }
        }
        this.selectFields = List.copyOf(select);
        List<FieldPath> whereList = new ArrayList<>();
        this.where = statement.where() == null ? r -> true
                : new ConditionCompiler(statement, clock, resolver).compile(statement.where(), whereList);
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
}
