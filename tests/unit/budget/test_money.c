/*
 * Tests of budget performance's exact money arithmetic: decimals read into fen and thousandths
 * (0.01 元, too many digits, signs, blanks, the upper bound), amounts above 2^31 fen, the line
 * rule quantity × unit price rounded half up to the fen, sums that would overflow, money in
 * 元/万元/亿元, and formatting back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "budget/money.h"

static void test_parse(void **state)
{
    (void)state;
    int64_t v = -1;
    assert_int_equal(money_parse("0.01", 2, BUDGET_FEN_MAX, &v), 0);
    assert_int_equal(v, 1);
    assert_int_equal(money_parse("1234.5", 2, BUDGET_FEN_MAX, &v), 0);
    assert_int_equal(v, 123450);
    assert_int_equal(money_parse("12.500", 2, BUDGET_FEN_MAX, &v), 0); /* trailing zeros */
    assert_int_equal(v, 1250);
    assert_int_equal(money_parse("7", 3, BUDGET_QTY_MAX, &v), 0);
    assert_int_equal(v, 7000);
    assert_int_equal(money_parse("0", 2, BUDGET_FEN_MAX, &v), 0);
    assert_int_equal(v, 0);
    const char *bad[] = {"", "0.001", "-1", "+1", " 1", "1 ", "1e3", ".5", "5.", "1.2.3",
                         "一", "1,000", "0x10", NULL};
    for (int i = 0; bad[i]; i++)
        assert_int_equal(money_parse(bad[i], 2, BUDGET_FEN_MAX, &v), -1);
    /* the upper bound, and more significant digits than int64 holds */
    assert_int_equal(money_parse("10000000000000", 2, BUDGET_FEN_MAX, &v), 0);
    assert_int_equal(v, BUDGET_FEN_MAX);
    assert_int_equal(money_parse("10000000000000.01", 2, BUDGET_FEN_MAX, &v), -1);
    assert_int_equal(money_parse("99999999999999999999", 0, INT64_MAX, &v), -1);
}

static void test_above_2_31(void **state)
{
    (void)state;
    int64_t v;
    /* 30,000,000.00 元 = 3,000,000,000 fen > 2^31 */
    assert_int_equal(money_parse("30000000.00", 2, BUDGET_FEN_MAX, &v), 0);
    assert_int_equal(v, INT64_C(3000000000));
    int64_t amount;
    /* 1000 units at 2,147,483.65 元 = 214,748,365,000 fen */
    assert_int_equal(money_line_amount(1000000, INT64_C(214748365), &amount), 0);
    assert_int_equal(amount, INT64_C(214748365000));
    int64_t sum;
    assert_int_equal(money_add(INT64_C(2147483647), 1, &sum), 0);
    assert_int_equal(sum, INT64_C(2147483648));
    assert_int_equal(money_add(BUDGET_FEN_MAX, 1, &sum), -1);
    assert_int_equal(money_add(BUDGET_FEN_MAX - 1, 1, &sum), 0);
    /* a product whose intermediate exceeds int64 is still exact or refused */
    assert_int_equal(money_line_amount(BUDGET_QTY_MAX, BUDGET_FEN_MAX, &amount), -1);
    assert_int_equal(money_line_amount(BUDGET_QTY_MAX, 1000, &amount), 0);
    assert_int_equal(amount, BUDGET_QTY_MAX);
}

static void test_line_rounding(void **state)
{
    (void)state;
    int64_t a;
    assert_int_equal(money_line_amount(12500, 560008, &a), 0); /* 12.5 × 5600.08 */
    assert_int_equal(a, 7000100);
    assert_int_equal(money_line_amount(1, 500, &a), 0); /* 0.001 × 5.00 元 = 0.5 fen → 1 */
    assert_int_equal(a, 1);
    assert_int_equal(money_line_amount(1, 499, &a), 0); /* 0.499 fen → 0 */
    assert_int_equal(a, 0);
    assert_int_equal(money_line_amount(333, 100, &a), 0); /* 0.333 × 1.00 元 = 33.3 fen → 33 */
    assert_int_equal(a, 33);
    assert_int_equal(money_line_amount(335, 100, &a), 0); /* 33.5 fen → 34 (half up) */
    assert_int_equal(a, 34);
    assert_int_equal(money_line_amount(1000, 1, &a), 0); /* 1 × 0.01 元 */
    assert_int_equal(a, 1);
    assert_int_equal(money_line_amount(-1, 1, &a), -1);
}

static void test_units(void **state)
{
    (void)state;
    int64_t f;
    assert_int_equal(money_in_unit("10", "万元", &f), 0);
    assert_int_equal(f, 10000000);
    assert_int_equal(money_in_unit("0.000001", "万元", &f), 0); /* 0.01 元 */
    assert_int_equal(f, 1);
    assert_int_equal(money_in_unit("0.0000001", "万元", &f), -1); /* below a fen */
    assert_int_equal(money_in_unit("1.5", "亿元", &f), 0);
    assert_int_equal(f, INT64_C(15000000000));
    assert_int_equal(money_in_unit("0.01", "元", &f), 0);
    assert_int_equal(f, 1);
    assert_int_equal(money_in_unit("0.001", "元", &f), -1);
    assert_int_equal(money_in_unit("1", "人", &f), -1);
    assert_int_equal(money_in_unit("1", NULL, &f), -1);
}

static void test_format(void **state)
{
    (void)state;
    char b[40];
    money_format(12500, 3, b, sizeof b);
    assert_string_equal(b, "12.5");
    money_format(7000, 3, b, sizeof b);
    assert_string_equal(b, "7");
    money_format(1, 3, b, sizeof b);
    assert_string_equal(b, "0.001");
    money_yuan(1, b, sizeof b);
    assert_string_equal(b, "0.01");
    money_yuan(INT64_C(3000000005), b, sizeof b);
    assert_string_equal(b, "30000000.05");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),         cmocka_unit_test(test_above_2_31),
        cmocka_unit_test(test_line_rounding), cmocka_unit_test(test_units),
        cmocka_unit_test(test_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
