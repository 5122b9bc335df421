/*
 * Tests of the study prose: counts rounded as the county's reports round them, at every
 * boundary; the summary paragraph reproducing the seed's own sentence shape, with clauses left
 * out, for a township and with nothing recorded; and the period phrase for each kind of range,
 * across year ends and leap days.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "study/prose.h"

static int setup(void **state)
{
    *state = arena_new();
    return 0;
}

static int teardown(void **state)
{
    arena_free(*state);
    return 0;
}

/* ---- prose_count ---- */

typedef struct {
    int64_t n;
    int approx;
    const char *want;
} count_case;

static void test_count_boundaries(void **state)
{
    static const count_case cases[] = {
        {0, 0, "0"},
        {9, 0, "9"},
        {10, 0, "10"},
        {99, 0, "99"},
        {764, 0, "764"},
        {999, 0, "999"},
        {1000, 0, "1000"},
        {1001, 0, "1000余"},
        {1300, 0, "1300"},
        {1350, 0, "1300余"},
        {5000, 0, "5000"},
        {5999, 0, "5900余"},
        {9999, 0, "9900余"},
        {10000, 0, "1万"},
        {10001, 0, "1万余"},
        {200000, 0, "20万"},
        {200001, 0, "20万余"},
        {1000000, 0, "100万"},
        {1234567, 0, "123万余"},
        {-1, 0, "0"},
        {-50000, 1, "0"},
        {INT64_MIN, 0, "0"},
        /* approx: tens from 10 to 999, the same as exact elsewhere */
        {0, 1, "0"},
        {9, 1, "9"},
        {10, 1, "10"},
        {30, 1, "30"},
        {35, 1, "30余"},
        {99, 1, "90余"},
        {764, 1, "760余"},
        {999, 1, "990余"},
        {1000, 1, "1000"},
        {1350, 1, "1300余"},
        {200001, 1, "20万余"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = prose_count(*state, cases[i].n, cases[i].approx);
        if (strcmp(got, cases[i].want) != 0)
            fail_msg("prose_count(%lld, %d) = %s, want %s", (long long)cases[i].n, cases[i].approx,
                     got, cases[i].want);
    }
}

/* ---- prose_summary ---- */

/* The seed's figures: 2023年以来 in the county. */
static prose_input seed_county(void)
{
    return (prose_input){
        .period = "2023年以来",
        .scope = "全县",
        .top_group = "县委理论学习中心组",
        .top_sessions = 16,
        .top_discussions = 13,
        .group_sessions = 1342,
        .discussions = 764,
        .member_lecturers = 136,
        .outreach_events = 5012,
        .audience = 203456,
        .outputs = 34,
    };
}

static void test_summary_seed(void **state)
{
    prose_input in = seed_county();
    assert_string_equal(prose_summary(*state, &in),
                        "2023年以来，全县开展县委理论学习中心组学习16次、研讨13次；"
                        "全县各级理论学习中心组开展学习1300余次，开展集中交流研讨764场，"
                        "136名普通党员上讲台讲党课；开展宣讲活动5000余场次，受众20万余人次；"
                        "形成调研报告和理论文章30余篇。");
}

static void test_summary_with_sites(void **state)
{
    prose_input in = seed_county();
    in.site_visits = 12;
    in.visitors = 4321;
    assert_string_equal(prose_summary(*state, &in),
                        "2023年以来，全县开展县委理论学习中心组学习16次、研讨13次；"
                        "全县各级理论学习中心组开展学习1300余次，开展集中交流研讨764场，"
                        "136名普通党员上讲台讲党课；开展宣讲活动5000余场次，受众20万余人次；"
                        "组织党员群众到红色教育基地参观学习12次，受教育4300余人次；"
                        "形成调研报告和理论文章30余篇。");
}

static void test_summary_zeros_left_out(void **state)
{
    prose_input in = seed_county();
    in.top_discussions = 0;
    in.discussions = 0;
    in.audience = 0;
    in.outputs = 0;
    assert_string_equal(prose_summary(*state, &in),
                        "2023年以来，全县开展县委理论学习中心组学习16次；"
                        "全县各级理论学习中心组开展学习1300余次，136名普通党员上讲台讲党课；"
                        "开展宣讲活动5000余场次。");

    /* Without the top group, the first clause still names period and scope. */
    in = seed_county();
    in.top_sessions = in.top_discussions = 0;
    in.group_sessions = 0;
    assert_string_equal(prose_summary(*state, &in),
                        "2023年以来，全县开展集中交流研讨764场，136名普通党员上讲台讲党课；"
                        "开展宣讲活动5000余场次，受众20万余人次；形成调研报告和理论文章30余篇。");

    /* Only 研讨 at the top; only outputs below. */
    in = (prose_input){.period = "2024年",
                       .scope = "全县",
                       .top_group = "县委理论学习中心组",
                       .top_discussions = 5,
                       .outputs = 8};
    assert_string_equal(prose_summary(*state, &in),
                        "2024年，全县开展县委理论学习中心组研讨5次；形成调研报告和理论文章8篇。");

    /* One clause alone, each kind of first clause. */
    in = (prose_input){.period = "2024年", .scope = "全县", .outputs = 35};
    assert_string_equal(prose_summary(*state, &in), "2024年，全县形成调研报告和理论文章30余篇。");
    in = (prose_input){.period = "2024年", .scope = "全县", .audience = 1200};
    assert_string_equal(prose_summary(*state, &in), "2024年，全县宣讲受众1200人次。");
    in = (prose_input){.period = "2024年", .scope = "全县", .visitors = 250};
    assert_string_equal(prose_summary(*state, &in), "2024年，全县到红色教育基地参观学习250人次。");
    in = (prose_input){.period = "2024年", .scope = "全县", .member_lecturers = 3};
    assert_string_equal(prose_summary(*state, &in), "2024年，全县3名普通党员上讲台讲党课。");

    /* Negative counts are no counts. */
    in = (prose_input){.period = "2024年", .scope = "全县", .outputs = -3, .discussions = 2};
    assert_string_equal(prose_summary(*state, &in), "2024年，全县开展集中交流研讨2场。");
}

static void test_summary_all_zero(void **state)
{
    prose_input in = {
        .period = "2024年1月至6月", .scope = "柴胡店镇", .top_group = "柴胡店镇党委理论学习中心组"};
    assert_string_equal(prose_summary(*state, &in),
                        "2024年1月至6月，柴胡店镇暂无学习宣讲活动记录。");
    in.period = NULL;
    assert_string_equal(prose_summary(*state, &in), "柴胡店镇暂无学习宣讲活动记录。");
}

static void test_summary_township(void **state)
{
    prose_input in = {
        .period = "2024年",
        .scope = "柴胡店镇",
        .top_group = "柴胡店镇党委理论学习中心组",
        .top_sessions = 12,
        .top_discussions = 6,
        .group_sessions = 45,
        .discussions = 38,
        .member_lecturers = 21,
        .outreach_events = 260,
        .audience = 15800,
        .outputs = 7,
    };
    assert_string_equal(prose_summary(*state, &in),
                        "2024年，柴胡店镇党委理论学习中心组开展学习12次、研讨6次；"
                        "全镇各级理论学习中心组开展学习45次，开展集中交流研讨38场，"
                        "21名普通党员上讲台讲党课；开展宣讲活动260场次，受众1万余人次；"
                        "形成调研报告和理论文章7篇。");

    /* The subtree's groups come first: the scope is named by its name, not as 全镇. */
    in.top_sessions = in.top_discussions = 0;
    in.outreach_events = in.audience = in.outputs = 0;
    assert_string_equal(prose_summary(*state, &in),
                        "2024年，柴胡店镇各级理论学习中心组开展学习45次，开展集中交流研讨38场，"
                        "21名普通党员上讲台讲党课。");

    /* A group not named after the scope is the object, as in the county's sentence. */
    in = (prose_input){.period = "2024年",
                       .scope = "柴胡店镇",
                       .top_group = "镇党委理论学习中心组",
                       .top_sessions = 3,
                       .group_sessions = 9};
    assert_string_equal(prose_summary(*state, &in),
                        "2024年，柴胡店镇开展镇党委理论学习中心组学习3次；"
                        "全镇各级理论学习中心组开展学习9次。");

    /* 街道 and 乡 read 全街道 and 全乡; a department keeps its name. */
    in = (prose_input){.period = "2024年",
                       .scope = "龙山街道",
                       .top_group = NULL,
                       .top_sessions = 2,
                       .group_sessions = 9};
    assert_string_equal(
        prose_summary(*state, &in),
        "2024年，龙山街道开展理论学习中心组学习2次；全街道各级理论学习中心组开展学习9次。");
    in.scope = "北湖乡";
    assert_string_equal(
        prose_summary(*state, &in),
        "2024年，北湖乡开展理论学习中心组学习2次；全乡各级理论学习中心组开展学习9次。");
    in.scope = "县委宣传部";
    assert_string_equal(prose_summary(*state, &in), "2024年，县委宣传部开展理论学习中心组学习2次；"
                                                    "县委宣传部各级理论学习中心组开展学习9次。");
}

/* ---- prose_period ---- */

typedef struct {
    const char *from, *to, *today, *want;
} period_case;

static void test_period(void **state)
{
    static const period_case cases[] = {
        /* open-ended and ending today: 以来 */
        {"2023-01-01", NULL, "2024-06-15", "2023年以来"},
        {"2023-01-01", "2024-06-15", "2024-06-15", "2023年以来"},
        {"2024-01-01", NULL, "2024-01-01", "2024年以来"},
        {"2024-03-01", NULL, "2024-06-15", "2024年3月以来"},
        {"2024-03-05", NULL, "2024-06-15", "2024年3月5日以来"},
        /* whole calendar years, also when the year ends today */
        {"2024-01-01", "2024-12-31", "2025-03-01", "2024年"},
        {"2024-01-01", "2024-12-31", "2024-12-31", "2024年"},
        {"2024-01-01", NULL, "2024-12-31", "2024年"},
        {"2023-01-01", "2024-12-31", "2025-03-01", "2023年至2024年"},
        /* whole months; February's end in leap and common years */
        {"2024-01-01", "2024-06-30", "2024-08-01", "2024年1月至6月"},
        {"2024-02-01", "2024-02-29", "2024-08-01", "2024年2月"},
        {"2023-02-01", "2023-02-28", "2024-08-01", "2023年2月"},
        {"2024-01-01", "2024-02-29", "2024-08-01", "2024年1月至2月"},
        {"2023-10-01", "2024-03-31", "2024-08-01", "2023年10月至2024年3月"},
        {"2023-12-01", "2024-01-31", "2024-08-01", "2023年12月至2024年1月"},
        /* not whole months */
        {"2024-02-01", "2024-02-28", "2024-08-01", "2024年2月1日至2月28日"},
        {"2023-02-01", "2023-02-29", "2024-08-01", NULL}, /* no such day */
        {"2024-03-05", "2024-06-20", "2024-08-01", "2024年3月5日至6月20日"},
        {"2023-12-05", "2024-01-20", "2024-08-01", "2023年12月5日至2024年1月20日"},
        {"2023-12-31", "2024-01-01", "2024-08-01", "2023年12月31日至2024年1月1日"},
        {"2024-01-01", "2024-12-30", "2025-08-01", "2024年1月1日至12月30日"},
        {"2024-03-05", "2024-03-05", "2024-08-01", "2024年3月5日"},
        {"2024-02-29", "2024-02-29", "2024-08-01", "2024年2月29日"},
        /* no start */
        {NULL, NULL, "2024-02-29", "截至2024年2月29日"},
        {NULL, "2023-12-31", "2024-06-15", "截至2023年12月31日"},
        /* refused */
        {"2024-06-01", "2024-05-31", "2024-08-01", NULL},
        {"2024-09-01", NULL, "2024-08-01", NULL},
        {"2024-13-01", NULL, "2024-08-01", NULL},
        {"2024/01/01", NULL, "2024-08-01", NULL},
        {NULL, "yesterday", "2024-08-01", NULL},
        {NULL, NULL, NULL, NULL},
        {NULL, NULL, "2024-8-1", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const period_case *c = &cases[i];
        const char *got = prose_period(*state, c->from, c->to, c->today);
        if (!c->want ? got != NULL : !got || strcmp(got, c->want) != 0)
            fail_msg("prose_period(%s, %s, %s) = %s, want %s", c->from ? c->from : "NULL",
                     c->to ? c->to : "NULL", c->today ? c->today : "NULL", got ? got : "NULL",
                     c->want ? c->want : "NULL");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_count_boundaries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_summary_seed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_summary_with_sites, setup, teardown),
        cmocka_unit_test_setup_teardown(test_summary_zeros_left_out, setup, teardown),
        cmocka_unit_test_setup_teardown(test_summary_all_zero, setup, teardown),
        cmocka_unit_test_setup_teardown(test_summary_township, setup, teardown),
        cmocka_unit_test_setup_teardown(test_period, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
