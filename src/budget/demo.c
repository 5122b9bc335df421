/*
 * demo — budget performance's part of `duban demo`: the county's 2024 budget preparation in the
 * way the 章丘 report describes it. Every department (the county's own and the further budget
 * units added here, 30 in all) has finance staff who draft about ten projects of all three
 * classes with cost sheets that add up and target trees with 成本指标 as a first-level
 * indicator; a third-party firm with three reviewers; the finance bureau's 预算科 and 绩效科
 * reviewing, returning some projects once or twice (so some go through two or three rounds),
 * and approving (some with cuts) and publishing most of the rest. Everything goes through
 * budget_save and budget_act as the people who would do it, with the clock set to autumn 2023.
 * A few drafts are left with the gate's failures, and every revision first meets the gate.
 * At mid-2024 every approved project has its March and June 执行监控 reports, some flagged.
 */
#include "budget/budget_int.h"

#include "base/clock.h"
#include "budget/money.h"
#include "budget/monitor.h"
#include "demo/demo.h"
#include "org/org.h"

#include <stdio.h>
#include <string.h>

/* Budget units added to the county's departments (30 with them). */
static const demo_unit more_units[] = {
    {0, "nongyeju", "县农业农村局"},      {0, "shuiliju", "县水利局"},
    {0, "minzhengju", "县民政局"},        {0, "renshehju", "县人力资源和社会保障局"},
    {0, "ziranziyuanju", "县自然资源局"}, {0, "shengtaiju", "县生态环境分局"},
    {0, "wenlvju", "县文化和旅游局"},     {0, "shichangju", "县市场监督管理局"},
    {0, "shenjiju", "县审计局"},          {0, "tongjiju", "县统计局"},
    {0, "yibaoju", "县医疗保障局"},       {0, "tuiyiju", "县退役军人事务局"},
    {0, "sifaju", "县司法局"},            {0, "shangwuju", "县商务局"},
    {0, "chengguanju", "县综合行政执法局"}, {0, "jiaotongju", "县交通运输局"},
};
enum { NMORE = sizeof more_units / sizeof more_units[0] };

typedef struct {
    const char *item, *kind, *unit, *basis;
    int64_t qty_milli, price; /* per project, scaled by the project's size below */
} line_tpl;

typedef struct {
    const char *cls, *name;
    const char *per;     /* what the unit cost is per, the 数量指标's unit: 人 户 处 … */
    const char *count;   /* the 数量指标's name */
    const char *cost;    /* the 单位成本 indicator's name */
    const char *quality, *effect, *effect_l2;
    line_tpl lines[3];
} project_tpl;

