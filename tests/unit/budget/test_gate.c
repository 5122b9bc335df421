/*
 * Tests of the machine gate of a budget project: a project that passes, then every rule
 * failing alone (each with its code, field and a message naming the line or indicator), the
 * rounding of 单位成本 (333.33 元/人 × 300 人 against 100000 元 passes on its rounding, 333 does
 * not), the tolerance setting, amounts above 2^31 fen, a sum overflowing, and every failure
 * reported at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "budget/gate.h"
#include "budget/money.h"

#define BUDGET_FEN_MAX_TEST (BUDGET_FEN_MAX - 1)

typedef struct {
    budget_line lines[8];
    budget_indicator inds[12];
    budget_gate_input in;
} fixture;

/* 100000.00 元: one line with two sub-items and one plain line; seven indicators of 100. */
static void good(fixture *f)
{
    memset(f, 0, sizeof *f);
    f->lines[0] = (budget_line){-1, "教师培训", "培训", "", "按子项", 0, 0, 2999900};
    f->lines[1] = (budget_line){0, "讲课费", "劳务", "学时", "标准", 40000, 50000, 2000000};
    f->lines[2] = (budget_line){0, "资料印刷", "印刷", "册", "询价", 300000, 3333, 999900};
    f->lines[3] = (budget_line){-1, "教学设备", "设备购置", "套", "询价", 12500, 560008, 7000100};
    f->inds[0] = (budget_indicator){"成本指标", "经济成本", "总成本", "项目总成本", "=", "10", "万元", "", 20000};
    f->inds[1] = (budget_indicator){"成本指标", "经济成本", "单位成本", "人均培训成本", "≤", "333.33", "元/人", "", 10000};
    f->inds[2] = (budget_indicator){"产出指标", "数量指标", "", "培训人数", "≥", "300", "人", "", 20000};
    f->inds[3] = (budget_indicator){"产出指标", "质量指标", "", "合格率", "≥", "95", "%", "", 10000};
    f->inds[4] = (budget_indicator){"产出指标", "时效指标", "", "完成时间", "≤", "12", "月", "", 10000};
    f->inds[5] = (budget_indicator){"效益指标", "社会效益指标", "", "能力提升", "定性", "好", "", "", 15000};
    f->inds[6] = (budget_indicator){"满意度指标", "服务对象满意度指标", "", "满意度", "≥", "90", "%", "", 15000};
    f->in = (budget_gate_input){10000000, f->lines, 4, f->inds, 7, 0, 0, 0, BUDGET_ASSESS_NONE};
}

static budget_gate_result run(arena *a, fixture *f)
{
    budget_gate_result r;
    budget_gate(a, &f->in, &r);
    return r;
}

/* Exactly one failure, of this code and field, whose message contains `says`. */
static void only(arena *a, fixture *f, const char *code, const char *field, const char *says)
{
    budget_gate_result r = run(a, f);
    if (r.n != 1) {
        for (size_t i = 0; i < r.n; i++)
            print_message("  got %s %s %s\n", r.items[i].code, r.items[i].field, r.items[i].message);
    }
    assert_int_equal(r.n, 1);
    assert_string_equal(r.items[0].code, code);
    assert_string_equal(r.items[0].field, field);
    if (!strstr(r.items[0].message, says)) print_message("message: %s\n", r.items[0].message);
    assert_non_null(strstr(r.items[0].message, says));
}

static void test_passes(void **state)
{
    arena *a = *state;
    fixture f;
    good(&f);
    budget_gate_result r = run(a, &f);
    assert_int_equal(r.n, 0);
    assert_int_equal(r.sheet_total, 10000000);
}

static void test_sheet_rules(void **state)
{
    arena *a = *state;
    fixture f;
    good(&f);
    f.lines[3].amount = 7000000;
    f.in.requested = 9999900;
    f.inds[0].target = "9.9999";
    f.inds[1].target = "333.33"; /* 333.33 × 300 = 99999 vs 99999: fine */
    only(a, &f, "line_amount", "line:4:amount", "第2行「教学设备」：金额 70000.00 元应等于数量 12.5 × 单价 5600.08 元 = 70001.00 元");
    good(&f);
    f.lines[0].amount = 3000000;
    f.in.requested = 10000100;
    f.inds[0].target = "10.0001";
    f.inds[1].target = "333.34"; /* 100002 against 100001: within the rounding */
    only(a, &f, "line_children", "line:1:amount", "第1行「教师培训」：金额 30000.00 元应等于其 2 个子项合计 29999.00 元");
    good(&f);
    f.lines[2].basis = "";
    only(a, &f, "line_basis", "line:3:basis", "第1行第2项「资料印刷」");
    good(&f);
    f.lines[3].item = "";
    only(a, &f, "line_item", "line:4:item", "第2行「（未命名）」：未填写测算内容");
    good(&f);
    f.lines[3].qty_milli = 0;
    f.lines[3].amount = 0;
    f.in.requested = 2999900;
    f.inds[0].target = "2.9999";
    f.inds[1].target = "100"; /* 100 × 300 = 30000 against 29999: within the rounding */
    only(a, &f, "line_quantity", "line:4:quantity", "未填写数量");
    good(&f);
    f.in.requested = 10000001;
    only(a, &f, "sheet_total", "lines", "测算表合计 100000.00 元与申请金额合计 100000.01 元不一致");
    good(&f);
    f.in.nlines = 0;
    budget_gate_result r = run(a, &f);
    assert_string_equal(r.items[0].code, "sheet_empty");
    good(&f);
    f.in.requested = 0;
    only(a, &f, "requested_zero", "fund_fiscal", "未填写申请金额");
}

