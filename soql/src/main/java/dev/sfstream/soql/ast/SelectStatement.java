package dev.sfstream.soql.ast;

import java.util.List;
import java.util.Optional;

/**
 * A parsed SOQL SELECT statement. Immutable; every clause is kept, including those a PushTopic query may not use,
 * so that the rules can refuse them by name.
 *
 * @param select the SELECT list, in order
 * @param sobjectType the queried object as written ({@code Lead}, {@code Invoice__c})
 * @param alias the object's alias, or {@code null}
 * @param usingScope the {@code USING SCOPE} value, or {@code null}
 * @param where the WHERE condition, or {@code null}
 * @param with the {@code WITH} clause's words ({@code SECURITY_ENFORCED}), or {@code null}
 * @param groupBy the GROUP BY entries (empty when absent)
 * @param having the HAVING condition, or {@code null}
 * @param orderBy the ORDER BY entries (empty when absent)
 * @param limit the LIMIT, or {@code null}
 * @param offset the OFFSET, or {@code null}
 * @param forOptions the {@code FOR VIEW|REFERENCE|UPDATE} options (empty when absent)
 */
public record SelectStatement(
        List<SelectItem> select,
        String sobjectType,
        String alias,
        String usingScope,
        Condition where,
        String with,
        List<Operand> groupBy,
        Condition having,
        List<OrderItem> orderBy,
        Integer limit,
        Integer offset,
        List<String> forOptions,
        Position position) {

    public SelectStatement {
        select = List.copyOf(select);
        groupBy = List.copyOf(groupBy);
        orderBy = List.copyOf(orderBy);
        forOptions = List.copyOf(forOptions);
    }

    /** The WHERE condition, if any. */
    public Optional<Condition> whereClause() {
        return Optional.ofNullable(where);
    }
}
