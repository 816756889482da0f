package dev.sfstream.soql;

import dev.sfstream.soql.ast.Operand;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoField;
import java.time.temporal.WeekFields;
import java.util.Locale;
import java.util.function.Function;

/**
 * SOQL's date functions on the left of a condition ({@code CALENDAR_YEAR(CreatedDate) = 2024}), evaluated in UTC
 * with the fiscal year equal to the calendar year and weeks starting on Sunday, a new org's defaults.
 */
final class DateFunctions {
    private static final WeekFields SUNDAY_WEEKS = WeekFields.of(DayOfWeek.SUNDAY, 1);

    private DateFunctions() {
    }

    static ConditionCompiler.ValueReader reader(Operand.Function fn, ConditionCompiler.ValueReader field) {
        String name = fn.name().toUpperCase(Locale.ROOT);
        if (fn.isAggregate()) {
            throw new MalformedQueryException("aggregate function " + name + "() cannot be used in WHERE",
                    fn.name(), "a field or a date function", fn.position().line(), fn.position().column(), "");
        }
        if (name.equals("CONVERTTIMEZONE")) {
            return field; // every value is read in UTC already
        }
        Function<LocalDate, Object> onDate = switch (name) {
            case "CALENDAR_MONTH", "FISCAL_MONTH" -> LocalDate::getMonthValue;
            case "CALENDAR_QUARTER", "FISCAL_QUARTER" -> d -> (d.getMonthValue() - 1) / 3 + 1;
            case "CALENDAR_YEAR", "FISCAL_YEAR" -> LocalDate::getYear;
            case "DAY_IN_MONTH" -> LocalDate::getDayOfMonth;
            case "DAY_IN_WEEK" -> d -> d.get(SUNDAY_WEEKS.dayOfWeek());
            case "DAY_IN_YEAR" -> LocalDate::getDayOfYear;
            case "DAY_ONLY" -> d -> d;
            case "WEEK_IN_MONTH" -> d -> (d.getDayOfMonth() - 1) / 7 + 1;
            case "WEEK_IN_YEAR" -> d -> (d.getDayOfYear() - 1) / 7 + 1;
            default -> null;
        };
        if (onDate != null) {
            return r -> {
                LocalDate d = Values.asDate(field.read(r));
                return d == null ? null : onDate.apply(d);
            };
        }
        if (name.equals("HOUR_IN_DAY")) {
            return r -> {
                Instant i = Values.asInstant(field.read(r));
                return i == null ? null : i.atOffset(ZoneOffset.UTC).get(ChronoField.HOUR_OF_DAY);
            };
        }
        throw new MalformedQueryException("unknown function '" + fn.name() + "'", fn.name(),
                "a date function such as CALENDAR_YEAR or DAY_ONLY", fn.position().line(), fn.position().column(), "");
    }
}