static void test_one_fen(void **state)
{
    arena *a = *state;
    fixture f;
    good(&f);
    /* a line of exactly 0.01 元: 0.001 × 10.00 元 */
    f.lines[4] = (budget_line){-1, "邮费", "其他", "件", "标准", 1, 1000, 1};
    f.in.nlines = 5;
    f.in.requested = 10000001;
    f.inds[0] = (budget_indicator){"成本指标", "经济成本", "总成本", "项目总成本", "=", "100000.01", "元", "", 20000};
    budget_gate_result r = run(a, &f);
    for (size_t i = 0; i < r.n; i++) print_message("%s\n", r.items[i].message);
    assert_int_equal(r.n, 0);
    /* a unit cost more precise than a fen is not money */
    f.inds[1].target = "333.3334";
    only(a, &f, "unit_cost_unit", "indicator:2:measure_unit", "精度不超过分");
    f.inds[1].target = "333.33";
    f.inds[0].target = "100000.00";
    only(a, &f, "total_cost_value", "indicator:1:target", "与测算表合计 100000.01 元不一致");
}

static void test_unit_cost(void **state)
{
    arena *a = *state;
    fixture f;
    good(&f);
    f.inds[1].target = "333"; /* 333 × 300 = 99900 元, 100 元 off, rounding allows 150 元 */
    assert_int_equal(run(a, &f).n, 0);
    f.inds[1].target = "330"; /* 99000: 1000 元 off */
    only(a, &f, "unit_cost_value", "indicator:2:target", "与总成本 100000.00 元相差超过允许范围（0‰）");
    f.in.tolerance_permille = 10; /* 1% of 100000 = 1000 元 */
    assert_int_equal(run(a, &f).n, 0);
    f.in.tolerance_permille = 0;
    f.inds[1].target = "333.34"; /* 100002 元: 2 元 off, allowed 1.5 */
    only(a, &f, "unit_cost_value", "indicator:2:target", "333.34 元/人 × 300 人 = 100002.00 元");
    f.inds[1].target = "0.0333";
    f.inds[1].measure_unit = "万元/人"; /* 0.0333 万元 = 333 元: rounding of 0.0001 万元 × 300 / 2 */
    assert_int_equal(run(a, &f).n, 0);
    good(&f);
    f.inds[1].measure_unit = "元";
    only(a, &f, "unit_cost_unit", "indicator:2:measure_unit", "元/人");
    good(&f);
    f.inds[1].measure_unit = "元/户";
    only(a, &f, "unit_cost_quantity", "indicator:2:measure_unit", "没有计量单位为“户”的数量指标");
    good(&f);
    f.inds[1].measure_unit = "个/人";
    only(a, &f, "unit_cost_unit", "indicator:2:measure_unit", "元、万元或亿元");
}

static void test_target_rules(void **state)
{
    arena *a = *state;
    fixture f;
    good(&f);
    f.inds[0].target = "9";
    only(a, &f, "total_cost_value", "indicator:1:target", "目标值 9 万元（90000.00 元）与测算表合计 100000.00 元不一致");
    good(&f);
    f.inds[0].measure_unit = "人";
    only(a, &f, "total_cost_unit", "indicator:1:measure_unit", "元、万元或亿元");
    good(&f);
    f.inds[0].cost_kind = "分项成本";
    only(a, &f, "total_cost_missing", "indicators", "缺少「总成本」");
    good(&f);
    f.inds[3].target = "按要求";
    only(a, &f, "target_number", "indicator:4:target", "「合格率」为定量指标");
    good(&f);
    f.inds[3].target = "较好";
    only(a, &f, "target_number", "indicator:4:target", "不能是“按要求”“较好”");
    good(&f);
    f.inds[3].measure_unit = "";
    only(a, &f, "target_unit", "indicator:4:measure_unit", "须填写计量单位");
    good(&f);
    f.inds[5].target = "优秀";
    only(a, &f, "target_grade", "indicator:6:target", "好、较好、一般、较差或差");
    good(&f);
    f.inds[6].name = "";
    only(a, &f, "indicator_name", "indicator:7:name", "第7个指标（满意度指标/服务对象满意度指标）");
    good(&f);
    f.inds[6].weight_milli = 14500;
    only(a, &f, "weights_sum", "indicators", "合计 99.5 分");
    good(&f);
    f.inds[5] = f.inds[6];
    f.inds[5].weight_milli = 30000;
    f.in.nindicators = 6;
    only(a, &f, "level1_missing", "indicators", "缺少一级指标「效益指标」");
}

