/*
 * gate — the machine gate of a budget project (机审): a pure function of the project's amounts,
 * its cost sheet (项目测算表) and its performance targets (绩效目标表) that lists every failure at
 * once, each with a stable code, the field it is about and a Chinese message naming the line or
 * indicator. It runs on every save (the failures are shown beside the fields and kept for the
 * figures) and a project with any failure cannot be submitted.
 *
 * The rules (MECHANISMS.md §3, issue #13):
 *   sheet_empty         the cost sheet has at least one line
 *   line_item           every line names what it is for
 *   line_basis          every line states its basis (测算依据: 标准、询价、历史成本 …)
 *   line_quantity       a line without sub-items has a quantity and a unit price
 *   line_amount         its amount = quantity × unit price, rounded half up to the fen
 *   line_children       a line with sub-items has the sum of its sub-items as its amount
 *   sheet_total         the lines sum to the amount requested (本年财政拨款 + 上年结转 + 其他)
 *   amount_overflow     no sum exceeds BUDGET_FEN_MAX
 *   requested_zero      some amount is requested
 *   level1_missing      at least one indicator under each of 成本 产出 效益 满意度
 *   total_cost_missing  成本指标 has a 总成本 indicator
 *   total_cost_unit     a 总成本 target is money (元, 万元, 亿元)
 *   total_cost_value    a 总成本 target equals the cost sheet's total
 *   unit_cost_unit      a 单位成本 target is stated per something (元/人, 万元/处 …)
 *   unit_cost_quantity  a 数量指标 counts what a 单位成本 is per (its unit, e.g. 人)
 *   unit_cost_value     单位成本 × that quantity agrees with the total, within the tolerance
 *                       (permille of the total) plus the rounding of the stated 单位成本
 *                       (half its last digit, times the quantity)
 *   indicator_name      every indicator has a name
 *   target_number       a quantitative target (≥ ≤ = > <) is a number, not "按要求", "较好"
 *   target_unit         a quantitative target has a unit of measure
 *   target_grade        a qualitative (定性) target is a grade: 好 较好 一般 较差 差
 *   weights_sum         the indicators' weights sum to 100
 *   pre_assessment      a new project, or one requesting at least the threshold, has passed its
 *                       事前绩效评估 (予以支持, or 调整后支持 and adjusted since)
 */
#ifndef DUBAN_BUDGET_GATE_H
#define DUBAN_BUDGET_GATE_H

#include "base/mem.h"

#include <stddef.h>
#include <stdint.h>

/* Where a project's 事前绩效评估 stands. */
typedef enum {
    BUDGET_ASSESS_NONE,     /* none yet */
    BUDGET_ASSESS_PASSED,   /* 予以支持, or 调整后支持 and saved since */
    BUDGET_ASSESS_ADJUST,   /* 调整后支持, not adjusted (saved) yet */
    BUDGET_ASSESS_REJECTED, /* 不予支持 */
} budget_assessment_state;

/* One line of the cost sheet; parent is the index of its line in the array, or -1. */
typedef struct {
    int parent;
    const char *item, *kind, *measure_unit, *basis;
    int64_t qty_milli, price, amount; /* quantity × 1000; fen; fen */
} budget_line;

/* One third-level indicator of the targets. */
typedef struct {
    const char *level1, *level2, *cost_kind, *name, *comparison, *target, *measure_unit, *method;
    int64_t weight_milli; /* weight × 1000 (points out of 100) */
} budget_indicator;

typedef struct {
    int64_t requested; /* fen: the sum of the sources */
    const budget_line *lines;
    size_t nlines;
    const budget_indicator *indicators;
    size_t nindicators;
    int64_t tolerance_permille; /* of 单位成本 × 数量 against the total */
    /* 事前绩效评估: needed by a new project or one requesting at least the threshold (> 0) */
    int is_new;
    int64_t assessment_threshold;
    budget_assessment_state assessment;
} budget_gate_input;

typedef struct {
    const char *code, *field, *message;
} budget_failure;

typedef struct {
    budget_failure *items;
    size_t n, cap;
    int64_t sheet_total; /* the lines' sum (top-level lines), fen; -1 on overflow */
} budget_gate_result;

/* Runs every rule; failures in a (in the order of the sheet, then of the targets). */
void budget_gate(arena *a, const budget_gate_input *in, budget_gate_result *out);

/* The first-level indicators, in their order; their second levels (NULL-terminated lists). */
extern const char *const budget_level1[4];
extern const char *const *const budget_level2[4];
/* Index of a first-level indicator's name, or -1. */
int budget_level1_index(const char *level1);
/* 1 when level2 belongs under level1; cost_kind ('' or 总成本 分项成本 单位成本) only under 成本. */
int budget_level2_valid(const char *level1, const char *level2, const char *cost_kind);
/* 1 when comparison is one of ≥ ≤ = > < 定性. */
int budget_comparison_valid(const char *comparison);

/* Every failure code with its short title (for the figures); ends with a NULL code. */
typedef struct {
    const char *code, *title;
} budget_gate_code;
extern const budget_gate_code budget_gate_codes[];
const char *budget_gate_title(const char *code);

/* The label of line i in messages: 第3行「印刷费」, 第3行第2项「宣传册」. */
const char *budget_line_label(arena *a, const budget_line *lines, size_t i);

#endif
