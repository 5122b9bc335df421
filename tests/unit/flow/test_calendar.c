/* Tests of the working-day calendar: date arithmetic, the built-in notices, load errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "flow/calendar.h"

static cal_day D(const char *s)
{
    cal_day d = 0;
    assert_int_equal(cal_parse(s, &d), 0);
    return d;
}

static void fmt_is(cal_day d, const char *want)
{
    char buf[11];
    cal_format(d, buf);
    assert_string_equal(buf, want);
}

static void test_dates(void **state)
{
    (void)state;
    cal_day d;
    assert_int_equal(D("1970-01-01"), 0);
    assert_int_equal(cal_weekday(0), 4);               /* Thursday */
    assert_int_equal(cal_weekday(D("2024-03-05")), 2); /* Tuesday */
    assert_int_equal(cal_weekday(D("2025-02-08")), 6); /* Saturday */
    assert_int_equal(cal_parse("2024-02-29", &d), 0);
    assert_int_not_equal(cal_parse("2023-02-29", &d), 0);
    assert_int_not_equal(cal_parse("2024-1-01", &d), 0);
    assert_int_not_equal(cal_parse("2024-13-01", &d), 0);
    assert_int_not_equal(cal_parse("2024-01-01x", &d), 0);
    assert_int_not_equal(cal_parse("", &d), 0);
    for (cal_day x = D("1999-12-25"); x < D("2031-01-10"); x++) {
        char buf[11];
        cal_format(x, buf);
        assert_int_equal(cal_parse(buf, &d), 0);
        assert_int_equal(d, x);
    }
}

static calendar *builtin(void)
{
    calendar *c = calendar_new();
    char err[256];
    assert_int_equal(calendar_load(c, calendar_builtin_cn, "cn.txt", err, sizeof err), 0);
    return c;
}

static void test_builtin_years(void **state)
{
    (void)state;
    calendar *c = builtin();
    assert_true(calendar_has_year(c, 2023));
    assert_true(calendar_has_year(c, 2024));
    assert_true(calendar_has_year(c, 2025));
    assert_false(calendar_has_year(c, 2022));
    assert_true(calendar_has_year(c, 2026));
    assert_int_equal(calendar_year_count(c), 4);
    assert_non_null(strstr(calendar_year_notice(c, 2024), "国办发明电〔2023〕7号"));
    calendar_free(c);
}

static void test_spring_festival(void **state)
{
    (void)state;
    calendar *c = builtin();
    int est = 0;
    /* 2024: 2/10–2/17 off; Sunday 2/4 and Sunday 2/18 are make-up workdays. */
    assert_true(calendar_is_workday(c, D("2024-02-09"), &est));
    assert_false(calendar_is_workday(c, D("2024-02-12"), &est));
    assert_true(calendar_is_workday(c, D("2024-02-04"), &est));
    assert_true(calendar_is_workday(c, D("2024-02-18"), &est));
    fmt_is(calendar_add_workdays(c, D("2024-02-08"), 1, &est), "2024-02-09");
    fmt_is(calendar_add_workdays(c, D("2024-02-09"), 1, &est), "2024-02-18");
    fmt_is(calendar_add_workdays(c, D("2024-02-09"), 2, &est), "2024-02-19");
    /* 2025: 1/28–2/4 off, Sunday 1/26 and Saturday 2/8 worked. */
    fmt_is(calendar_add_workdays(c, D("2025-01-24"), 1, &est), "2025-01-26");
    fmt_is(calendar_add_workdays(c, D("2025-01-27"), 1, &est), "2025-02-05");
    assert_int_equal(est, 0);
    assert_string_equal(calendar_day_name(c, D("2025-01-29")), "春节");
    calendar_free(c);
}

static void test_national_day_and_makeup_saturday(void **state)
{
    (void)state;
    calendar *c = builtin();
    int est = 0;
    /* 2023: 9/29–10/6 off; Saturday 10/7 and Sunday 10/8 worked. */
    fmt_is(calendar_add_workdays(c, D("2023-09-28"), 1, &est), "2023-10-07");
    fmt_is(calendar_add_workdays(c, D("2023-09-28"), 3, &est), "2023-10-09");
    /* 2025: 10/1–10/8 off; Saturday 10/11 worked. */
    fmt_is(calendar_add_workdays(c, D("2025-09-30"), 1, &est), "2025-10-09");
    fmt_is(calendar_add_workdays(c, D("2025-10-10"), 1, &est), "2025-10-11");
    assert_true(calendar_is_workday(c, D("2025-10-11"), &est));
    assert_false(calendar_is_workday(c, D("2025-10-18"), &est)); /* an ordinary Saturday */
    /* Working days in (9/26, 10/10] of 2025: 9/28(Sun, worked), 9/29, 9/30, 10/9, 10/10. */
    assert_int_equal(calendar_workdays_between(c, D("2025-09-26"), D("2025-10-10"), &est), 5);
    assert_int_equal(est, 0);
    calendar_free(c);
}

