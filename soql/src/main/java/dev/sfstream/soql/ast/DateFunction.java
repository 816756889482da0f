package dev.sfstream.soql.ast;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Optional;

/**
 * SOQL's relative date literals. Each names a range of whole days relative to today; a condition compares a
 * value against that range ({@code =} means inside it, {@code <} before it, {@code >} after it).
 *
 * <p>Weeks start on Sunday and the fiscal year is the calendar year, Salesforce's defaults for a new org.
 */
public enum DateFunction {
    YESTERDAY(Unit.DAY, Kind.CURRENT, -1),
    TODAY(Unit.DAY, Kind.CURRENT, 0),
    TOMORROW(Unit.DAY, Kind.CURRENT, 1),
    LAST_WEEK(Unit.WEEK, Kind.CURRENT, -1),
    THIS_WEEK(Unit.WEEK, Kind.CURRENT, 0),
    NEXT_WEEK(Unit.WEEK, Kind.CURRENT, 1),
    LAST_MONTH(Unit.MONTH, Kind.CURRENT, -1),
    THIS_MONTH(Unit.MONTH, Kind.CURRENT, 0),
    NEXT_MONTH(Unit.MONTH, Kind.CURRENT, 1),
    LAST_90_DAYS(Unit.DAY, Kind.LAST_N_DAYS, 90),
    NEXT_90_DAYS(Unit.DAY, Kind.NEXT_N, 90),
    LAST_N_DAYS(Unit.DAY, Kind.LAST_N_DAYS, 0),
    NEXT_N_DAYS(Unit.DAY, Kind.NEXT_N, 0),
    N_DAYS_AGO(Unit.DAY, Kind.N_AGO, 0),
    LAST_N_WEEKS(Unit.WEEK, Kind.LAST_N, 0),
    NEXT_N_WEEKS(Unit.WEEK, Kind.NEXT_N, 0),
    N_WEEKS_AGO(Unit.WEEK, Kind.N_AGO, 0),
    LAST_N_MONTHS(Unit.MONTH, Kind.LAST_N, 0),
    NEXT_N_MONTHS(Unit.MONTH, Kind.NEXT_N, 0),
    N_MONTHS_AGO(Unit.MONTH, Kind.N_AGO, 0),
    THIS_QUARTER(Unit.QUARTER, Kind.CURRENT, 0),
    LAST_QUARTER(Unit.QUARTER, Kind.CURRENT, -1),
    NEXT_QUARTER(Unit.QUARTER, Kind.CURRENT, 1),
    NEXT_N_QUARTERS(Unit.QUARTER, Kind.NEXT_N, 0),
    LAST_N_QUARTERS(Unit.QUARTER, Kind.LAST_N, 0),
    N_QUARTERS_AGO(Unit.QUARTER, Kind.N_AGO, 0),
    THIS_YEAR(Unit.YEAR, Kind.CURRENT, 0),
    LAST_YEAR(Unit.YEAR, Kind.CURRENT, -1),
    NEXT_YEAR(Unit.YEAR, Kind.CURRENT, 1),
    NEXT_N_YEARS(Unit.YEAR, Kind.NEXT_N, 0),
    LAST_N_YEARS(Unit.YEAR, Kind.LAST_N, 0),
    N_YEARS_AGO(Unit.YEAR, Kind.N_AGO, 0),
    THIS_FISCAL_QUARTER(Unit.QUARTER, Kind.CURRENT, 0),
    LAST_FISCAL_QUARTER(Unit.QUARTER, Kind.CURRENT, -1),
    NEXT_FISCAL_QUARTER(Unit.QUARTER, Kind.CURRENT, 1),
    NEXT_N_FISCAL_QUARTERS(Unit.QUARTER, Kind.NEXT_N, 0),
    LAST_N_FISCAL_QUARTERS(Unit.QUARTER, Kind.LAST_N, 0),
    N_FISCAL_QUARTERS_AGO(Unit.QUARTER, Kind.N_AGO, 0),
    THIS_FISCAL_YEAR(Unit.YEAR, Kind.CURRENT, 0),
    LAST_FISCAL_YEAR(Unit.YEAR, Kind.CURRENT, -1),
    NEXT_FISCAL_YEAR(Unit.YEAR, Kind.CURRENT, 1),
    NEXT_N_FISCAL_YEARS(Unit.YEAR, Kind.NEXT_N, 0),
    LAST_N_FISCAL_YEARS(Unit.YEAR, Kind.LAST_N, 0),
    N_FISCAL_YEARS_AGO(Unit.YEAR, Kind.N_AGO, 0);

    private enum Unit { DAY, WEEK, MONTH, QUARTER, YEAR }

    private enum Kind { CURRENT, LAST_N_DAYS, LAST_N, NEXT_N, N_AGO }

    private final Unit unit;
    private final Kind kind;
    private final int fixed;

    DateFunction(Unit unit, Kind kind, int fixed) {
        this.unit = unit;
        this.kind = kind;
        this.fixed = fixed;
    }

    /** Looks a literal up by name, case-insensitively. */
    public static Optional<DateFunction> named(String name) {
        try {
            return Optional.of(valueOf(name.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether the literal takes a number after a colon ({@code LAST_N_DAYS:30}). */
    public boolean takesNumber() {
        return fixed == 0 && kind != Kind.CURRENT;
    }

    /**
     * The range of days the literal stands for, given today's date.
     *
     * @param n the number after the colon; ignored by literals that take none
     * @return the first day and the day after the last (exclusive)
     */
    public Range range(LocalDate today, int n) {
        int count = takesNumber() ? n : fixed;
        LocalDate start = startOfUnit(today);
        return switch (kind) {
            case CURRENT -> new Range(plus(start, count), plus(start, count + 1));
            // LAST_N_DAYS:n runs from n days ago up to the end of today.
            case LAST_N_DAYS -> new Range(today.minusDays(count), today.plusDays(1));
            case LAST_N -> new Range(plus(start, -count), start);
            case NEXT_N -> new Range(plus(start, 1), plus(start, count + 1));
            case N_AGO -> new Range(plus(start, -count), plus(start, -count + 1));
        };
    }

    private LocalDate startOfUnit(LocalDate day) {
        return switch (unit) {
            case DAY -> day;
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.SUNDAY));
            case MONTH -> day.withDayOfMonth(1);
            case QUARTER -> LocalDate.of(day.getYear(), ((day.getMonthValue() - 1) / 3) * 3 + 1, 1);
            case YEAR -> day.withDayOfYear(1);
        };
    }

    private LocalDate plus(LocalDate start, long units) {
        return switch (unit) {
            case DAY -> start.plusDays(units);
            case WEEK -> start.plusWeeks(units);
            case MONTH -> start.plusMonths(units);
            case QUARTER -> start.plusMonths(3 * units);
            case YEAR -> start.plusYears(units);
        };
    }

    /** A half-open range of days: {@code start} included, {@code end} excluded. */
    public record Range(LocalDate start, LocalDate end) {
    }
}
