package dev.sfstream.soql;

import dev.sfstream.soql.ast.Condition;
import dev.sfstream.soql.ast.FieldPath;
import dev.sfstream.soql.ast.Operand;

/** Small accessors over the condition AST, shared by the rules and the compiler. */
final class Conditions {
    private Conditions() {
    }

    /** The operand of a leaf condition (comparison, IN, INCLUDES, semi-join). */
    static Operand operandOf(Condition c) {
        if (c instanceof Condition.Comparison cmp) {
            return cmp.operand();
        }
        if (c instanceof Condition.In in) {
            return in.operand();
        }
        if (c instanceof Condition.Includes inc) {
            return inc.operand();
        }
        if (c instanceof Condition.SemiJoin join) {
            return join.operand();
        }
        throw new IllegalArgumentException("not a leaf condition: " + c.getClass().getSimpleName());
    }

    /** The field an operand reads: the field itself, or a function's argument. */
    static FieldPath pathOf(Operand operand) {
        if (operand instanceof Operand.Function fn) {
            return fn.argument();
        }
        return ((Operand.Field) operand).path();
    }
}
