/*
 * Tests of the cadre mechanism's pure rules (cadre/score.c, idno.c, seal.c): the warning score
 * (weights, decay by half-life, the rolling window's edges, thresholds of 蓝/黄/红), the count
 * rule (clues not yet judged, distinct sources, its own window), impact periods at their
 * boundaries (the last day inside, the next day out, month ends), ID numbers (checksum, birth
 * date, X, masking), and sealing (round trip, a fresh nonce each time, a flipped byte refused).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cadre/cadre.h"

#include <string.h>

static cal_day day(const char *s)
{
    cal_day d;
    assert_int_equal(cal_parse(s, &d), 0);
    return d;
}

static const cadre_config CFG = {365, 180, 2000, 4000, 7000, 2, 2, 183};

static void test_mul(void **state)
{
    (void)state;
    assert_int_equal(cadre_mul(2000, 1500), 3000);
    assert_int_equal(cadre_mul(1000, 1000), 1000);
    assert_int_equal(cadre_mul(3, 500), 2); /* 1.5 rounds half up */
    assert_int_equal(cadre_mul(0, 5000), 0);
}

static void test_decay_and_window(void **state)
{
    (void)state;
    cal_day today = day("2026-05-01");
    cadre_item items[] = {
        {1, 1, today, 3000, 0, "audit"},        /* today: kept whole */
        {1, 2, today - 180, 3000, 0, "audit"},  /* one half-life: half */
        {1, 3, today - 364, 3000, 0, "audit"},  /* last day of the window */
        {1, 4, today - 365, 3000, 0, "audit"},  /* out of the window */
        {0, 5, today + 1, 3000, 0, ""},         /* in the future: not counted */
    };
    cadre_contrib c[5];
    cadre_result r;
    cadre_score(&CFG, items, 5, today, c, &r);
    assert_int_equal(c[0].decay, 1000);
    assert_int_equal(c[0].points, 3000);
    assert_int_equal(c[1].decay, 500);
    assert_int_equal(c[1].points, 1500);
    assert_true(c[2].counted);
    assert_int_equal(c[2].decay, 246); /* 0.5^(364/180) */
    assert_false(c[3].counted);
    assert_int_equal(c[3].points, 0);
    assert_false(c[4].counted);
    assert_int_equal(r.score, 3000 + 1500 + cadre_mul(3000, 246));
    assert_int_equal(r.level, CADRE_YELLOW);
    assert_false(r.by_count);
}

static void test_levels(void **state)
{
    (void)state;
    cal_day today = day("2026-05-01");
    const int64_t bases[] = {1999, 2000, 3999, 4000, 6999, 7000};
    const int levels[] = {CADRE_NONE, CADRE_BLUE, CADRE_BLUE, CADRE_YELLOW, CADRE_YELLOW, CADRE_RED};
    for (int i = 0; i < 6; i++) {
        cadre_item it = {0, 1, today, bases[i], 0, ""};
        cadre_contrib c;
        cadre_result r;
        cadre_score(&CFG, &it, 1, today, &c, &r);
        assert_int_equal(r.level, levels[i]);
    }
    assert_string_equal(cadre_level_code(CADRE_RED), "red");
    assert_string_equal(cadre_level_title(CADRE_YELLOW), "黄色");
    assert_string_equal(cadre_level_code(7), "");
}

static void test_count_rule(void **state)
{
    (void)state;
    cal_day today = day("2026-05-01");
    /* two undisposed clues from two sources in 183 days raise a low score to yellow */
    cadre_item two[] = {{1, 1, today - 10, 100, 1, "petition"}, {1, 2, today - 182, 100, 1, "online"}};
    cadre_contrib c[3];
    cadre_result r;
    cadre_score(&CFG, two, 2, today, c, &r);
    assert_true(r.count_met);
    assert_true(r.by_count);
    assert_int_equal(r.level, CADRE_YELLOW);
    assert_int_equal(r.count_clues, 2);
    assert_int_equal(r.count_sources, 2);
    /* the same source twice is one source */
    cadre_item same[] = {{1, 1, today - 10, 100, 1, "petition"}, {1, 2, today - 20, 100, 1, "petition"}};
    cadre_score(&CFG, same, 2, today, c, &r);
    assert_false(r.count_met);
    assert_int_equal(r.level, CADRE_NONE);
    /* a clue on day 183 is outside the count rule's window (but inside the score's) */
    cadre_item late[] = {{1, 1, today - 10, 100, 1, "petition"}, {1, 2, today - 183, 100, 1, "online"}};
    cadre_score(&CFG, late, 2, today, c, &r);
    assert_false(r.count_met);
    assert_true(c[1].counted);
    /* disposed clues do not count */
    cadre_item done[] = {{1, 1, today - 10, 100, 0, "petition"}, {1, 2, today - 20, 100, 1, "online"}};
    cadre_score(&CFG, done, 2, today, c, &r);
    assert_false(r.count_met);
    /* a red score stays red */
    cadre_item red[] = {{1, 1, today, 8000, 1, "petition"}, {1, 2, today, 100, 1, "online"}};
    cadre_score(&CFG, red, 2, today, c, &r);
    assert_int_equal(r.level, CADRE_RED);
    assert_false(r.by_count);
    assert_true(r.count_met);
}

