package dev.sfstream.soql.ast;

import java.util.List;

/** A WHERE (or HAVING) condition: a tree of AND, OR and NOT over comparisons. */
public sealed interface Condition {
    /** Where the condition starts. */
    Position position();

    /** All of the parts hold. */
    record And(List<Condition> parts, Position position) implements Condition {
        public And {
            parts = List.copyOf(parts);
        }
    }

    /** At least one of the parts holds. */
    record Or(List<Condition> parts, Position position) implements Condition {
        public Or {
            parts = List.copyOf(parts);
        }
    }

    /** The part does not hold. Parsed for every query; PushTopic queries refuse it. */
    record Not(Condition part, Position position) implements Condition {
    }

    /** {@code operand op literal}, {@code LIKE} included. */
    record Comparison(Operand operand, Operator operator, Literal value, Position position) implements Condition {
    }

    /** {@code operand [NOT] IN (literals)}. */
    record In(Operand operand, boolean negated, List<Literal> values, Position position) implements Condition {
        public In {
            values = List.copyOf(values);
        }
    }

    /** {@code operand INCLUDES (...)} or {@code EXCLUDES (...)}, over a multi-select picklist. */
    record Includes(Operand operand, boolean excludes, List<Literal> values, Position position) implements Condition {
        public Includes {
            values = List.copyOf(values);
        }
    }

    /** A semi-join or anti-join: {@code field [NOT] IN (SELECT ...)}. */
    record SemiJoin(Operand operand, boolean negated, SelectStatement query, Position position) implements Condition {
    }
}
