/*
 * gate — the machine gate of a budget project (see gate.h for the rules). Pure: no database,
 * no clock; every number exact (money.c). Field names point the UI at the row: "line:3:amount"
 * is the third line of the flattened sheet (parents before their sub-items), "indicator:2:target"
 * the second indicator.
 */
#include "budget/gate.h"

#include "budget/money.h"

#include <string.h>

const char *const budget_level1[4] = {"成本指标", "产出指标", "效益指标", "满意度指标"};
static const char *const cost_l2[] = {"经济成本", "社会成本", "生态环境成本", NULL};
static const char *const output_l2[] = {"数量指标", "质量指标", "时效指标", NULL};
static const char *const effect_l2[] = {"经济效益指标", "社会效益指标", "生态效益指标",
                                        "可持续影响指标", NULL};
static const char *const satisfaction_l2[] = {"服务对象满意度指标", NULL};
const char *const *const budget_level2[4] = {cost_l2, output_l2, effect_l2, satisfaction_l2};

static const char *const grades[] = {"好", "较好", "一般", "较差", "差", NULL};
static const char *const comparisons[] = {"≥", "≤", "=", ">", "<", "定性", NULL};

const budget_gate_code budget_gate_codes[] = {
    {"sheet_empty", "测算表为空"},
    {"line_item", "测算内容未填写"},
    {"line_basis", "测算依据未填写"},
    {"line_quantity", "数量或单价未填写"},
    {"line_amount", "金额不等于数量×单价"},
    {"line_children", "子项合计不符"},
    {"sheet_total", "测算合计与申请金额不符"},
    {"amount_overflow", "金额超出上限"},
    {"requested_zero", "未填写申请金额"},
    {"level1_missing", "缺少一级指标"},
    {"total_cost_missing", "缺少总成本指标"},
    {"total_cost_unit", "总成本计量单位有误"},
    {"total_cost_value", "总成本与测算合计不符"},
    {"unit_cost_unit", "单位成本计量单位有误"},
    {"unit_cost_quantity", "单位成本无对应数量指标"},
    {"unit_cost_value", "单位成本×数量与总成本不符"},
    {"indicator_name", "指标名称未填写"},
    {"target_number", "定量指标目标值不是数字"},
    {"target_unit", "定量指标缺计量单位"},
    {"target_grade", "定性指标等级有误"},
    {"weights_sum", "权重合计不为100"},
    {"pre_assessment", "未通过事前绩效评估"},
    {NULL, NULL},
};

const char *budget_gate_title(const char *code)
{
    for (int i = 0; code && budget_gate_codes[i].code; i++)
        if (strcmp(budget_gate_codes[i].code, code) == 0) return budget_gate_codes[i].title;
    return code ? code : "";
}

static int in_list(const char *const *list, const char *s)
{
    for (; s && *list; list++)
        if (strcmp(*list, s) == 0) return 1;
    return 0;
}

int budget_level1_index(const char *level1)
{
    for (int i = 0; level1 && i < 4; i++)
        if (strcmp(budget_level1[i], level1) == 0) return i;
    return -1;
}

int budget_level2_valid(const char *level1, const char *level2, const char *cost_kind)
{
    int i = budget_level1_index(level1);
    if (i < 0 || !in_list(budget_level2[i], level2)) return 0;
    if (!cost_kind || !*cost_kind) return 1;
    static const char *const kinds[] = {"总成本", "分项成本", "单位成本", NULL};
    return i == 0 && in_list(kinds, cost_kind);
}

int budget_comparison_valid(const char *comparison)
{
    return in_list(comparisons, comparison);
}

static const char *or_blank(const char *s)
{
    return s && *s ? s : "（未命名）";
}

const char *budget_line_label(arena *a, const budget_line *lines, size_t i)
{
    int top = 0, sub = 0;
    for (size_t k = 0; k <= i; k++) {
        if (lines[k].parent < 0) top++, sub = 0;
        else sub++;
    }
    if (lines[i].parent < 0) return arena_sprintf(a, "第%d行「%s」", top, or_blank(lines[i].item));
    return arena_sprintf(a, "第%d行第%d项「%s」", top, sub, or_blank(lines[i].item));
}

