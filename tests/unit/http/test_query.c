/*
 * The rules of query-string arguments (http/query.c), on the argument's text alone: every
 * reader takes an absent and an empty argument as its default and refuses anything it cannot
 * read, so a filter means the same in every list. The readers that wrap these rules only add
 * the argument's name to the E_BAD_QUERY reply (the API suites check that).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "http/http.h"

#include <string.h>

static void test_int(void **state)
{
    (void)state;
    int64_t n = 7;
    assert_int_equal(http_arg_int(NULL, 20, 1, 500, &n), 0);
    assert_int_equal(n, 20);
    assert_int_equal(http_arg_int("", 20, 1, 500, &n), 0);
    assert_int_equal(n, 20);
    assert_int_equal(http_arg_int("500", 20, 1, 500, &n), 0);
    assert_int_equal(n, 500);
    assert_int_equal(http_arg_int("-3", 0, -5, 5, &n), 0);
    assert_int_equal(n, -3);
    const char *bad[] = {
        "0", "501", "abc", "1x", " 5", "+5", "5 ", "-", "1e3", "0x10", "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(http_arg_int(bad[i], 20, 1, 500, &n), -1);
}

static void test_id(void **state)
{
    (void)state;
    int64_t id = 9;
    assert_int_equal(http_arg_id(NULL, &id), 0);
    assert_int_equal(id, 0);
    assert_int_equal(http_arg_id("42", &id), 0);
    assert_int_equal(id, 42);
    assert_int_equal(http_arg_id("9223372036854775807", &id), 0);
    assert_int_equal(http_arg_id("0", &id), -1);
    assert_int_equal(http_arg_id("-4", &id), -1);
    assert_int_equal(http_arg_id("x", &id), -1);
}

static void test_ids(void **state)
{
    (void)state;
    arena *a = arena_new();
    int64_t *ids;
    size_t n = 9;
    assert_int_equal(http_arg_ids(a, NULL, 3, &ids, &n), 0);
    assert_int_equal(n, 0);
    assert_null(ids);
    assert_int_equal(http_arg_ids(a, "3,5,8", 3, &ids, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(ids[0], 3);
    assert_int_equal(ids[1], 5);
    assert_int_equal(ids[2], 8);
    assert_int_equal(http_arg_ids(a, "12", 3, &ids, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], 12);
    const char *bad[] = {
        "3,5,8,9", "3,,5", "3,", ",3", "3, 5", "0", "3,x", "3;5", "12345678901234567890"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(http_arg_ids(a, bad[i], 3, &ids, &n), -1);
    arena_free(a);
}

static void test_flag(void **state)
{
    (void)state;
    int f = 5;
    assert_int_equal(http_arg_flag(NULL, 0, &f), 0);
    assert_int_equal(f, 0);
    assert_int_equal(http_arg_flag("", -1, &f), 0);
    assert_int_equal(f, -1);
    assert_int_equal(http_arg_flag("1", 0, &f), 0);
    assert_int_equal(f, 1);
    assert_int_equal(http_arg_flag("true", 0, &f), 0);
    assert_int_equal(f, 1);
    assert_int_equal(http_arg_flag("0", 1, &f), 0);
    assert_int_equal(f, 0);
    assert_int_equal(http_arg_flag("false", 1, &f), 0);
    assert_int_equal(f, 0);
    const char *bad[] = {"yes", "TRUE", "2", "on", " 1", "-1"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(http_arg_flag(bad[i], 0, &f), -1);
}

static void test_text(void **state)
{
    (void)state;
    arena *a = arena_new();
    const char *t = "x";
    assert_int_equal(http_arg_text(a, NULL, 10, &t), 0);
    assert_null(t);
    assert_int_equal(http_arg_text(a, "   ", 10, &t), 0);
    assert_null(t);
    assert_int_equal(http_arg_text(a, "  井盖 缺失 ", 10, &t), 0);
    assert_string_equal(t, "井盖 缺失");
    /* Ideographic spaces, as a Chinese input method types them, are blanks too. */
    assert_int_equal(http_arg_text(a, "\xe3\x80\x80路灯\xe3\x80\x80", 10, &t), 0);
    assert_string_equal(t, "路灯");
    /* The limit counts characters, not bytes: ten Chinese characters are 30 bytes. */
    assert_int_equal(http_arg_text(a, "一二三四五六七八九十", 10, &t), 0);
    assert_int_equal(http_arg_text(a, "一二三四五六七八九十一", 10, &t), -1);
    assert_int_equal(http_arg_text(a, "a\tb", 10, &t), -1);
    assert_int_equal(http_arg_text(a, "a\nb", 10, &t), -1);
    assert_int_equal(http_arg_text(a, "a\x7f", 10, &t), -1);
    assert_int_equal(http_arg_text(a, "\xff\xfe", 10, &t), -1);
    arena_free(a);
}

static void test_date(void **state)
{
    (void)state;
    const char *d = "x";
    assert_int_equal(http_arg_date(NULL, &d), 0);
    assert_null(d);
    assert_int_equal(http_arg_date("2024-02-29", &d), 0);
    assert_string_equal(d, "2024-02-29");
    const char *bad[] = {"2025-02-29", "2025-02-30",       "2024-13-01", "2024-1-01",
                         "20240101",   "2024-01-01T00:00", "2024-01-0x", "yesterday"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(http_arg_date(bad[i], &d), -1);
}

static void test_month(void **state)
{
    (void)state;
    const char *m = "x";
    assert_int_equal(http_arg_month("", &m), 0);
    assert_null(m);
    assert_int_equal(http_arg_month("2024-12", &m), 0);
    assert_string_equal(m, "2024-12");
    const char *bad[] = {"2024-13", "2024-00", "2024-1", "2024-01-01", "202401", "2024-1x"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(http_arg_month(bad[i], &m), -1);
}

static void test_choice(void **state)
{
    (void)state;
    static const char *const names[] = {"kind", NULL, "month"};
    int c = 9;
    assert_int_equal(http_arg_choice(NULL, names, 3, 1, &c), 0);
    assert_int_equal(c, 1);
    assert_int_equal(http_arg_choice("month", names, 3, 1, &c), 0);
    assert_int_equal(c, 2);
    assert_int_equal(http_arg_choice("Month", names, 3, 1, &c), -1);
    assert_int_equal(http_arg_choice("unit", names, 3, 1, &c), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_int),   cmocka_unit_test(test_id),     cmocka_unit_test(test_ids),
        cmocka_unit_test(test_flag),  cmocka_unit_test(test_text),   cmocka_unit_test(test_date),
        cmocka_unit_test(test_month), cmocka_unit_test(test_choice),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