static void test_all_at_once_and_big(void **state)
{
    arena *a = *state;
    fixture f;
    good(&f);
    f.in.nlines = 0;
    f.in.nindicators = 0;
    budget_gate_result r = run(a, &f);
    /* sheet_empty, sheet_total is not repeated for an empty sheet, four level1_missing */
    assert_int_equal(r.n, 5);
    /* amounts above 2^31 fen: 3,000,000,000 fen lines */
    good(&f);
    f.lines[0] = (budget_line){-1, "道路工程", "工程", "公里", "概算", 3000, INT64_C(1000000000), INT64_C(3000000000)};
    f.in.nlines = 1;
    f.in.requested = INT64_C(3000000000);
    f.inds[0].target = "3000";
    f.inds[1].measure_unit = "万元/公里";
    f.inds[1].target = "1000";
    f.inds[2].name = "道路长度";
    f.inds[2].target = "3";
    f.inds[2].measure_unit = "公里";
    r = run(a, &f);
    for (size_t i = 0; i < r.n; i++) print_message("%s\n", r.items[i].message);
    assert_int_equal(r.n, 0);
    assert_int_equal(r.sheet_total, INT64_C(3000000000));
    /* overflow of the sum */
    f.lines[0].amount = BUDGET_FEN_MAX_TEST;
    f.lines[0].qty_milli = 1000;
    f.lines[0].price = BUDGET_FEN_MAX_TEST;
    f.lines[1] = f.lines[0];
    f.in.nlines = 2;
    r = run(a, &f);
    int overflow = 0;
    for (size_t i = 0; i < r.n; i++) overflow |= strcmp(r.items[i].code, "amount_overflow") == 0;
    assert_true(overflow);
    assert_int_equal(r.sheet_total, -1);
}

static void test_pre_assessment(void **state)
{
    arena *a = *state;
    fixture f;
    good(&f);
    f.in.is_new = 1;
    only(a, &f, "pre_assessment", "assessment", "新增项目须先通过事前绩效评估");
    f.in.assessment = BUDGET_ASSESS_REJECTED;
    only(a, &f, "pre_assessment", "assessment", "不予支持");
    f.in.assessment = BUDGET_ASSESS_ADJUST;
    only(a, &f, "pre_assessment", "assessment", "调整后支持");
    f.in.assessment = BUDGET_ASSESS_PASSED;
    assert_int_equal(run(a, &f).n, 0);
    /* a continuing project needs one from the threshold on: 100000.00 元 is at it, not below */
    good(&f);
    f.in.assessment_threshold = 10000000;
    only(a, &f, "pre_assessment", "assessment", "申请金额达到 100000.00 元的项目");
    f.in.assessment_threshold = 10000001;
    assert_int_equal(run(a, &f).n, 0);
}

static void test_vocabulary(void **state)
{
    (void)state;
    assert_true(budget_level2_valid("成本指标", "经济成本", "总成本"));
    assert_true(budget_level2_valid("成本指标", "生态环境成本", ""));
    assert_false(budget_level2_valid("产出指标", "数量指标", "总成本"));
    assert_false(budget_level2_valid("产出指标", "经济成本", ""));
    assert_false(budget_level2_valid("投入指标", "数量指标", ""));
    assert_true(budget_comparison_valid("≥"));
    assert_true(budget_comparison_valid("定性"));
    assert_false(budget_comparison_valid(">="));
    assert_string_equal(budget_gate_title("weights_sum"), "权重合计不为100");
}

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_passes),       cmocka_unit_test(test_sheet_rules),
        cmocka_unit_test(test_one_fen),      cmocka_unit_test(test_unit_cost),
        cmocka_unit_test(test_target_rules), cmocka_unit_test(test_all_at_once_and_big),
        cmocka_unit_test(test_pre_assessment), cmocka_unit_test(test_vocabulary),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
