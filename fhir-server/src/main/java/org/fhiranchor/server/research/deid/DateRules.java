package org.fhiranchor.server.research.deid;

import java.time.LocalDate;
import java.time.YearMonth;

/**
 * Generalizing and shifting FHIR date, dateTime and instant values on their text, so precision,
 * fractional seconds and time zone stay exactly as written. The year of a value is its year as written
 * (in its own time zone).
 */
final class DateRules {

    private DateRules() {}

    /** The year of a date or dateTime ({@code 1987-05-12T10:00:00+02:00} becomes {@code 1987}). */
    static String toYear(String value) {
        return value.substring(0, 4);
    }

    /** An instant cannot hold a year alone: its year's first second in UTC. */
    static String instantToYear(String value) {
        return value.substring(0, 4) + "-01-01T00:00:00Z";
    }

    /**
     * Shifts by whole days. A day-precision (or finer) value moves its calendar date and keeps the rest
     * of its text. A month or year value moves the middle of its month or year and keeps its precision,
     * so such a value moves by about the same amount as the patient's exact dates.
     */
    static String shift(String value, int days) {
        if (value.length() >= 10) {
            LocalDate date = LocalDate.parse(value.substring(0, 10)).plusDays(days);
            return format(date) + value.substring(10);
        }
        if (value.length() == 7) {
            LocalDate middle = YearMonth.parse(value).atDay(15).plusDays(days);
            return format(middle).substring(0, 7);
        }
        if (value.length() == 4) {
            LocalDate middle = LocalDate.of(Integer.parseInt(value), 7, 2).plusDays(days);
            return format(middle).substring(0, 4);
        }
        throw new IllegalArgumentException("not a FHIR date");
    }

    /** The earliest day a date of any precision can mean. */
    static LocalDate earliestDay(String value) {
        if (value.length() >= 10) {
            return LocalDate.parse(value.substring(0, 10));
        }
        if (value.length() == 7) {
            return YearMonth.parse(value).atDay(1);
        }
        return LocalDate.of(Integer.parseInt(value.substring(0, 4)), 1, 1);
    }

    /** The latest day a date of any precision can mean. */
    static LocalDate latestDay(String value) {
        if (value.length() >= 10) {
            return LocalDate.parse(value.substring(0, 10));
        }
        if (value.length() == 7) {
            return YearMonth.parse(value).atEndOfMonth();
        }
        return LocalDate.of(Integer.parseInt(value.substring(0, 4)), 12, 31);
    }

    private static String format(LocalDate date) {
        if (date.getYear() < 1 || date.getYear() > 9999) {
            throw new IllegalArgumentException("shifted date out of the FHIR range");
        }
        return String.format("%04d-%02d-%02d", date.getYear(), date.getMonthValue(), date.getDayOfMonth());
    }
}