static const project_tpl tpls[] = {
    {"personnel", "在职人员工资福利", "人", "保障在职人数", "人均人员经费", "工资按时足额发放率",
     "干部队伍稳定性", "社会效益指标",
     {{"基本工资", "人员经费", "人月", "标准：工资标准表", 480000, 420000},
      {"津贴补贴", "人员经费", "人月", "标准：县定津补贴标准", 480000, 180000},
      {"社会保障缴费", "人员经费", "人月", "标准：缴费基数×比例", 480000, 156000}}},
    {"public_funds", "机关日常公用经费", "人", "保障在编人数", "人均公用经费", "经费支出合规率",
     "机关运转保障水平", "可持续影响指标",
     {{"办公费", "公用经费", "人", "标准：县定公用经费定额", 40000, 120000},
      {"差旅费", "差旅", "人次", "标准：差旅费管理办法", 200000, 45000},
      {"印刷费", "印刷", "册", "询价：定点印刷厂", 2000000, 1500}}},
    {"other_operating", "信息系统运行维护", "套", "运维系统数量", "单套系统运维成本", "系统正常运行率",
     "业务办理效率提升", "社会效益指标",
     {{"系统运维服务", "委托业务", "套", "询价：三家服务商报价", 3000, 4800000},
      {"设备维修", "其他", "台", "历史成本：近三年平均", 10000, 80000},
      {"网络租赁", "其他", "月", "合同：运营商协议价", 12000, 350000}}},
    {"special_fund", "困难群众救助补助", "户", "补助对象数量", "户均补助标准", "资金发放准确率",
     "困难群众基本生活保障", "社会效益指标",
     {{"生活补助", "补助", "户", "标准：县定救助标准", 300000, 360000},
      {"慰问物资", "物资", "份", "询价：政府采购网", 300000, 20000},
      {"政策宣传印刷", "印刷", "份", "询价：定点印刷厂", 5000000, 120}}},
    {"special_fund", "业务骨干能力提升培训", "人", "培训人数", "人均培训成本", "培训考核合格率",
     "业务能力提升", "社会效益指标",
     {{"学员食宿", "培训", "人", "标准：培训费管理办法", 400000, 30000},
      {"讲课费", "劳务", "学时", "标准：讲课费500元/学时", 60000, 50000},
      {"培训资料", "印刷", "册", "询价：定点印刷厂", 400000, 2500}}},
    {"other_special", "基础设施维修改造", "处", "改造点位数量", "单位工程造价", "工程验收合格率",
     "群众出行条件改善", "社会效益指标",
     {{"土建工程", "工程", "处", "概算：工程量清单", 6000, 12000000},
      {"设备购置", "设备购置", "台", "询价：三家供应商", 12000, 650000},
      {"工程监理", "委托业务", "项", "标准：监理取费标准", 1000, 1800000}}},
    {"other_special", "专项业务工作经费", "次", "开展专项行动次数", "单次行动成本", "任务完成率",
     "专项工作成效", "社会效益指标",
     {{"专项行动组织实施", "委托业务", "次", "询价：三家机构报价", 12000, 4500000},
      {"执法装备购置", "设备购置", "套", "询价：政府采购网", 20000, 280000},
      {"宣传材料", "印刷", "份", "询价：定点印刷厂", 10000000, 80}}},
};
enum { NTPL = sizeof tpls / sizeof tpls[0] };

typedef struct {
    app *ap;
    arena *a;
    mech_demo_county *c;
    demo_rng rng;
    store_tx *tx; /* the project's one write transaction */
    principal reviewers[2], firm[3], approver;
    int64_t t;
    int projects, rounds2, rounds3, returned, published, approved, cut, drafts_failing, stored,
        in_review, assessed, assess_adjusted, assess_rejected;
    int64_t requested, approved_fen;
    /* each unit's finance clerk, who reports the year's 执行监控 */
    int64_t clerk_unit[64];
    principal clerks[64];
    int nclerks, monitored, flagged_yellow, flagged_red;
} demo_ctx;

/* The clock moves on up to an hour per step, so events keep their order. */
static void tick(demo_ctx *d)
{
    d->t += 600 + demo_below(&d->rng, 2400);
    clock_fix(d->t);
}

