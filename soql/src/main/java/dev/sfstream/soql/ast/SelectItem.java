package dev.sfstream.soql.ast;

import java.util.List;

/**
 * One entry of a SELECT list. All SOQL forms are parsed, so that a PushTopic query can be refused with
 * Salesforce's message rather than with a syntax error.
 */
public sealed interface SelectItem {
    /** Where the item starts. */
    Position position();

    /** A field or relationship path, optionally aliased: {@code Name}, {@code Account.Name}. */
    record Field(FieldPath path, String alias, Position position) implements SelectItem {
    }

    /**
     * A function call: an aggregate ({@code COUNT()}, {@code COUNT(Id)}, {@code AVG(Amount)}) or another function
     * ({@code toLabel(Status)}, {@code FORMAT(Amount)}, {@code FIELDS(ALL)}).
     *
     * @param name the function name as written
     * @param arguments the field arguments; empty for {@code COUNT()}
     */
    record Function(String name, List<FieldPath> arguments, String alias, Position position) implements SelectItem {
        public Function {
            arguments = List.copyOf(arguments);
        }

        /** Whether the function aggregates rows (AVG, COUNT, COUNT_DISTINCT, MAX, MIN, SUM). */
        public boolean isAggregate() {
            return Aggregates.isAggregate(name);
        }
    }

    /** A polymorphic {@code TYPEOF field WHEN Type THEN fields ... [ELSE fields] END} clause. */
    record TypeOf(FieldPath field, List<When> whens, List<FieldPath> elseFields, Position position)
            implements SelectItem {
        public TypeOf {
            whens = List.copyOf(whens);
            elseFields = List.copyOf(elseFields);
        }

        /** One {@code WHEN type THEN fields} branch. */
        public record When(String sobjectType, List<FieldPath> fields) {
            public When {
                fields = List.copyOf(fields);
            }
        }
    }

    /** A relationship sub-select: {@code (SELECT Id FROM Contacts)}. */
    record Subquery(SelectStatement query, Position position) implements SelectItem {
    }
}
