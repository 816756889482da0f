package dev.sfstream.soql;

import java.math.BigDecimal;

/** Compares record values with a number literal, avoiding BigDecimal for the common integral and double cases. */
final class NumberCompare {
    private final BigDecimal literal;
    private final boolean integral;
    private final long asLong;
    private final double asDouble;

    NumberCompare(BigDecimal literal) {
        this.literal = literal;
        boolean fitsLong;
        long l = 0;
        try {
            l = literal.longValueExact();
            fitsLong = true;
        } catch (ArithmeticException e) {
            fitsLong = false;
        }
        this.integral = fitsLong;
        this.asLong = l;
        this.asDouble = literal.doubleValue();
    }

    Integer compare(Object v) {
        if (integral && (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte)) {
            return Long.compare(((Number) v).longValue(), asLong);
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d)) {
                return null;
            }
            if (Double.isInfinite(d)) {
                return d > 0 ? 1 : -1;
            }
            if (d == asDouble) {
                return BigDecimal.valueOf(d).compareTo(literal);
            }
            return Double.compare(d, asDouble);
        }
        BigDecimal n = Values.asNumber(v);
        return n == null ? null : n.compareTo(literal);
    }
}