/* A project's input from a template, scaled (1 … 4) and costed exactly. */
static void build(demo_ctx *d, const project_tpl *tp, int64_t unit_id, const char *unit_name,
                  int scale, const char *suffix, budget_input *in)
{
    arena *a = d->a;
    memset(in, 0, sizeof *in);
    in->lines = arena_alloc(a, 4 * sizeof *in->lines);
    in->parent = arena_alloc(a, 4 * sizeof *in->parent);
    int64_t total = 0, qty = 0;
    for (int i = 0; i < 3; i++) {
        const line_tpl *l = &tp->lines[i];
        int64_t q = l->qty_milli * scale, amount;
        money_line_amount(q, l->price, &amount);
        in->lines[i] = (store_budget_line){.item = l->item, .kind = l->kind, .qty_milli = q,
                                           .measure_unit = l->unit, .price = l->price,
                                           .amount = amount, .basis = l->basis};
        in->parent[i] = -1;
        total += amount;
        if (i == 0) qty = q; /* the first line counts what the unit cost is per */
    }
    in->nlines = 3;
    /* personnel count months: the persons are a twelfth of the person-months */
    int64_t persons = strcmp(tp->lines[0].unit, "人月") == 0 ? qty / 12 : qty;
    char total_wan[40], unit_cost[40], count[40];
    money_format(total, 6, total_wan, sizeof total_wan); /* fen → 万元 with 6 digits */
    money_format(persons, 3, count, sizeof count);
    int64_t uc = (total * 1000 + persons / 2) / persons; /* fen per unit, rounded */
    money_yuan(uc, unit_cost, sizeof unit_cost);
    in->indicators = arena_alloc(a, 8 * sizeof *in->indicators);
    store_budget_indicator *x = in->indicators;
    x[0] = (store_budget_indicator){.level1 = "成本指标", .level2 = "经济成本", .cost_kind = "总成本",
                                    .name = "项目总成本", .comparison = "≤",
                                    .target = arena_strdup(a, total_wan), .measure_unit = "万元",
                                    .weight_milli = 15000, .method = "以项目测算表合计数为准"};
    x[1] = (store_budget_indicator){.level1 = "成本指标", .level2 = "经济成本", .cost_kind = "单位成本",
                                    .name = tp->cost, .comparison = "≤",
                                    .target = arena_strdup(a, unit_cost),
                                    .measure_unit = arena_sprintf(a, "元/%s", tp->per),
                                    .weight_milli = 10000, .method = "总成本除以数量"};
    x[2] = (store_budget_indicator){.level1 = "成本指标", .level2 = "社会成本", .cost_kind = "",
                                    .name = "对社会发展可能造成的负面影响", .comparison = "定性",
                                    .target = "好", .measure_unit = "", .weight_milli = 5000,
                                    .method = "社会调查"};
    x[3] = (store_budget_indicator){.level1 = "产出指标", .level2 = "数量指标", .cost_kind = "",
                                    .name = tp->count, .comparison = "≥",
                                    .target = arena_strdup(a, count), .measure_unit = tp->per,
                                    .weight_milli = 20000, .method = "台账统计"};
    x[4] = (store_budget_indicator){.level1 = "产出指标", .level2 = "质量指标", .cost_kind = "",
                                    .name = tp->quality, .comparison = "≥", .target = "98",
                                    .measure_unit = "%", .weight_milli = 15000,
                                    .method = "抽查核验"};
    x[5] = (store_budget_indicator){.level1 = "产出指标", .level2 = "时效指标", .cost_kind = "",
                                    .name = "资金支付及时率", .comparison = "≥", .target = "95",
                                    .measure_unit = "%", .weight_milli = 10000,
                                    .method = "国库支付记录"};
    x[6] = (store_budget_indicator){.level1 = "效益指标", .level2 = tp->effect_l2, .cost_kind = "",
                                    .name = tp->effect, .comparison = "定性", .target = "好",
                                    .measure_unit = "", .weight_milli = 15000,
                                    .method = "跟踪评价"};
    x[7] = (store_budget_indicator){.level1 = "满意度指标", .level2 = "服务对象满意度指标",
                                    .cost_kind = "", .name = "服务对象满意度", .comparison = "≥",
                                    .target = arena_strdup(a, scale % 2 ? "90" : "95"),
                                    .measure_unit = "%", .weight_milli = 10000,
                                    .method = "问卷调查"};
    in->nindicators = 8;
    /* the sources: carry-over for some, the rest from this year's appropriation */
    int64_t carry = scale == 3 ? total / 5 : 0;
    in->p = (store_budget_project){
        .year = 2024, .unit_id = unit_id, .impl_unit = unit_name,
        .name = arena_sprintf(a, "2024年%s%s", tp->name, suffix),
        .class_ = tp->cls, .is_new = scale % 3 == 1, .start_year = 2024, .end_year = 2024,
        .fund_fiscal = total - carry, .fund_carryover = carry, .fund_other = 0,
        .goal = arena_sprintf(a, "%s：%s达到%s%s，总成本控制在%s万元以内，服务对象满意度达到%s%%以上。",
                              tp->name, tp->count, count, tp->per, total_wan, x[7].target),
        .contact = "财务股", .phone = "0534-5200000"};
}