static void fail(arena *a, budget_gate_result *r, const char *code, const char *field,
                 const char *message)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 8;
        budget_failure *grown = arena_alloc(a, cap * sizeof *grown);
        if (r->n) memcpy(grown, r->items, r->n * sizeof *grown);
        r->items = grown;
        r->cap = cap;
    }
    budget_failure *f = &r->items[r->n++];
    f->code = code;
    f->field = field;
    f->message = message;
}

static const char *yuan(arena *a, int64_t fen)
{
    char buf[40];
    money_yuan(fen, buf, sizeof buf);
    return arena_strdup(a, buf);
}

/* ---- the cost sheet ---- */

static void check_lines(arena *a, const budget_gate_input *in, budget_gate_result *r)
{
    int64_t total = 0;
    int overflow = 0;
    if (in->nlines == 0)
        fail(a, r, "sheet_empty", "lines", "项目测算表为空：请逐项填写测算内容、数量、单价和测算依据");
    for (size_t i = 0; i < in->nlines; i++) {
        const budget_line *l = &in->lines[i];
        const char *label = budget_line_label(a, in->lines, i);
        int line = (int)i + 1;
        if (!l->item || !*l->item)
            fail(a, r, "line_item", arena_sprintf(a, "line:%d:item", line),
                 arena_sprintf(a, "%s：未填写测算内容", label));
        if (!l->basis || !*l->basis)
            fail(a, r, "line_basis", arena_sprintf(a, "line:%d:basis", line),
                 arena_sprintf(a, "%s：未填写测算依据（标准、询价或历史成本）", label));
        int64_t children = 0;
        int nchildren = 0;
        for (size_t k = i + 1; k < in->nlines && in->lines[k].parent >= 0; k++) {
            if ((size_t)in->lines[k].parent != i) continue;
            nchildren++;
            if (money_add(children, in->lines[k].amount, &children)) overflow = 1;
        }
        if (nchildren > 0) {
            if (children != l->amount)
                fail(a, r, "line_children", arena_sprintf(a, "line:%d:amount", line),
                     arena_sprintf(a, "%s：金额 %s 元应等于其 %d 个子项合计 %s 元", label,
                                   yuan(a, l->amount), nchildren, yuan(a, children)));
        } else if (l->qty_milli == 0 || l->price == 0) {
            fail(a, r, "line_quantity",
                 arena_sprintf(a, "line:%d:%s", line, l->qty_milli == 0 ? "quantity" : "price"),
                 arena_sprintf(a, "%s：未填写%s", label, l->qty_milli == 0 ? "数量" : "单价"));
        } else {
            int64_t want;
            if (money_line_amount(l->qty_milli, l->price, &want)) {
                overflow = 1;
            } else if (want != l->amount) {
                char q[40];
                money_format(l->qty_milli, 3, q, sizeof q);
                fail(a, r, "line_amount", arena_sprintf(a, "line:%d:amount", line),
                     arena_sprintf(a, "%s：金额 %s 元应等于数量 %s × 单价 %s 元 = %s 元（四舍五入到分）",
                                   label, yuan(a, l->amount), q, yuan(a, l->price),
                                   yuan(a, want)));
            }
        }
        if (l->parent < 0 && money_add(total, l->amount, &total)) overflow = 1;
    }
    r->sheet_total = overflow ? -1 : total;
    if (overflow) {
        fail(a, r, "amount_overflow", "lines", "测算表金额超出可处理的上限（10 万亿元）");
        return;
    }
    if (in->requested == 0)
        fail(a, r, "requested_zero", "fund_fiscal", "未填写申请金额（本年财政拨款、上年结转或其他资金）");
    else if (in->nlines > 0 && total != in->requested)
        fail(a, r, "sheet_total", "lines",
             arena_sprintf(a, "测算表合计 %s 元与申请金额合计 %s 元不一致", yuan(a, total),
                           yuan(a, in->requested)));
}

/* ---- the targets ---- */

static int is_number(const char *s)
{
    int64_t v;
    return money_parse(s, 6, INT64_MAX, &v) == 0;
}

/* Fractional digits as written ("333.30" → 2). */
static int written_digits(const char *s)
{
    const char *dot = strchr(s, '.');
    return dot ? (int)strlen(dot + 1) : 0;
}

