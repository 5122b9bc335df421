/*
 * Tests of 执行监控's figures: the time elapsed per month, the execution rate in permille (amounts
 * above 2^31 fen, rounding down), the lag rule at its boundaries (exactly 20 / 40 points behind
 * is not yet 黄 / 红), and each indicator's progress (≥ capped at 100%, ≤ and < caps, 定性,
 * decimals, text refused).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "budget/monitor.h"

static const budget_thresholds th = {20, 40};

static void test_time_and_rate(void **state)
{
    (void)state;
    assert_int_equal(budget_time_permille(6), 500);
    assert_int_equal(budget_time_permille(8), 666);
    assert_int_equal(budget_time_permille(12), 1000);
    assert_int_equal(budget_time_permille(1), 83);
    assert_int_equal(budget_time_permille(0), 0);
    assert_int_equal(budget_rate_permille(1, 3), 333);
    assert_int_equal(budget_rate_permille(0, 100), 0);
    assert_int_equal(budget_rate_permille(5, 0), 0);
    /* 30 亿元 of 40 亿元: both above 2^31 fen */
    assert_int_equal(budget_rate_permille(INT64_C(300000000000), INT64_C(400000000000)), 750);
    assert_int_equal(budget_rate_permille(INT64_C(999999999999999), INT64_C(1000000000000000)),
                     999);
}

static void test_lag_boundaries(void **state)
{
    (void)state;
    assert_int_equal(budget_lag_flag(300, 500, &th), BUDGET_GREEN);  /* exactly 20 behind */
    assert_int_equal(budget_lag_flag(299, 500, &th), BUDGET_YELLOW); /* 20.1 behind */
    assert_int_equal(budget_lag_flag(100, 500, &th), BUDGET_YELLOW); /* exactly 40 */
    assert_int_equal(budget_lag_flag(99, 500, &th), BUDGET_RED);
    assert_int_equal(budget_lag_flag(900, 500, &th), BUDGET_GREEN); /* ahead */
    budget_thresholds strict = {0, 10};
    assert_int_equal(budget_lag_flag(499, 500, &strict), BUDGET_YELLOW);
    assert_string_equal(budget_flag_code(BUDGET_RED), "red");
    assert_string_equal(budget_flag_title(BUDGET_YELLOW), "黄");
    assert_int_equal(budget_flag_of("green"), BUDGET_GREEN);
    assert_int_equal(budget_flag_of("blue"), -1);
    assert_int_equal(budget_flag_of(NULL), -1);
}

static void test_indicators(void **state)
{
    (void)state;
    int64_t c;
    budget_flag f;
    assert_int_equal(budget_indicator_progress("≥", "300", "150", 500, &th, &c, &f), 0);
    assert_int_equal(c, 500);
    assert_int_equal(f, BUDGET_GREEN);
    assert_int_equal(budget_indicator_progress("≥", "300", "89", 500, &th, &c, &f), 0);
    assert_int_equal(c, 296);
    assert_int_equal(f, BUDGET_YELLOW);
    assert_int_equal(budget_indicator_progress("≥", "300", "400", 500, &th, &c, &f), 0);
    assert_int_equal(c, 1000); /* capped */
    assert_int_equal(budget_indicator_progress("=", "95.5", "0.001", 1000, &th, &c, &f), 0);
    assert_int_equal(c, 0);
    assert_int_equal(f, BUDGET_RED);
    /* caps: at the cap is fine for ≤, not for < */
    assert_int_equal(budget_indicator_progress("≤", "333.33", "333.33", 500, &th, &c, &f), 0);
    assert_int_equal(f, BUDGET_GREEN);
    assert_int_equal(budget_indicator_progress("≤", "333.33", "333.331", 500, &th, &c, &f), 0);
    assert_int_equal(f, BUDGET_RED);
    assert_int_equal(budget_indicator_progress("<", "10", "10", 500, &th, &c, &f), 0);
    assert_int_equal(f, BUDGET_RED);
    assert_int_equal(budget_indicator_progress("<", "10", "9.999", 500, &th, &c, &f), 0);
    assert_int_equal(f, BUDGET_GREEN);
    /* qualitative: never flagged, any text */
    assert_int_equal(budget_indicator_progress("定性", "好", "较好", 1000, &th, &c, &f), 0);
    assert_int_equal(c, -1);
    assert_int_equal(f, BUDGET_GREEN);
    /* a quantitative actual must be a plain number */
    assert_int_equal(budget_indicator_progress("≥", "300", "一百", 500, &th, &c, &f), -1);
    assert_int_equal(budget_indicator_progress("≥", "300", "100人", 500, &th, &c, &f), -1);
    assert_int_equal(budget_indicator_progress("≥", "300", "", 500, &th, &c, &f), -1);
    assert_int_equal(budget_indicator_progress("≥", "300", "-5", 500, &th, &c, &f), -1);
    assert_int_equal(budget_indicator_progress("≥", "300", "1.0001", 500, &th, &c, &f), -1);
    /* a target of zero is met by anything */
    assert_int_equal(budget_indicator_progress("≥", "0", "0", 1000, &th, &c, &f), 0);
    assert_int_equal(c, 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_and_rate),
        cmocka_unit_test(test_lag_boundaries),
        cmocka_unit_test(test_indicators),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