static err_code act(demo_ctx *d, const principal *p, int64_t id, const char *action,
                    json_t *fields, const budget_opinion_input *ops, size_t nops,
                    store_budget_project *out)
{
    tick(d);
    budget_action_input in = {action, fields, ops, nops, BUDGET_VERSION_ANY};
    flow_refusal why;
    budget_gate_result gate;
    err_code e = budget_act_in(d->tx, d->ap, d->a, p, id, &in, out, &why, &gate);
    json_decref(fields);
    if (e != E_OK)
        fprintf(stderr, "budget demo: %s on %lld: %s %s\n", action, (long long)id, why.field,
                why.message[0] ? why.message : err_message(e));
    return e;
}

/* Saves the input (as the clerk), optionally first with a mistake the gate catches. */
static err_code save(demo_ctx *d, const principal *clerk, int64_t id, budget_input *in,
                     int mistake, store_budget_project *out)
{
    budget_gate_result gate;
    const char *field;
    if (mistake) {
        budget_input wrong = *in;
        store_budget_line *lines = arena_alloc(d->a, 4 * sizeof *lines);
        store_budget_indicator *inds = arena_alloc(d->a, 8 * sizeof *inds);
        memcpy(lines, in->lines, 3 * sizeof *lines);
        memcpy(inds, in->indicators, 8 * sizeof *inds);
        wrong.lines = lines;
        wrong.indicators = inds;
        switch (mistake % 4) {
        case 0: lines[1].amount += 100; break;           /* 金额 ≠ 数量 × 单价 */
        case 1: inds[4].target = "按要求"; break;         /* a target that is no number */
        case 2: lines[2].basis = ""; break;               /* no 测算依据 */
        default: inds[7].weight_milli = 5000; break;      /* weights 95 */
        }
        tick(d);
        err_code e = budget_save_in(d->tx, d->ap, d->a, clerk, id, &wrong, out, &gate, &field);
        if (e != E_OK) return e;
        id = out->id;
        in->version = out->version;
    }
    tick(d);
    err_code e = budget_save_in(d->tx, d->ap, d->a, clerk, id, in, out, &gate, &field);
    if (e != E_OK) fprintf(stderr, "budget demo: save %s: %s\n", in->p.name, field ? field : "");
    in->version = out->version;
    return e;
}

static json_t *opinion(const char *text)
{
    return json_pack("{ss}", "opinion", text);
}

