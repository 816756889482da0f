package dev.sfstream.soql;

import dev.sfstream.soql.ast.Condition;
import dev.sfstream.soql.ast.DateFunction;
import dev.sfstream.soql.ast.FieldPath;
import dev.sfstream.soql.ast.Literal;
import dev.sfstream.soql.ast.Operand;
import dev.sfstream.soql.ast.Operator;
import dev.sfstream.soql.ast.SelectStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Compiles a WHERE condition into a tree of predicates over records, once, with SOQL's semantics as
 * {@link CompiledQuery} states them: how each literal type compares with a record's value, null handling, IDs,
 * multi-select picklists, {@code LIKE}, {@code IN}, {@code INCLUDES}/{@code EXCLUDES}, relative dates and semi-joins.
 * The predicates it returns are immutable and thread-safe; the compiler itself is used once per statement.
 */
final class ConditionCompiler {
    /** A compiled condition. */
    @FunctionalInterface
    interface RecordPredicate {
        boolean test(Map<String, ?> record);
    }

    /** Reads the value a condition compares from a record: a field, or a date function of one. */
    @FunctionalInterface
    interface ValueReader {
        Object read(Map<String, ?> record);
    }

    private final SelectStatement statement;
    private final Clock clock;
    private final SemiJoinResolver resolver;

    /**
     * @param statement the statement the condition belongs to, whose object name or alias may qualify its fields
     * @param clock where "today" comes from for relative date literals
     * @param resolver answers semi-join sub-selects, or {@code null} when there are none
     */
    ConditionCompiler(SelectStatement statement, Clock clock, SemiJoinResolver resolver) {
        this.statement = statement;
        this.clock = clock;
        this.resolver = resolver;
    }

    /**
     * The predicate of a condition; every field it reads is added to {@code fields}, in order of appearance.
     *
     * @throws MalformedQueryException for a function that cannot be evaluated on a record
     * @throws IllegalArgumentException for a semi-join without a resolver
     */
    RecordPredicate compile(Condition c, List<FieldPath> fields) {
        if (c instanceof Condition.And and) {
            RecordPredicate[] parts = and.parts().stream().map(p -> compile(p, fields))
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
            RecordPredicate[] parts = or.parts().stream().map(p -> compile(p, fields))
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
            RecordPredicate inner = compile(not.part(), fields);
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

    private static ValueReader reader(Operand operand, FieldPath path) {
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

    private FieldPath unqualified(FieldPath path) {
        return path.unqualified(statement.sobjectType(), statement.alias());
    }
}
