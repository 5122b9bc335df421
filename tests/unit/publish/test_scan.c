/*
 * Tests of the publishing review's scanner (src/publish/scan.h): every normalisation on its own
 * (full-width, traditional → simplified, case, digit variants with and without the Chinese
 * numerals configured, separators, repeats, zero-width) with the hit's span in the ORIGINAL
 * text and the reason it names; the offset map character by character; the whitelist; whole
 * words for ASCII terms; a term's own doubled characters; personal data (身份证号 checksum and
 * date, mobile numbers in groups and full-width, Luhn bank cards, long numbers left alone);
 * refusals at compile time; invalid UTF-8; and the holder's swap while an old database serves.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "publish/scan.h"

static const scan_term TERMS[] = {
    {"代开发票", "违法广告", "广告", 3},
    {"赌博", "违法广告", "广告", 3},
    {"ass", "英文低俗", "低俗", 1},
    {"ABC", "测试", "测试", 1},
    {"谢谢", "测试", "测试", 1},
    {"110", "测试", "测试", 2},
    {"法轮", "政治", "政治", 3},
    {"5号", "测试", "测试", 1},
};
#define NTERMS (sizeof TERMS / sizeof TERMS[0])
static const char *WHITE[] = {"宪法轮流"};

static scan_db *db_with(unsigned opts)
{
    char err[200] = "";
    scan_db *db = scan_db_compile(TERMS, NTERMS, WHITE, 1, opts, err, sizeof err);
    if (!db) fail_msg("compile: %s", err);
    return db;
}

/* Scans text and expects exactly one hit of term (by text) with the original span of the
 * substring `span` (its first occurrence) and the reason bits `how`. */
static void expect_one(scan_db *db, const char *text, const char *term, const char *span,
                       unsigned how)
{
    scan_result r;
    assert_int_equal(scan_text(db, text, strlen(text), &r), 0);
    if (r.n != 1) fail_msg("%s: %zu hits", text, r.n);
    assert_string_equal(r.hits[0].term, term);
    const char *at = strstr(text, span);
    assert_non_null(at);
    assert_int_equal(r.hits[0].start, (size_t)(at - text));
    assert_int_equal(r.hits[0].end, (size_t)(at - text) + strlen(span));
    if (r.hits[0].how != how) fail_msg("%s: how %#x, want %#x", text, r.hits[0].how, how);
    scan_result_free(&r);
}

static size_t count_hits(scan_db *db, const char *text)
{
    scan_result r;
    assert_int_equal(scan_text(db, text, strlen(text), &r), 0);
    size_t n = r.n;
    scan_result_free(&r);
    return n;
}

static void test_exact(void **state)
{
    (void)state;
    scan_db *db = db_with(0);
    expect_one(db, "本店代开发票，联系", "代开发票", "代开发票", 0);
    assert_int_equal(count_hits(db, "今天天气很好，开展学习活动。"), 0);
    assert_int_equal(count_hits(db, ""), 0);
    scan_db_unref(db);
}

static void test_fullwidth(void **state)
{
    (void)state;
    scan_db *db = db_with(0);
    expect_one(db, "前文ａｂｃ后文", "ABC", "ａｂｃ", SCAN_N_FULLWIDTH);
    expect_one(db, "拨打１１０", "110", "１１０", SCAN_N_FULLWIDTH);
    scan_db_unref(db);
}

static void test_traditional(void **state)
{
    (void)state;
    scan_db *db = db_with(0);
    expect_one(db, "提供代開發票服務", "代开发票", "代開發票", SCAN_N_T2S);
    expect_one(db, "嚴禁賭博", "赌博", "賭博", SCAN_N_T2S);
    scan_db_unref(db);
}

static void test_case(void **state)
{
    (void)state;
    scan_db *db = db_with(0);
    expect_one(db, "x AbC y", "ABC", "AbC", SCAN_N_CASE);
    expect_one(db, "测试abc", "ABC", "abc", 0);
    scan_db_unref(db);
}

static void test_digits(void **state)
{
    (void)state;
    scan_db *db = db_with(0);
    expect_one(db, "请拨①①⓪", "110", "①①⓪", SCAN_N_DIGIT);
    expect_one(db, "请拨⒈⒈0", "110", "⒈⒈0", SCAN_N_DIGIT); /* ⒈ is one character */
    /* ⑪ is "11": the two digits map back to the one character */
    expect_one(db, "请拨⑪0", "110", "⑪0", SCAN_N_DIGIT);
    /* 壹壹零 only when configured */
    assert_int_equal(count_hits(db, "请拨壹壹零"), 0);
    scan_db_unref(db);
    db = db_with(SCAN_OPT_CN_FINANCIAL);
    expect_one(db, "请拨壹壹零", "110", "壹壹零", SCAN_N_DIGIT);
    assert_int_equal(count_hits(db, "一一〇"), 0);
    scan_db_unref(db);
    db = db_with(SCAN_OPT_CN_NUMERALS);
    expect_one(db, "请拨一一〇", "110", "一一〇", SCAN_N_DIGIT);
    expect_one(db, "住在五号楼", "5号", "五号", SCAN_N_DIGIT);
    scan_db_unref(db);
}

