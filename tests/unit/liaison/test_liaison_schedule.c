/*
 * Tests of the liaison mechanism's visit plans (liaison/schedule.c): quarterly, half-yearly
 * and yearly periods; festival visits before 春节 and 中秋 dated from the working-day calendar
 * (the first day off of each holiday in the State Council's notice) and from the table of
 * dates in a year without a notice (flagged estimated); the plan's own start and end; and
 * where a target stands at the boundary of a period (the due day itself is still in time).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "liaison/liaison.h"

#include <string.h>

static calendar *cal;

static int setup(void **state)
{
    (void)state;
    char err[256];
    cal = calendar_new();
    return calendar_load(cal, calendar_builtin_cn, "builtin", err, sizeof err);
}

static int teardown(void **state)
{
    (void)state;
    calendar_free(cal);
    return 0;
}

static cal_day day(const char *s)
{
    cal_day d;
    assert_int_equal(cal_parse(s, &d), 0);
    return d;
}

static void assert_day(cal_day d, const char *want)
{
    char s[11];
    cal_format(d, s);
    assert_string_equal(s, want);
}

static void test_quarterly_year(void **state)
{
    (void)state;
    liaison_period p[16];
    size_t n = liaison_periods(cal, LIAISON_QUARTERLY, 0, day("2024-01-01"), 0, day("2024-01-01"),
                               day("2024-12-31"), p, 16);
    assert_int_equal(n, 4);
    assert_string_equal(p[0].code, "2024-Q1");
    assert_string_equal(p[0].title, "2024年第一季度");
    assert_day(p[0].from, "2024-01-01");
    assert_day(p[0].due, "2024-03-31");
    assert_day(p[3].due, "2024-12-31");
    n = liaison_periods(cal, LIAISON_HALF_YEAR, 0, day("2024-01-01"), 0, day("2024-01-01"),
                        day("2024-12-31"), p, 16);
    assert_int_equal(n, 2);
    assert_day(p[0].due, "2024-06-30");
    n = liaison_periods(cal, LIAISON_YEAR, 0, day("2024-01-01"), 0, day("2024-01-01"),
                        day("2024-12-31"), p, 16);
    assert_int_equal(n, 1);
    assert_string_equal(p[0].code, "2024-Y");
    n = liaison_periods(cal, LIAISON_NONE, 0, day("2024-01-01"), 0, day("2024-01-01"),
                        day("2024-12-31"), p, 16);
    assert_int_equal(n, 0);
}

static void test_plan_start_and_end(void **state)
{
    (void)state;
    liaison_period p[16];
    /* started in May: Q1 was due before it began; ended in August: Q4 began after */
    size_t n = liaison_periods(cal, LIAISON_QUARTERLY, 0, day("2024-05-10"), day("2024-08-31"),
                               day("2024-01-01"), day("2024-12-31"), p, 16);
    assert_int_equal(n, 2);
    assert_string_equal(p[0].code, "2024-Q2");
    assert_string_equal(p[1].code, "2024-Q3");
}

static void test_festivals_from_the_calendar(void **state)
{
    (void)state;
    int est;
    /* 2024: 春节 off 2024-02-10..17, 中秋 off 2024-09-15..17 */
    assert_day(liaison_festival_day(cal, 2024, 1, &est), "2024-02-10");
    assert_int_equal(est, 0);
    assert_day(liaison_festival_day(cal, 2024, 0, &est), "2024-09-15");
    /* 2025: the holiday begins on 除夕, 2025-01-28 */
    assert_day(liaison_festival_day(cal, 2025, 1, &est), "2025-01-28");
    /* a year without a notice: the festival's own date, estimated */
    assert_day(liaison_festival_day(cal, 2030, 1, &est), "2030-02-03");
    assert_int_equal(est, 1);
    assert_int_equal(liaison_festival_day(cal, 1999, 1, &est), 0);

    liaison_period p[16];
    size_t n = liaison_periods(cal, LIAISON_QUARTERLY, 1, day("2024-01-01"), 0, day("2024-01-01"),
                               day("2024-12-31"), p, 16);
    assert_int_equal(n, 6);
    /* in order of due day: 春节前 (due 2024-02-09) before Q1, 中秋前 (due 09-14) before Q3 */
    assert_string_equal(p[0].code, "2024-spring");
    assert_string_equal(p[0].title, "2024年春节前");
    assert_day(p[0].from, "2024-01-11"); /* the 30 days before the holiday */
    assert_day(p[0].due, "2024-02-09");
    assert_true(p[0].festival);
    assert_string_equal(p[1].code, "2024-Q1");
    assert_string_equal(p[3].code, "2024-midautumn");
    assert_day(p[3].due, "2024-09-14");
    assert_string_equal(p[4].code, "2024-Q3");
}

static void test_status_at_the_boundary(void **state)
{
    (void)state;
    liaison_period p[16];
    liaison_periods(cal, LIAISON_QUARTERLY, 0, day("2024-01-01"), 0, day("2024-01-01"),
                    day("2024-03-31"), p, 16);
    /* no visit: pending on the due day, overdue the day after */
    assert_int_equal(liaison_period_status(&p[0], NULL, 0, day("2024-03-31")), LIAISON_PENDING);
    assert_int_equal(liaison_period_status(&p[0], NULL, 0, day("2024-04-01")), LIAISON_OVERDUE);
    /* a visit on the due day counts; one the day after is for the next quarter */
    cal_day on_due[] = {day("2024-03-31")};
    assert_int_equal(liaison_period_status(&p[0], on_due, 1, day("2024-06-01")), LIAISON_DONE);
    cal_day late[] = {day("2024-04-01")};
    assert_int_equal(liaison_period_status(&p[0], late, 1, day("2024-06-01")), LIAISON_OVERDUE);
    cal_day first[] = {day("2023-12-31"), day("2024-01-01")};
    assert_int_equal(liaison_period_status(&p[0], first, 2, day("2024-06-01")), LIAISON_DONE);
}

static void test_freq_codes(void **state)
{
    (void)state;
    assert_int_equal(liaison_freq_parse("quarterly"), LIAISON_QUARTERLY);
    assert_int_equal(liaison_freq_parse("none"), LIAISON_NONE);
    assert_int_equal(liaison_freq_parse("weekly"), -1);
    assert_int_equal(liaison_freq_parse(NULL), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quarterly_year),
        cmocka_unit_test(test_plan_start_and_end),
        cmocka_unit_test(test_festivals_from_the_calendar),
        cmocka_unit_test(test_status_at_the_boundary),
        cmocka_unit_test(test_freq_codes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
