package dev.sfstream.soql;

import dev.sfstream.soql.ast.Condition;
import dev.sfstream.soql.ast.FieldPath;
import dev.sfstream.soql.ast.Operand;
import dev.sfstream.soql.ast.SelectItem;
import dev.sfstream.soql.ast.SelectStatement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Salesforce's rules for a PushTopic query, with Salesforce's error codes and texts, kept in this one place so that
 * the client's offline check and the emulator's answer are the same text.
 *
 * <p>The texts of the unsupported constructs are those Salesforce documents on its "Unsupported PushTopic Queries"
 * page ({@code INVALID_FIELD, 'LIMIT' is not allowed} and so on). Where Salesforce's text is not public (a query without {@code Id},
 * the NotifyForFields preconditions, {@code USING SCOPE}, {@code WITH}, {@code FOR}, non-aggregate functions) the
 * text below is our choice, written in the same style. Formula and text-area fields in WHERE are not detected: that
 * needs the org's field metadata.
 *
 * <p>Stateless and thread-safe.
 */
public final class PushTopicQuery {
    /** The longest query Salesforce stores in {@code PushTopic.Query}. */
    public static final int MAX_QUERY_LENGTH = 1300;

    static final String INVALID_FIELD = "INVALID_FIELD";

    static final String MISSING_ID = "The SELECT clause of a PushTopic query must include Id";
    static final String SEMI_JOIN = "semi/anti join sub-selects are not supported";
    static final String AGGREGATE = "Aggregate queries are not supported";
    static final String GROUP_BY = "'Aggregate queries are not supported'";
    static final String LIMIT = "'LIMIT' is not allowed";
    static final String ORDER_BY = "'ORDER BY' clause is not allowed";
    static final String OFFSET = "'OFFSET' clause is not allowed";
    static final String TYPEOF = "'TYPEOF' clause is not allowed";
    static final String RELATIONSHIPS = "relationships are not supported";
    static final String NOT = "'NOT' is not supported";
    static final String USING_SCOPE = "'USING SCOPE' clause is not allowed";
    static final String WITH = "'WITH' clause is not allowed";
    static final String FOR = "'FOR' clause is not allowed";
    static final String SELECT_NEEDS_FIELD =
            "NotifyForFields 'Select' requires at least one field other than Id in the SELECT clause";
    static final String WHERE_NEEDS_FIELD =
            "NotifyForFields 'Where' requires a WHERE clause on at least one field other than Id";
    static final String REFERENCED_NEEDS_FIELD =
            "NotifyForFields 'Referenced' requires at least one field other than Id in the SELECT or WHERE clause";

    private PushTopicQuery() {
    }

    /**
     * Checks a PushTopic query as Salesforce does when the PushTopic is saved.
     *
     * @param soql the query; {@code null} counts as empty
     * @param mode the PushTopic's {@code NotifyForFields}; {@code null} means Salesforce's default, Referenced
     * @return every violation found, in the order of the clauses; empty when Salesforce would accept the query
     */
    public static List<RuleViolation> check(String soql, NotifyForFields mode) {
        NotifyForFields notify = mode == null ? NotifyForFields.REFERENCED : mode;
        String text = soql == null ? "" : soql;
        Set<RuleViolation> found = new LinkedHashSet<>();
        if (text.length() > MAX_QUERY_LENGTH) {
            found.add(PushTopicRules.tooLong("Query", text, MAX_QUERY_LENGTH));
        }
        SelectStatement statement;
        try {
            statement = Soql.parse(text);
        } catch (MalformedQueryException e) {
            found.add(new RuleViolation(MalformedQueryException.ERROR_CODE,
                    e.problem() + " at Row:" + e.line() + ":Column:" + e.column(), List.of("Query")));
            return List.copyOf(found);
        }
        checkStatement(statement, notify, found);
        return List.copyOf(found);
    }