static void test_separators(void **state)
{
    (void)state;
    scan_db *db = db_with(0);
    expect_one(db, "严禁赌@博", "赌博", "赌@博", SCAN_N_SEPARATOR);
    expect_one(db, "严禁赌 博", "赌博", "赌 博", SCAN_N_SEPARATOR);
    expect_one(db, "代★开·发…票", "代开发票", "代★开·发…票", SCAN_N_SEPARATOR);
    expect_one(db, "代，开。发、票", "代开发票", "代，开。发、票", SCAN_N_SEPARATOR);
    /* a separator before or after the term is not part of the hit */
    expect_one(db, "@@赌博@@", "赌博", "赌博", 0);
    scan_db_unref(db);
}

static void test_repeats(void **state)
{
    (void)state;
    scan_db *db = db_with(0);
    expect_one(db, "赌赌赌博博", "赌博", "赌赌赌博博", SCAN_N_REPEAT);
    /* a term's own doubled characters must be there as often */
    expect_one(db, "谢谢大家", "谢谢", "谢谢", 0);
    expect_one(db, "谢谢谢", "谢谢", "谢谢谢", SCAN_N_REPEAT);
    assert_int_equal(count_hits(db, "谢过大家"), 0);
    assert_int_equal(count_hits(db, "拨打10"), 0);
    expect_one(db, "拨打1110", "110", "1110", SCAN_N_REPEAT);
    scan_db_unref(db);
}

static void test_zero_width(void **state)
{
    (void)state;
    scan_db *db = db_with(0);
    expect_one(db, "赌\u200b博", "赌博", "赌\u200b博", SCAN_N_ZEROWIDTH);
    expect_one(db, "代\u200d开\ufeff发\u2060票", "代开发票", "代\u200d开\ufeff发\u2060票",
               SCAN_N_ZEROWIDTH);
    scan_db_unref(db);
}

static void test_combined(void **state)
{
    (void)state;
    scan_db *db = db_with(0);
    expect_one(db, "代開\u200b@發發票", "代开发票", "代開\u200b@發發票",
               SCAN_N_T2S | SCAN_N_ZEROWIDTH | SCAN_N_SEPARATOR | SCAN_N_REPEAT);
    /* two hits, in order, each with its own span */
    const char *t = "ａｂｃ和賭博";
    scan_result r;
    assert_int_equal(scan_text(db, t, strlen(t), &r), 0);
    assert_int_equal(r.n, 2);
    assert_string_equal(r.hits[0].term, "ABC");
    assert_int_equal(r.hits[0].start, 0);
    assert_int_equal(r.hits[0].end, 9);
    assert_string_equal(r.hits[1].term, "赌博");
    assert_int_equal(r.hits[1].start, 12);
    assert_int_equal(r.hits[1].end, 18);
    assert_string_equal(r.hits[1].list, "违法广告");
    assert_string_equal(r.hits[1].category, "广告");
    assert_int_equal(r.hits[1].severity, 3);
    scan_result_free(&r);
    scan_db_unref(db);
}