/* The 数量指标 whose unit is what a unit cost is per ("人" of "元/人"), or -1. */
static int quantity_for(const budget_gate_input *in, const char *per)
{
    for (size_t k = 0; k < in->nindicators; k++) {
        const budget_indicator *d = &in->indicators[k];
        if (strcmp(d->level1, "产出指标") == 0 && strcmp(d->level2, "数量指标") == 0 &&
            d->measure_unit && strcmp(d->measure_unit, per) == 0 && is_number(d->target))
            return (int)k;
    }
    return -1;
}

static void check_unit_cost(arena *a, const budget_gate_input *in, budget_gate_result *r,
                            size_t i, int64_t total)
{
    const budget_indicator *d = &in->indicators[i];
    const char *field = arena_sprintf(a, "indicator:%d:measure_unit", (int)i + 1);
    const char *slash = d->measure_unit ? strchr(d->measure_unit, '/') : NULL;
    char money[16];
    size_t mlen = slash ? (size_t)(slash - d->measure_unit) : 0;
    if (!slash || mlen >= sizeof money || !slash[1]) {
        fail(a, r, "unit_cost_unit", field,
             arena_sprintf(a, "单位成本指标「%s」：计量单位应写成“元/人”“万元/处”的形式",
                           or_blank(d->name)));
        return;
    }
    memcpy(money, d->measure_unit, mlen);
    money[mlen] = 0;
    int64_t unit_fen, one_fen;
    if (money_in_unit(d->target, money, &unit_fen) || money_in_unit("1", money, &one_fen)) {
        if (is_number(d->target))
            fail(a, r, "unit_cost_unit", field,
                 arena_sprintf(a, "单位成本指标「%s」：计量单位应以元、万元或亿元开头，且精度不超过分",
                               or_blank(d->name)));
        return;
    }
    int q = quantity_for(in, slash + 1);
    if (q < 0) {
        fail(a, r, "unit_cost_quantity", field,
             arena_sprintf(a, "单位成本指标「%s」：产出指标中没有计量单位为“%s”的数量指标，无法核对",
                           or_blank(d->name), slash + 1));
        return;
    }
    if (total < 0) return; /* the sheet overflowed: already said */
    int64_t qty;
    if (money_parse(in->indicators[q].target, 3, BUDGET_QTY_MAX, &qty)) {
        fail(a, r, "unit_cost_quantity", arena_sprintf(a, "indicator:%d:target", q + 1),
             arena_sprintf(a, "数量指标「%s」：目标值最多三位小数", or_blank(in->indicators[q].name)));
        return;
    }
    /* In thousandths of a fen: product, total, the tolerance and half the stated last digit. */
    __int128 product = (__int128)unit_fen * qty, want = (__int128)total * 1000;
    __int128 diff = product > want ? product - want : want - product;
    __int128 last = one_fen;
    for (int k = written_digits(d->target); k > 0; k--)
        last /= 10;
    if (last < 1) last = 1;
    __int128 allowed = (__int128)total * in->tolerance_permille + last * qty / 2;
    if (diff <= allowed) return;
    char qs[40];
    money_format(qty, 3, qs, sizeof qs);
    int64_t pf = (int64_t)((product + 500) / 1000);
    fail(a, r, "unit_cost_value", arena_sprintf(a, "indicator:%d:target", (int)i + 1),
         arena_sprintf(a,
                       "单位成本指标「%s」：%s %s × %s %s = %s 元，与总成本 %s 元相差超过允许范围（%lld‰）",
                       or_blank(d->name), d->target, d->measure_unit, qs, slash + 1, yuan(a, pf),
                       yuan(a, total), (long long)in->tolerance_permille));
}