    private static void checkStatement(SelectStatement s, NotifyForFields notify, Set<RuleViolation> found) {
        boolean hasId = false;
        boolean nonIdSelect = false;
        for (SelectItem item : s.select()) {
            if (item instanceof SelectItem.Field f) {
                FieldPath path = f.path().unqualified(s.sobjectType(), s.alias());
                if (path.isDotted()) {
                    found.add(invalid(RELATIONSHIPS));
                    nonIdSelect = true;
                } else if (path.fieldName().equalsIgnoreCase("Id")) {
                    hasId = true;
                } else {
                    nonIdSelect = true;
                }
            } else if (item instanceof SelectItem.Function fn) {
                found.add(invalid(fn.isAggregate() ? AGGREGATE
                        : "'" + fn.name().toUpperCase(Locale.ROOT) + "()' is not supported"));
            } else if (item instanceof SelectItem.TypeOf) {
                found.add(invalid(TYPEOF));
            } else {
                found.add(invalid(RELATIONSHIPS));
            }
        }
        if (!hasId) {
            found.add(invalid(MISSING_ID));
        }
        if (s.usingScope() != null) {
            found.add(invalid(USING_SCOPE));
        }
        List<FieldPath> whereFields = new ArrayList<>();
        if (s.where() != null) {
            checkCondition(s.where(), s, found, whereFields);
        }
        if (s.with() != null) {
            found.add(invalid(WITH));
        }
        if (!s.groupBy().isEmpty()) {
            found.add(invalid(GROUP_BY));
        }
        if (!s.orderBy().isEmpty()) {
            found.add(invalid(ORDER_BY));
        }
        if (s.limit() != null) {
            found.add(invalid(LIMIT));
        }
        if (s.offset() != null) {
            found.add(invalid(OFFSET));
        }
        if (!s.forOptions().isEmpty()) {
            found.add(invalid(FOR));
        }
        if (!found.isEmpty()) {
            return; // the NotifyForFields preconditions presume an otherwise valid query
        }
        boolean nonIdWhere = whereFields.stream()
                .anyMatch(p -> p.isDotted() || !p.fieldName().equalsIgnoreCase("Id"));
        switch (notify) {
            case SELECT -> {
                if (!nonIdSelect) {
                    found.add(notifyViolation(SELECT_NEEDS_FIELD));
                }
            }
            case WHERE -> {
                if (!nonIdWhere) {
                    found.add(notifyViolation(WHERE_NEEDS_FIELD));
                }
            }
            case REFERENCED -> {
                if (!nonIdSelect && !nonIdWhere) {
                    found.add(notifyViolation(REFERENCED_NEEDS_FIELD));
                }
            }
            case ALL -> {
                // All notifies on any change; even SELECT Id alone is fine.
            }
        }
    }

    private static void checkCondition(Condition c, SelectStatement s, Set<RuleViolation> found,
            List<FieldPath> fields) {
        if (c instanceof Condition.And and) {
            and.parts().forEach(p -> checkCondition(p, s, found, fields));
        } else if (c instanceof Condition.Or or) {
            or.parts().forEach(p -> checkCondition(p, s, found, fields));
        } else if (c instanceof Condition.Not not) {
            found.add(invalid(NOT));
            checkCondition(not.part(), s, found, fields);
        } else if (c instanceof Condition.SemiJoin join) {
            found.add(invalid(SEMI_JOIN));
            checkOperand(join.operand(), s, found, fields);
        } else {
            checkOperand(Conditions.operandOf(c), s, found, fields);
        }
    }

    private static void checkOperand(Operand operand, SelectStatement s, Set<RuleViolation> found,
            List<FieldPath> fields) {
        if (operand instanceof Operand.Function fn && fn.isAggregate()) {
            found.add(invalid(AGGREGATE));
        }
        FieldPath path = Conditions.pathOf(operand);
        FieldPath unqualified = path.unqualified(s.sobjectType(), s.alias());
        if (unqualified.isDotted()) {
            found.add(invalid(RELATIONSHIPS));
        }
        fields.add(unqualified);
    }

    private static RuleViolation invalid(String message) {
        return new RuleViolation(INVALID_FIELD, message, List.of("Query"));
    }

    private static RuleViolation notifyViolation(String message) {
        return new RuleViolation(INVALID_FIELD, message, List.of("NotifyForFields"));
    }
}