/* One project from draft to where the dice say it stands now. */
static err_code run_project(demo_ctx *d, const principal *clerk, const principal *head,
                            const project_tpl *tp, const demo_unit *u, int scale,
                            const char *suffix, int own_finance)
{
    budget_input in;
    build(d, tp, u->id, u->name, scale, suffix, &in);
    store_budget_project pr;
    int fate = demo_below(&d->rng, 100);
    int mistakes = fate % 3 == 0;
    err_code e = save(d, clerk, 0, &in, mistakes ? fate : 0, &pr);
    if (e != E_OK) return e;
    d->projects++;
    d->requested += pr.fund_fiscal + pr.fund_carryover + pr.fund_other;
    if (fate < 8) { /* a draft still failing the gate */
        budget_input bad = in;
        store_budget_indicator *inds = arena_alloc(d->a, 8 * sizeof *inds);
        memcpy(inds, in.indicators, 8 * sizeof *inds);
        inds[fate % 2 ? 0 : 3].target = fate % 2 ? "100" : "较好";
        bad.indicators = inds;
        d->drafts_failing++;
        return save(d, clerk, pr.id, &bad, 0, &pr);
    }
    if (fate < 12) return E_OK; /* a passing draft not yet submitted */
    /* 事前绩效评估 of new and large projects, by the finance bureau (not of its own) */
    int64_t req = pr.fund_fiscal + pr.fund_carryover + pr.fund_other;
    if (pr.is_new || req >= 500000000) {
        if (own_finance) return E_OK;
        int verdict = demo_below(&d->rng, 100);
        const char *g = verdict < 5 ? "差" : verdict < 15 ? "中" : verdict < 60 ? "良" : "优";
        budget_assessment_input ai = {
            {"优", g, "良", verdict < 5 ? "差" : "良", "优"},
            verdict < 5 ? "不予支持" : verdict < 15 ? "调整后支持" : "予以支持",
            verdict < 5    ? "立项依据不充分，投入经济性差，建议不予安排"
            : verdict < 15 ? "单价依据不足，请补充询价后调整测算"
                           : ""};
        store_budget_assessment res;
        const char *field;
        tick(d);
        err_code ae = budget_assess_in(d->tx, d->ap, d->a, &d->reviewers[fate % 2], pr.id, &ai,
                                       &pr, &res, &field);
        if (ae != E_OK) return ae;
        d->assessed++;
        if (verdict < 5) return d->assess_rejected++, E_OK; /* 不予支持: it stops here */
        if (verdict < 15) { /* 调整后支持: the department adjusts and saves */
            d->assess_adjusted++;
            in.version = pr.version;
            if ((e = save(d, clerk, pr.id, &in, 0, &pr)) != E_OK) return e;
        }
    }
    int rounds = fate < 62 ? 1 : fate < 90 ? 2 : 3;
    int stop = fate < 16 ? 1 : fate < 20 ? 2 : fate < 26 ? 3 : fate < 30 ? 4 : 9;
    if (own_finance && stop > 2) stop = 2; /* the bureau does not review its own projects */
    const principal *fin = &d->reviewers[fate % 2], *tp3 = &d->firm[fate % 3];
    for (int r = 1; r <= rounds; r++) {
        if ((e = act(d, clerk, pr.id, "submit", r > 1 ? json_pack("{ss}", "note", "已按评审意见修改") : NULL, NULL,
                     0, &pr)) != E_OK)
            return e;
        if (stop == 1) return E_OK;
        if ((e = act(d, head, pr.id, "dept_approve", opinion("同意申报"), NULL, 0, &pr)) != E_OK)
            return e;
        if (stop == 2) return d->in_review++, E_OK;
        json_t *f = json_pack("{sI ss}", "reviewer_id", (json_int_t)tp3->user_id, "opinion",
                              "请重点审核测算依据和成本指标");
        if ((e = act(d, fin, pr.id, "assign", f, NULL, 0, &pr)) != E_OK) return e;
        if (stop == 3 && r == rounds) return d->in_review++, E_OK;
        int last = r == rounds;
        budget_opinion_input ops[2] = {{"line:1", "单价高于同类项目历史成本，请补充询价依据"},
                                       {"indicator:4", "数量指标目标值偏低，应与测算数量一致"}};
        f = json_pack("{ss ss}", "conclusion", last ? "通过" : "修改后通过", "opinion",
                      last ? "测算依据充分，成本指标设置合理" : "部分单价偏高，目标值需细化");
        if ((e = act(d, tp3, pr.id, "third_party_review", f, last ? NULL : ops, last ? 0 : 2,
                     &pr)) != E_OK)
            return e;
        if (stop == 4 && last) return d->in_review++, E_OK;
        if (!last) {
            if ((e = act(d, fin, pr.id, "return", opinion("请按第三方评审意见修改后重新报送"), NULL,
                         0, &pr)) != E_OK)
                return e;
            d->returned++;
            if (fate % 7 == 0 && r == 1 && rounds == 2) return E_OK; /* still being revised */
            /* the revision: a cheaper first line, the targets following it */
            in.lines[0].price -= in.lines[0].price / 20;
            money_line_amount(in.lines[0].qty_milli, in.lines[0].price, &in.lines[0].amount);
            budget_input again;
            build(d, tp, u->id, u->name, scale, suffix, &again);
            again.lines[0] = in.lines[0];
            int64_t total = again.lines[0].amount + again.lines[1].amount + again.lines[2].amount;
            char wan[40], uc[40];
            money_format(total, 6, wan, sizeof wan);
            int64_t per = strcmp(tp->lines[0].unit, "人月") == 0 ? again.lines[0].qty_milli / 12
                                                                  : again.lines[0].qty_milli;
            money_yuan((total * 1000 + per / 2) / per, uc, sizeof uc);
            again.indicators[0].target = arena_strdup(d->a, wan);
            again.indicators[1].target = arena_strdup(d->a, uc);
            int64_t carry = again.p.fund_carryover;
            again.p.fund_fiscal = total - carry;
            again.version = pr.version;
            in = again;
            if ((e = save(d, clerk, pr.id, &in, fate + r, &pr)) != E_OK) return e;
        }
    }
    if ((e = act(d, fin, pr.id, "pass", opinion("同意纳入项目库"), NULL, 0, &pr)) != E_OK) return e;
    d->stored++;
    if (rounds == 2) d->rounds2++;
    if (rounds == 3) d->rounds3++;
    if (fate % 5 == 4) return E_OK; /* 入库, not yet approved */
    req = pr.fund_fiscal + pr.fund_carryover + pr.fund_other;
    int cut = fate % 4 == 1;
    int64_t amount = cut ? req - req / 10 / 100 * 100 : req;
    char yuan[40];
    money_yuan(amount, yuan, sizeof yuan);
    json_t *f = cut ? json_pack("{ss ss}", "approved_amount", yuan, "note",
                                "按财政承受能力压减10%，数量指标按比例相应调减")
                    : json_pack("{ss}", "approved_amount", yuan);
    if ((e = act(d, &d->approver, pr.id, "approve", f, NULL, 0, &pr)) != E_OK) return e;
    d->approved++;
    d->cut += cut;
    d->approved_fen += amount;
    if (fate % 5 == 3) return E_OK;
    if ((e = act(d, &d->approver, pr.id, "publish", NULL, NULL, 0, &pr)) != E_OK) return e;
    d->published++;
    return E_OK;
}

