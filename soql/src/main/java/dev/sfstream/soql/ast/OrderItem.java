package dev.sfstream.soql.ast;

/**
 * One {@code ORDER BY} entry.
 *
 * @param nullsFirst whether nulls sort first; by default they do when ascending, as in SOQL
 */
public record OrderItem(Operand operand, boolean descending, boolean nullsFirst) {
}