/* 2026, from 国办发明电〔2025〕7号: every day of the notice, and deadlines across it exact. */
static void test_year_2026(void **state)
{
    (void)state;
    calendar *c = builtin();
    int est = 0;
    assert_true(calendar_has_year(c, 2026));
    /* days off, each range whole */
    static const char *const off[][2] = {
        {"2026-01-01", "2026-01-03"}, {"2026-02-15", "2026-02-23"}, {"2026-04-04", "2026-04-06"},
        {"2026-05-01", "2026-05-05"}, {"2026-06-19", "2026-06-21"}, {"2026-09-25", "2026-09-27"},
        {"2026-10-01", "2026-10-07"}};
    for (size_t i = 0; i < sizeof off / sizeof off[0]; i++)
        for (cal_day d = D(off[i][0]); d <= D(off[i][1]); d++)
            assert_false(calendar_is_workday(c, d, &est));
    /* make-up workdays, all weekends */
    static const char *const work[] = {"2026-01-04", "2026-02-14", "2026-02-28",
                                       "2026-05-09", "2026-09-20", "2026-10-10"};
    for (size_t i = 0; i < sizeof work / sizeof work[0]; i++) {
        assert_true(cal_weekday(D(work[i])) >= 6);
        assert_true(calendar_is_workday(c, D(work[i]), &est));
    }
    /* 5 working days from Wednesday 9/30: 10/8, 10/9, Saturday 10/10, 10/12, 10/13. */
    fmt_is(calendar_add_workdays(c, D("2026-09-30"), 5, &est), "2026-10-13");
    /* 1 working day from 12/31/2025: 1/1..1/3 off, Sunday 1/4 worked. */
    fmt_is(calendar_add_workdays(c, D("2025-12-31"), 1, &est), "2026-01-04");
    /* Spring Festival: from Friday 2/13, Saturday 2/14 works, then 2/24. */
    fmt_is(calendar_add_workdays(c, D("2026-02-13"), 2, &est), "2026-02-24");
    assert_int_equal(est, 0);
    calendar_free(c);
}

static void test_year_without_data_is_flagged(void **state)
{
    (void)state;
    calendar *c = builtin();
    int est = 0;
    assert_true(calendar_is_workday(c, D("2027-04-30"), &est)); /* a Friday: weekends alone */
    assert_int_equal(est, 1);
    est = 0;
    /* Crossing from known 2026 into unknown 2027 flags the result. */
    fmt_is(calendar_add_workdays(c, D("2026-12-31"), 2, &est), "2027-01-04");
    assert_int_equal(est, 1);
    est = 0;
    calendar_add_workdays(c, D("2025-12-01"), 5, &est);
    assert_int_equal(est, 0);
    calendar_free(c);
}

static void load_fails(calendar *c, const char *text, const char *reason)
{
    char err[256] = "";
    size_t years = calendar_year_count(c);
    assert_int_equal(calendar_load(c, text, "x.txt", err, sizeof err), -1);
    assert_non_null(strstr(err, "x.txt:"));
    assert_non_null(strstr(err, reason));
    assert_int_equal(calendar_year_count(c), years); /* nothing changed */
}

static void test_load_errors(void **state)
{
    (void)state;
    calendar *c = builtin();
    load_fails(c, "year 2024 again\noff 2024-01-01 元旦\n", "already in the calendar");
    load_fails(c, "off 2027-01-01 元旦\n", "'year' line must come first");
    load_fails(c, "year 2027 通知\noff 2028-01-01 元旦\n", "outside its year");
    load_fails(c, "year 2027 通知\nwork 2027-01-05 调休\n", "Saturday or Sunday");
    load_fails(c, "year 2027 通知\noff 2027-01-01 元旦\noff 2027-01-01 元旦\n", "twice");
    load_fails(c, "year 2027 通知\nholiday 2027-01-01 元旦\n", "expected");
    load_fails(c, "year 2027 通知\noff 2027-02-30 x\n", "bad date");
    load_fails(c, "year 2027 通知\noff 2027-02-10 2027-02-01 春节\n", "ends before");
    load_fails(c, "year 2027\n", "notice");
    assert_false(calendar_has_year(c, 2027));
    /* A good year loads, with its ranges. */
    char err[256];
    assert_int_equal(calendar_load(c,
                                   "# test\nyear 2030 某通知\noff 2030-10-01 2030-10-07 国庆节\n"
                                   "work 2030-09-29 国庆节调休上班\n",
                                   "y.txt", err, sizeof err),
                     0);
    int est = 0;
    assert_false(calendar_is_workday(c, D("2030-10-07"), &est));
    assert_true(calendar_is_workday(c, D("2030-09-29"), &est));
    assert_int_equal(est, 0);
    assert_int_equal(calendar_year_at(c, calendar_year_count(c) - 1), 2030);
    calendar_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_builtin_years),
        cmocka_unit_test(test_spring_festival),
        cmocka_unit_test(test_national_day_and_makeup_saturday),
        cmocka_unit_test(test_year_2026),
        cmocka_unit_test(test_year_without_data_is_flagged),
        cmocka_unit_test(test_load_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