typedef struct {
    demo_ctx *d;
    const principal *clerk, *head;
    const project_tpl *tp;
    const demo_unit *u;
    int scale, own_finance;
    const char *suffix;
} project_job;

static err_code project_fn(store_tx *tx, void *ctx)
{
    project_job *j = ctx;
    j->d->tx = tx;
    return run_project(j->d, j->clerk, j->head, j->tp, j->u, j->scale, j->suffix, j->own_finance);
}

static err_code fill(demo_ctx *d)
{
    mech_demo_county *c = d->c;
    err_code e;
    /* the units: the county's departments and the further budget units */
    demo_unit *units = arena_alloc(d->a, (size_t)(c->ndept + NMORE) * sizeof *units);
    int n = 0;
    int64_t finance = 0;
    for (int i = 0; i < c->ndept; i++) {
        units[n++] = c->depts[i];
        if (strcmp(c->depts[i].code, "caizhengju") == 0) finance = c->depts[i].id;
    }
    for (int i = 0; i < NMORE; i++) {
        org_unit_input ui = {more_units[i].code, more_units[i].name, "department", c->root};
        store_unit su;
        const char *field;
        if ((e = org_unit_add(d->ap, d->a, &c->sys, &ui, &su, &field)) != E_OK) return e;
        units[n++] = (demo_unit){su.id, more_units[i].code, more_units[i].name};
    }
    org_unit_input fi = {"zhengheng", "山东正衡项目管理咨询有限公司", "third_party", c->root};
    store_unit firm;
    const char *field;
    if ((e = org_unit_add(d->ap, d->a, &c->sys, &fi, &firm, &field)) != E_OK) return e;
    if (!finance) finance = c->root;
    if ((e = demo_account(c, "yusuanke", "高建华", finance, "budget_reviewer", c->root,
                          &d->reviewers[0])) != E_OK ||
        (e = demo_account(c, "jixiaoke", "秦雪梅", finance, "budget_reviewer", c->root,
                          &d->reviewers[1])) != E_OK ||
        (e = demo_account(c, "czpifu", "韩振东", finance, "budget_approver", c->root,
                          &d->approver)) != E_OK)
        return e;
    static const char *const firm_names[3] = {"田志刚", "邵丽娟", "薛明"};
    for (int i = 0; i < 3; i++)
        if ((e = demo_account(c, arena_sprintf(d->a, "pingshen%d", i + 1), firm_names[i], firm.id,
                              "budget_third_party", c->root, &d->firm[i])) != E_OK)
            return e;
    for (int i = 0; i < n; i++) {
        principal clerk, head;
        /* the county's departments have their 经办人 (<code>01) already: they keep the books */
        const char *clerk_login = i < c->ndept ? arena_sprintf(d->a, "%s01", units[i].code)
                                               : arena_sprintf(d->a, "%s_cw", units[i].code);
        if ((e = demo_account(c, clerk_login, demo_staff_name(60 + i), units[i].id,
                              "budget_applicant", units[i].id, &clerk)) != E_OK ||
            (e = demo_account(c, arena_sprintf(d->a, "%s_fz", units[i].code),
                              demo_staff_name(90 + i % 30), units[i].id, "budget_dept_head",
                              units[i].id, &head)) != E_OK)
            return e;
        if (d->nclerks < 64) {
            d->clerk_unit[d->nclerks] = units[i].id;
            d->clerks[d->nclerks++] = clerk;
        }
        /* every unit has its people and its running costs, and a few of its own projects */
        int nproj = 8 + demo_below(&d->rng, 5), used[NTPL] = {0};
        static const char *const phases[] = {"", "（二期）", "（三期）", "（四期）", "（五期）"};
        for (int k = 0; k < nproj; k++) {
            int t = k < 2 ? k : 2 + demo_below(&d->rng, NTPL - 2);
            if (used[t] >= 5) t = 2;
            const char *suffix = phases[used[t]++ % 5];
            int scale = 1 + demo_below(&d->rng, 4);
            project_job job = {d,     &clerk, &head, &tpls[t], &units[i],
                               scale, units[i].id == finance, suffix};
            e = store_write(d->ap->st, project_fn, &job);
            if (e != E_OK) return e;
        }
    }
    return E_OK;
}

