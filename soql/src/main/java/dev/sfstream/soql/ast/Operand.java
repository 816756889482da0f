package dev.sfstream.soql.ast;

/**
 * The left side of a condition: a field, or a function applied to a field ({@code CALENDAR_YEAR(CreatedDate)},
 * {@code COUNT(Id)} in HAVING).
 */
public sealed interface Operand {
    /** Where the operand starts. */
    Position position();

    /** A plain field reference. */
    record Field(FieldPath path) implements Operand {
        @Override
        public Position position() {
            return path.position();
        }
    }

    /** A function of a field, such as a date function or, in HAVING, an aggregate. */
    record Function(String name, FieldPath argument, Position position) implements Operand {
        /** Whether the function aggregates rows. */
        public boolean isAggregate() {
            return Aggregates.isAggregate(name);
        }
    }
}