static void test_impact_boundaries(void **state)
{
    (void)state;
    cal_day d = day("2026-04-28");
    assert_int_equal(cadre_impact_end(d, 6), day("2026-10-28"));
    assert_true(cadre_in_impact(d, 6, d));
    assert_true(cadre_in_impact(d, 6, day("2026-10-27")));
    assert_false(cadre_in_impact(d, 6, day("2026-10-28")));
    assert_false(cadre_in_impact(d, 6, d - 1));
    /* no impact period: never within */
    assert_false(cadre_in_impact(d, 0, d));
    assert_int_equal(cadre_impact_end(d, 0), d);
    /* month ends: 31 August + 6 months is the end of February */
    cal_day e = cadre_impact_end(day("2025-08-31"), 6);
    char out[11];
    cal_format(e, out);
    assert_true(strcmp(out, "2026-02-28") == 0 || strcmp(out, "2026-03-01") == 0);
    assert_true(cadre_in_impact(day("2025-08-31"), 6, day("2026-02-27")));
    /* 24 months across a leap day */
    assert_int_equal(cadre_impact_end(day("2024-02-29"), 24) > day("2026-02-27"), 1);
}

static void test_idno(void **state)
{
    (void)state;
    assert_true(cadre_idno_valid("11010519491231002X"));
    assert_true(cadre_idno_valid("11010519491231002x"));
    assert_false(cadre_idno_valid("110105194912310021")); /* wrong check character */
    assert_false(cadre_idno_valid("11010519491331002X")); /* month 13 */
    assert_false(cadre_idno_valid("1101051949123100"));   /* short */
    assert_false(cadre_idno_valid("11010519491231002XX"));
    assert_false(cadre_idno_valid("1101A519491231002X"));
    assert_false(cadre_idno_valid(NULL));
    assert_false(cadre_idno_valid(""));
    char m[19];
    cadre_idno_mask("11010519491231002X", m);
    assert_string_equal(m, "110105********002X");
    cadre_idno_mask("123", m);
    assert_string_equal(m, "");
}

static void test_seal_round_trip(void **state)
{
    (void)state;
    unsigned char key[32];
    for (int i = 0; i < 32; i++)
        key[i] = (unsigned char)(i * 7 + 1);
    cadre_seal_set_key(key);
    const char *text = "诫勉谈话记录：对象、谈话人、记录人、时间、地点、事由、内容";
    size_t n = strlen(text);
    unsigned char a[512], b[512], out[512];
    assert_int_equal(cadre_seal(text, n, a), 0);
    assert_int_equal(cadre_seal(text, n, b), 0);
    assert_memory_not_equal(a, b, n + CADRE_SEAL_OVERHEAD); /* a fresh nonce */
    assert_null(memmem(a, n + CADRE_SEAL_OVERHEAD, "谈话", strlen("谈话")));
    size_t m = 0;
    assert_int_equal(cadre_unseal(a, n + CADRE_SEAL_OVERHEAD, out, &m), 0);
    assert_int_equal(m, n);
    assert_memory_equal(out, text, n);
    /* empty text */
    assert_int_equal(cadre_seal("", 0, b), 0);
    assert_int_equal(cadre_unseal(b, CADRE_SEAL_OVERHEAD, out, &m), 0);
    assert_int_equal(m, 0);
    /* a flipped byte anywhere is refused */
    for (size_t i = 0; i < n + CADRE_SEAL_OVERHEAD; i += 7) {
        a[i] ^= 1;
        assert_int_equal(cadre_unseal(a, n + CADRE_SEAL_OVERHEAD, out, &m), -1);
        a[i] ^= 1;
    }
    assert_int_equal(cadre_unseal(a, 10, out, &m), -1);
    /* another key opens nothing */
    key[0] ^= 0xff;
    cadre_seal_set_key(key);
    assert_int_equal(cadre_unseal(a, n + CADRE_SEAL_OVERHEAD, out, &m), -1);
    /* the lookup hash is keyed and stable */
    char h1[65], h2[65];
    cadre_seal_hash("11010519491231002X", h1);
    cadre_seal_hash("11010519491231002X", h2);
    assert_string_equal(h1, h2);
    assert_int_equal(strlen(h1), 64);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mul),
        cmocka_unit_test(test_decay_and_window),
        cmocka_unit_test(test_levels),
        cmocka_unit_test(test_count_rule),
        cmocka_unit_test(test_impact_boundaries),
        cmocka_unit_test(test_idno),
        cmocka_unit_test(test_seal_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