/*
 * 执行监控 at mid-year 2024: every approved project's clerk reports the end of March and of June;
 * most are on schedule, some a little behind (黄) and a few far behind (红), those with the
 * department's explanation and measures; the first 产出 quantity indicator's progress follows
 * the spending.
 */
static err_code monitor_fn(store_tx *tx, void *ctx)
{
    demo_ctx *d = ctx;
    store_budget_filter f = {.year = 2024, .has_cost = -1, .first_pass = -1, .limit = 100000};
    store_budget_project *ps;
    size_t n;
    int64_t total;
    err_code e = store_budget_list(tx, d->a, &f, &ps, &n, &total);
    static const char *const why[] = {"政府采购流程较长，合同尚未签订", "项目实施受天气影响，工程进度滞后",
                                      "补助对象审核尚未完成，资金未拨付"};
    static const char *const fix[] = {"7月底前完成采购并支付合同首付款", "增加施工力量，按周调度工程进度",
                                      "8月上旬完成审核并一次性拨付到位"};
    for (size_t i = 0; e == E_OK && i < n; i++) {
        const store_budget_project *pr = &ps[i];
        if (strcmp(pr->state, "approved") != 0 && strcmp(pr->state, "published") != 0) continue;
        const principal *clerk = NULL;
        for (int k = 0; k < d->nclerks; k++)
            if (d->clerk_unit[k] == pr->unit_id) clerk = &d->clerks[k];
        if (!clerk) continue;
        store_budget_indicator *inds;
        size_t ni;
        if ((e = store_budget_indicators(tx, d->a, pr->id, &inds, &ni)) != E_OK) break;
        const store_budget_indicator *out = NULL;
        int64_t target = 0;
        for (size_t k = 0; k < ni && !out; k++)
            if (strcmp(inds[k].level1, "产出指标") == 0 && strcmp(inds[k].comparison, "≥") == 0 &&
                money_parse(inds[k].target, 3, BUDGET_QTY_MAX, &target) == 0)
                out = &inds[k];
        int pace = demo_below(&d->rng, 10); /* 0-6 on schedule, 7-8 behind, 9 far behind */
        static const int months[2] = {3, 6};
        for (int m = 0; e == E_OK && m < 2; m++) {
            int64_t time = months[m] * 1000 / 12;
            int64_t rate = pace < 7 ? time - 60 + demo_below(&d->rng, 120)
                           : pace < 9 ? time - 300 : time - 450;
            if (rate < 0) rate = 0;
            int64_t spent = (int64_t)((__int128)pr->approved_amount * rate / 1000);
            char actual[40];
            budget_monitor_value_input v = {0};
            if (out) {
                money_format(target * rate / 1000, 3, actual, sizeof actual);
                v = (budget_monitor_value_input){out->id, actual};
            }
            int late = pace >= 7;
            budget_monitor_input in = {months[m], spent, &v, out ? 1 : 0,
                                       late ? why[pace % 3] : "", late ? fix[pace % 3] : ""};
            store_budget_monitor res;
            const char *field, *msg;
            tick(d);
            e = budget_monitor_report_in(tx, d->ap, d->a, clerk, pr->id, &in, &res, &field, &msg);
            if (e != E_OK) break;
            if (m == 1) {
                d->monitored++;
                d->flagged_yellow += strcmp(res.flag, "yellow") == 0;
                d->flagged_red += strcmp(res.flag, "red") == 0;
            }
        }
    }
    return e;
}

