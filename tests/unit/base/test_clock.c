/* Unit tests for the clock: DUBAN_NOW's instants and running the clock from them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "base/clock.h"

static void parses_the_forms_duban_now_takes(void **state)
{
    (void)state;
    int64_t t;
    assert_int_equal(clock_parse_instant("2027-01-01", &t), 0);
    assert_int_equal(t, 1798765200); /* 09:00 Shanghai = 01:00Z */
    assert_int_equal(clock_parse_instant("2027-01-01T01:00:00Z", &t), 0);
    assert_int_equal(t, 1798765200);
    assert_int_equal(clock_parse_instant("2027-01-01T09:00:00+08:00", &t), 0);
    assert_int_equal(t, 1798765200);
    assert_int_equal(clock_parse_instant("2027-01-01T09:00:00", &t), 0);
    assert_int_equal(t, 1798765200);
    assert_int_equal(clock_parse_instant("2028-02-29T23:30:00+08:00", &t), 0);
    assert_int_equal(t, 1835451000);
}

static void refuses_what_is_not_an_instant(void **state)
{
    (void)state;
    int64_t t = 7;
    const char *bad[] = {"",
                         "2027-1-01",
                         "2027-02-30",
                         "2027-13-01",
                         "2027-01-01x",
                         "2027-01-01T9:00:00",
                         "2027-01-01T09:00:00+8",
                         "tomorrow",
                         "2027-02-29",
                         "2027-01-01T24:00:00Z"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(clock_parse_instant(bad[i], &t), -1);
    assert_int_equal(t, 7);
}

static void the_clock_runs_from_duban_now(void **state)
{
    (void)state;
    setenv("DUBAN_NOW", "2030-06-01T00:00:00Z", 1);
    assert_int_equal(clock_from_env(), 0);
    int64_t now = clock_now();
    assert_true(now >= 1906502400 && now < 1906502400 + 60);
    clock_fix(1000);
    assert_int_equal(clock_now(), 1000);
    clock_fix(0);
    setenv("DUBAN_NOW", "soon", 1);
    assert_int_equal(clock_from_env(), -1);
    unsetenv("DUBAN_NOW");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_the_forms_duban_now_takes),
        cmocka_unit_test(refuses_what_is_not_an_instant),
        cmocka_unit_test(the_clock_runs_from_duban_now),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