static void test_offset_map(void **state)
{
    (void)state;
    char err[100];
    assert_int_equal(scan_init(err, sizeof err), 0);
    const char *t = "Ａ敏@感\u200b感發①x";
    scan_norm n;
    assert_int_equal(scan_normalise(t, strlen(t), 0, &n), 0);
    assert_string_equal(n.text, "a敏感发1x");
    assert_int_equal(n.nch, 6);
    /* Ａ: bytes 0..3, full-width */
    assert_int_equal(n.ch[0].cp, 'a');
    assert_int_equal(n.ch[0].ostart, 0);
    assert_int_equal(n.ch[0].oend, 3);
    assert_int_equal(n.ch[0].how, SCAN_N_FULLWIDTH | SCAN_N_CASE); /* Ａ → A → a */
    /* 敏: 3..6 */
    assert_int_equal(n.ch[1].ostart, 3);
    assert_int_equal(n.ch[1].oend, 6);
    /* 感 after @ (separator), then 感 again after a zero-width: one character, count 2,
     * spanning 7..16 */
    assert_int_equal(n.ch[2].before, SCAN_N_SEPARATOR);
    assert_int_equal(n.ch[2].count, 2);
    assert_int_equal(n.ch[2].ostart, 7);
    assert_int_equal(n.ch[2].oend, 16);
    assert_true(n.ch[2].how & SCAN_N_ZEROWIDTH);
    /* 發 → 发, 16..19 */
    assert_int_equal(n.ch[3].how, SCAN_N_T2S);
    assert_int_equal(n.ch[3].ostart, 16);
    /* ① → 1 */
    assert_int_equal(n.ch[4].cp, '1');
    assert_int_equal(n.ch[4].how, SCAN_N_DIGIT);
    assert_int_equal(n.ch[4].ostart, 19);
    assert_int_equal(n.ch[4].oend, 22);
    assert_int_equal(n.ch[5].ostart, 22);
    /* byte → character map */
    assert_int_equal(n.byte_ch[0], 0);
    assert_int_equal(n.byte_ch[1], 1);
    assert_int_equal(n.byte_ch[3], 1);
    assert_int_equal(n.byte_ch[4], 2);
    assert_int_equal(n.byte_ch[n.len], n.nch);
    /* the uncollapsed sequence keeps both 感 */
    assert_int_equal(n.nfull, 7);
    scan_norm_free(&n);
}

static void test_whitelist(void **state)
{
    (void)state;
    scan_db *db = db_with(0);
    assert_int_equal(count_hits(db, "宪法轮流学习"), 0);
    expect_one(db, "学习法轮", "法轮", "法轮", 0);
    /* the whitelist phrase normalises too */
    assert_int_equal(count_hits(db, "憲法輪流"), 0);
    scan_db_unref(db);
}

static void test_words(void **state)
{
    (void)state;
    scan_db *db = db_with(0);
    assert_int_equal(count_hits(db, "first class passage"), 0);
    expect_one(db, "you ass!", "ass", "ass", 0);
    expect_one(db, "中文ass中文", "ass", "ass", 0);
    expect_one(db, "a-s-s", "ass", "a-s-s", SCAN_N_SEPARATOR);
    assert_int_equal(count_hits(db, "abcd"), 0);
    expect_one(db, "abc.d", "ABC", "abc", 0);
    scan_db_unref(db);
}

static void test_id_card(void **state)
{
    (void)state;
    assert_true(scan_id_card_valid("11010519491231002X"));
    assert_true(scan_id_card_valid("11010519491231002x"));
    assert_true(scan_id_card_valid("371402199001011239"));
    assert_false(scan_id_card_valid("371402199001011238")); /* checksum */
    assert_false(scan_id_card_valid("371402199002301231")); /* 2月30日 */
    assert_false(scan_id_card_valid("011402199001011239"));
    scan_db *db = db_with(0);
    scan_result r;
    const char *t = "身份证号：371402199001011239，电话";
    assert_int_equal(scan_text(db, t, strlen(t), &r), 0);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.hits[0].kind, SCAN_ID_CARD);
    assert_string_equal(r.hits[0].term, "身份证号");
    assert_int_equal(r.hits[0].start, (size_t)(strstr(t, "3714") - t));
    assert_int_equal(r.hits[0].end, (size_t)(strstr(t, "，电") - t));
    scan_result_free(&r);
    t = "编号11010519491231002X";
    assert_int_equal(scan_text(db, t, strlen(t), &r), 0);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.hits[0].kind, SCAN_ID_CARD);
    assert_int_equal(r.hits[0].end, strlen(t));
    scan_result_free(&r);
    assert_int_equal(count_hits(db, "编号371402199001011238"), 0);
    scan_db_unref(db);
}

static void test_mobile(void **state)
{
    (void)state;
    scan_db *db = db_with(0);
    const char *cases[][2] = {
        {"联系13812345678。", "13812345678"},
        {"联系138 1234 5678。", "138 1234 5678"},
        {"联系138-1234-5678", "138-1234-5678"},
        {"联系１３８１２３４５６７８", "１３８１２３４５６７８"},
        {"联系+86 13812345678", "86 13812345678"}, /* the country code belongs to it */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        scan_result r;
        const char *t = cases[i][0];
        assert_int_equal(scan_text(db, t, strlen(t), &r), 0);
        if (r.n != 1) fail_msg("%s: %zu hits", t, r.n);
        assert_int_equal(r.hits[0].kind, SCAN_MOBILE);
        assert_int_equal(r.hits[0].start, (size_t)(strstr(t, cases[i][1]) - t));
        assert_int_equal(r.hits[0].end, r.hits[0].start + strlen(cases[i][1]));
        scan_result_free(&r);
    }
    /* two numbers side by side are two numbers */
    scan_result r;
    const char *t = "13812345678 13987654321";
    assert_int_equal(scan_text(db, t, strlen(t), &r), 0);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.hits[1].start, 12);
    scan_result_free(&r);
    /* a longer number is not cut into a phone number; 12345678901 does not start 1[3-9] */
    assert_int_equal(count_hits(db, "编号138123456789012"), 0);
    assert_int_equal(count_hits(db, "共12345678901元"), 0);
    scan_db_unref(db);
}