err_code budget_demo(app *ap, mech_demo_county *c, FILE *out)
{
    demo_ctx d = {.ap = ap, .a = c->a, .c = c, .rng = {c->opt->seed * 2654435761u + 13u}};
    int64_t start;
    clock_parse_instant("2023-09-04T09:00:00+08:00", &start);
    d.t = start;
    clock_fix(d.t);
    err_code e = fill(&d);
    if (e == E_OK) {
        clock_parse_instant("2024-07-05T09:00:00+08:00", &d.t);
        clock_fix(d.t);
        e = store_write(ap->st, monitor_fn, &d);
    }
    clock_fix(0);
    if (e != E_OK) return e;
    char req[40], appr[40];
    money_yuan(d.requested, req, sizeof req);
    money_yuan(d.approved_fen, appr, sizeof appr);
    fprintf(out,
            "budget: 2024 budget preparation of %d units: %d projects (%s 元 requested), %d drafts "
            "failing the gate, %d in review, %d returned, %d entered the library (%d in two rounds, "
            "%d in three), %d approved (%d cut; %s 元), %d published; 事前评估 of %d (%d 调整后支持, "
            "%d 不予支持)\n",
            c->ndept + NMORE, d.projects, req, d.drafts_failing, d.in_review, d.returned, d.stored,
            d.rounds2, d.rounds3, d.approved, d.cut, appr, d.published, d.assessed,
            d.assess_adjusted, d.assess_rejected);
    fprintf(out, "  执行监控 at the end of June 2024: %d approved projects reported, %d flagged 黄, %d 红\n",
            d.monitored, d.flagged_yellow, d.flagged_red);
    fprintf(out, "  yusuanke / jixiaoke  财政局 预算科 / 绩效科 (review, assign the third party, pass or return)\n");
    fprintf(out, "  czpifu      财政局 批复 and publication\n");
    fprintf(out, "  pingshen1..3  山东正衡项目管理咨询有限公司 第三方评审 (only their assigned projects)\n");
    fprintf(out, "  <department>01 (the county's departments) or <department>_cw (the further budget units, e.g. shuiliju_cw)  finance staff (编报)\n");
    fprintf(out, "  <department>_fz, e.g. jiaotiju_fz  the department head (单位审核)\n");
    return E_OK;
}