static void check_indicators(arena *a, const budget_gate_input *in, budget_gate_result *r)
{
    int per_level[4] = {0};
    int totals = 0;
    int64_t weights = 0;
    for (size_t i = 0; i < in->nindicators; i++) {
        const budget_indicator *d = &in->indicators[i];
        int n = (int)i + 1;
        int l1 = budget_level1_index(d->level1);
        if (l1 >= 0) per_level[l1]++;
        weights += d->weight_milli;
        if (!d->name || !*d->name)
            fail(a, r, "indicator_name", arena_sprintf(a, "indicator:%d:name", n),
                 arena_sprintf(a, "第%d个指标（%s/%s）：未填写指标名称", n, d->level1, d->level2));
        const char *name = or_blank(d->name);
        int qualitative = d->comparison && strcmp(d->comparison, "定性") == 0;
        if (qualitative) {
            if (!in_list(grades, d->target))
                fail(a, r, "target_grade", arena_sprintf(a, "indicator:%d:target", n),
                     arena_sprintf(a, "指标「%s」为定性指标，目标值应为好、较好、一般、较差或差", name));
        } else {
            if (!is_number(d->target))
                fail(a, r, "target_number", arena_sprintf(a, "indicator:%d:target", n),
                     arena_sprintf(a, "指标「%s」为定量指标，目标值须为数字（不能是“按要求”“较好”等表述）",
                                   name));
            if (!d->measure_unit || !*d->measure_unit)
                fail(a, r, "target_unit", arena_sprintf(a, "indicator:%d:measure_unit", n),
                     arena_sprintf(a, "指标「%s」为定量指标，须填写计量单位", name));
        }
        if (l1 == 0 && d->cost_kind && strcmp(d->cost_kind, "总成本") == 0) {
            totals++;
            int64_t fen;
            if (qualitative || !is_number(d->target)) continue; /* said above */
            if (money_in_unit(d->target, d->measure_unit, &fen))
                fail(a, r, "total_cost_unit", arena_sprintf(a, "indicator:%d:measure_unit", n),
                     arena_sprintf(a, "总成本指标「%s」：计量单位应为元、万元或亿元，且精度不超过分",
                                   name));
            else if (r->sheet_total >= 0 && fen != r->sheet_total)
                fail(a, r, "total_cost_value", arena_sprintf(a, "indicator:%d:target", n),
                     arena_sprintf(a, "总成本指标「%s」：目标值 %s %s（%s 元）与测算表合计 %s 元不一致",
                                   name, d->target, d->measure_unit, yuan(a, fen),
                                   yuan(a, r->sheet_total)));
        }
        if (l1 == 0 && d->cost_kind && strcmp(d->cost_kind, "单位成本") == 0 && !qualitative &&
            is_number(d->target))
            check_unit_cost(a, in, r, i, r->sheet_total);
    }
    for (int k = 0; k < 4; k++)
        if (!per_level[k])
            fail(a, r, "level1_missing", "indicators",
                 arena_sprintf(a, "绩效目标缺少一级指标「%s」：其下至少应有一个三级指标",
                               budget_level1[k]));
    if (per_level[0] && !totals)
        fail(a, r, "total_cost_missing", "indicators",
             "成本指标中缺少「总成本」指标：应设置与测算表合计一致的项目总成本");
    if (in->nindicators > 0 && weights != 100000) {
        char w[40];
        money_format(weights, 3, w, sizeof w);
        fail(a, r, "weights_sum", "indicators",
             arena_sprintf(a, "各指标权重合计 %s 分，应为 100 分", w));
    }
}

static void check_assessment(arena *a, const budget_gate_input *in, budget_gate_result *r)
{
    int large = in->assessment_threshold > 0 && in->requested >= in->assessment_threshold;
    if ((!in->is_new && !large) || in->assessment == BUDGET_ASSESS_PASSED) return;
    const char *why = in->is_new ? "新增项目" : arena_sprintf(a, "申请金额达到 %s 元的项目",
                                                               yuan(a, in->assessment_threshold));
    const char *message =
        in->assessment == BUDGET_ASSESS_REJECTED
            ? "事前绩效评估结论为不予支持，项目不能提交"
        : in->assessment == BUDGET_ASSESS_ADJUST
            ? "事前绩效评估结论为调整后支持：请按评估意见调整测算表或绩效目标后保存"
            : arena_sprintf(a, "%s须先通过事前绩效评估（由财政部门评估）", why);
    fail(a, r, "pre_assessment", "assessment", message);
}

void budget_gate(arena *a, const budget_gate_input *in, budget_gate_result *out)
{
    memset(out, 0, sizeof *out);
    check_lines(a, in, out);
    check_indicators(a, in, out);
    check_assessment(a, in, out);
}
