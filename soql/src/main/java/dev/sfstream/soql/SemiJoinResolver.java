package dev.sfstream.soql;

import dev.sfstream.soql.ast.SelectStatement;
import java.util.Collection;

/**
 * Answers the sub-select of a semi-join or anti-join ({@code Id IN (SELECT AccountId FROM Contact)}) with the
 * values of its one selected field, so that a {@link CompiledQuery} can evaluate it. The emulator's REST query
 * supplies one; PushTopic queries never need it (Salesforce refuses semi-joins there).
 */
@FunctionalInterface
public interface SemiJoinResolver {
    /** The values the sub-select returns. */
    Collection<?> values(SelectStatement subquery);
}