static void test_bank_card(void **state)
{
    (void)state;
    assert_true(scan_luhn_valid("6222021234567894", 16));
    assert_false(scan_luhn_valid("6222021234567895", 16));
    assert_true(scan_luhn_valid("4111111111111111", 16));
    scan_db *db = db_with(0);
    scan_result r;
    const char *t = "卡号6222 0212 3456 7894，户名";
    assert_int_equal(scan_text(db, t, strlen(t), &r), 0);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.hits[0].kind, SCAN_BANK_CARD);
    assert_int_equal(r.hits[0].how, SCAN_N_SEPARATOR);
    assert_int_equal(r.hits[0].end - r.hits[0].start, strlen("6222 0212 3456 7894"));
    scan_result_free(&r);
    assert_int_equal(count_hits(db, "卡号6222021234567895"), 0);
    scan_db_unref(db);
}

static void test_compile_refusals(void **state)
{
    (void)state;
    char err[200] = "";
    scan_term bad[] = {{"@@ ", "x", "x", 1}};
    assert_null(scan_db_compile(bad, 1, NULL, 0, 0, err, sizeof err));
    assert_non_null(strstr(err, "只含符号"));
    /* zero terms: personal data only */
    scan_db *db = scan_db_compile(NULL, 0, NULL, 0, 0, err, sizeof err);
    assert_non_null(db);
    assert_int_equal(scan_db_terms(db), 0);
    assert_int_equal(count_hits(db, "赌博 13812345678"), 1);
    scan_db_unref(db);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    scan_db *db = db_with(0);
    const char t[] = "\xff\xfe赌\xc0博\xe8\xb5"; /* stray bytes between and a cut-off tail */
    scan_result r;
    assert_int_equal(scan_text(db, t, sizeof t - 1, &r), 0);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.hits[0].start, 2);
    assert_int_equal(r.hits[0].end, 9);
    assert_int_equal(r.hits[0].how, SCAN_N_SEPARATOR);
    scan_result_free(&r);
    scan_db_unref(db);
}

static void test_holder_swap(void **state)
{
    (void)state;
    scan_holder *h = scan_holder_new();
    assert_null(scan_holder_get(h));
    scan_holder_set(h, db_with(0));
    scan_db *old = scan_holder_get(h); /* a scan in progress holds this one */
    char err[100];
    scan_term one[] = {{"新词", "新", "新", 2}};
    scan_holder_set(h, scan_db_compile(one, 1, NULL, 0, 0, err, sizeof err));
    assert_int_equal(count_hits(old, "赌博"), 1); /* the old one still serves */
    scan_db_unref(old);
    scan_db *cur = scan_holder_get(h);
    assert_int_equal(scan_db_terms(cur), 1);
    assert_int_equal(count_hits(cur, "赌博"), 0);
    assert_int_equal(count_hits(cur, "新词"), 1);
    scan_db_unref(cur);
    scan_holder_free(h);
}

static void test_how_text(void **state)
{
    (void)state;
    char buf[200];
    scan_how_text(SCAN_N_T2S | SCAN_N_SEPARATOR, buf, sizeof buf);
    assert_string_equal(buf, "繁体字、插入符号");
    scan_how_text(0, buf, sizeof buf);
    assert_string_equal(buf, "");
    assert_string_equal(scan_kind_name(SCAN_BANK_CARD), "bank_card");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact),         cmocka_unit_test(test_fullwidth),
        cmocka_unit_test(test_traditional),   cmocka_unit_test(test_case),
        cmocka_unit_test(test_digits),        cmocka_unit_test(test_separators),
        cmocka_unit_test(test_repeats),       cmocka_unit_test(test_zero_width),
        cmocka_unit_test(test_combined),      cmocka_unit_test(test_offset_map),
        cmocka_unit_test(test_whitelist),     cmocka_unit_test(test_words),
        cmocka_unit_test(test_id_card),       cmocka_unit_test(test_mobile),
        cmocka_unit_test(test_bank_card),     cmocka_unit_test(test_compile_refusals),
        cmocka_unit_test(test_invalid_utf8),  cmocka_unit_test(test_holder_swap),
        cmocka_unit_test(test_how_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
