/*
 * budget — saving projects with their cost sheets and targets, and taking flow actions on them
 * (see budget.h). Each change is one write transaction: load the project, check the caller's
 * permission over its unit as the tree stands inside the transaction, check the version, run
 * the gate or the flow's guards, write, record the flow event and the audit record.
 */
#include "budget/budget.h"

#include "base/clock.h"
#include "base/jsonx.h"
#include "base/text.h"
#include "budget/money.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char FLOW[] = "budget";

const char *const budget_classes[] = {"personnel", "public_funds", "other_operating",
                                      "special_fund", "other_special", NULL};
const char *const budget_class_titles[] = {"人员类", "运转类·公用经费", "运转类·其他运转类",
                                           "特定目标类·专项资金", "特定目标类·其他特定目标类",
                                           NULL};
const char *const budget_line_kinds[] = {"设备购置", "劳务",     "印刷",     "差旅", "工程",
                                         "会议",     "培训",     "委托业务", "物资", "补助",
                                         "人员经费", "公用经费", "其他",     NULL};

const char *budget_class_title(const char *code)
{
    for (int i = 0; code && budget_classes[i]; i++)
        if (strcmp(budget_classes[i], code) == 0) return budget_class_titles[i];
    return "";
}

static int listed(const char *const *list, const char *s)
{
    for (; s && *list; list++)
        if (strcmp(*list, s) == 0) return 1;
    return 0;
}

const char *budget_stage_of(const char *state)
{
    static const struct {
        const char *state, *stage;
    } stages[] = {{"drafted", "储备"},        {"submitted", "储备"},   {"finance_review", "审核中"},
                  {"third_party", "审核中"},  {"deciding", "审核中"}, {"returned", "审核中"},
                  {"stored", "入库"},         {"approved", "预算批复"}, {"published", "预算批复"},
                  {"terminated", "终止"}};
    for (size_t i = 0; i < sizeof stages / sizeof stages[0]; i++)
        if (strcmp(stages[i].state, state) == 0) return stages[i].stage;
    return "储备";
}

/* ---- checking an input ---- */

static err_code bad(const char **field, const char *name, err_code e)
{
    *field = name;
    return e;
}

err_code budget_check_input(arena *a, const budget_input *in, const char **bad_field)
{
    const store_budget_project *p = &in->p;
    static const struct {
        const char *name;
        size_t off, max;
        int required;
    } texts[] = {
        {"name", offsetof(store_budget_project, name), 100, 1},
        {"impl_unit", offsetof(store_budget_project, impl_unit), 100, 0},
        {"goal", offsetof(store_budget_project, goal), 2000, 0},
        {"contact", offsetof(store_budget_project, contact), 40, 0},
        {"phone", offsetof(store_budget_project, phone), 40, 0},
    };
    *bad_field = NULL;
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        const char *v = *(const char *const *)((const char *)p + texts[i].off);
        err_code e = text_check_field(v, texts[i].max, texts[i].required);
        if (e != E_OK) return bad(bad_field, texts[i].name, e);
    }
    if (!listed(budget_classes, p->class_)) return bad(bad_field, "class", E_FIELD_INVALID);
    if (p->year < 2000 || p->year > 2100) return bad(bad_field, "year", E_FIELD_INVALID);
    if (p->start_year < 2000 || p->start_year > p->year)
        return bad(bad_field, "start_year", E_FIELD_INVALID);
    if (p->end_year < p->year || p->end_year > p->start_year + 20)
        return bad(bad_field, "end_year", E_FIELD_INVALID);
    int64_t sum;
    if (money_add(p->fund_fiscal, p->fund_carryover, &sum) || money_add(sum, p->fund_other, &sum))
        return bad(bad_field, "fund_fiscal", E_FIELD_INVALID);
    if (in->nlines > 500) return bad(bad_field, "lines", E_FIELD_TOO_LONG);
    if (in->nindicators > 200) return bad(bad_field, "indicators", E_FIELD_TOO_LONG);
    for (size_t i = 0; i < in->nlines; i++) {
        const store_budget_line *l = &in->lines[i];
        int n = (int)i + 1;
        if (text_check_field(l->item, 200, 0) != E_OK)
            return bad(bad_field, arena_sprintf(a, "line:%d:item", n), E_FIELD_INVALID);
        if (!listed(budget_line_kinds, l->kind))
            return bad(bad_field, arena_sprintf(a, "line:%d:kind", n), E_FIELD_INVALID);
        if (text_check_field(l->measure_unit, 20, 0) != E_OK)
            return bad(bad_field, arena_sprintf(a, "line:%d:measure_unit", n), E_FIELD_INVALID);
        if (text_check_field(l->basis, 500, 0) != E_OK)
            return bad(bad_field, arena_sprintf(a, "line:%d:basis", n), E_FIELD_INVALID);
        if (l->price < 0 || l->price > BUDGET_FEN_MAX)
            return bad(bad_field, arena_sprintf(a, "line:%d:price", n), E_FIELD_INVALID);
        if (l->amount < 0 || l->amount > BUDGET_FEN_MAX)
            return bad(bad_field, arena_sprintf(a, "line:%d:amount", n), E_FIELD_INVALID);
        if (l->qty_milli < 0 || l->qty_milli > BUDGET_QTY_MAX)
            return bad(bad_field, arena_sprintf(a, "line:%d:quantity", n), E_FIELD_INVALID);
    }
    for (size_t i = 0; i < in->nindicators; i++) {
        const store_budget_indicator *d = &in->indicators[i];
        int n = (int)i + 1;
        if (!budget_level2_valid(d->level1, d->level2, ""))
            return bad(bad_field, arena_sprintf(a, "indicator:%d:level2", n), E_FIELD_INVALID);
        if (!budget_level2_valid(d->level1, d->level2, d->cost_kind))
            return bad(bad_field, arena_sprintf(a, "indicator:%d:cost_kind", n), E_FIELD_INVALID);
        if (!budget_comparison_valid(d->comparison))
            return bad(bad_field, arena_sprintf(a, "indicator:%d:comparison", n), E_FIELD_INVALID);
        const char *tx[] = {d->name, d->target, d->measure_unit, d->method};
        const char *nm[] = {"name", "target", "measure_unit", "method"};
        const size_t mx[] = {100, 40, 20, 500};
        for (int k = 0; k < 4; k++)
            if (text_check_field(tx[k], mx[k], 0) != E_OK)
                return bad(bad_field, arena_sprintf(a, "indicator:%d:%s", n, nm[k]),
                           E_FIELD_INVALID);
        if (d->weight_milli < 0 || d->weight_milli > 100000)
            return bad(bad_field, arena_sprintf(a, "indicator:%d:weight", n), E_FIELD_INVALID);
    }
    return E_OK;
}

/* ---- the gate over rows ---- */

static void gate_of(arena *a, const store_budget_project *p, const store_budget_line *lines,
                    const int *parent, size_t nlines, const store_budget_indicator *inds,
                    size_t ninds, const budget_gate_env *env, budget_gate_result *out)
{
    budget_line *gl = arena_alloc(a, (nlines + 1) * sizeof *gl);
    for (size_t i = 0; i < nlines; i++)
        gl[i] = (budget_line){parent[i],         lines[i].item,      lines[i].kind,
                              lines[i].measure_unit, lines[i].basis, lines[i].qty_milli,
                              lines[i].price,    lines[i].amount};
    budget_indicator *gi = arena_alloc(a, (ninds + 1) * sizeof *gi);
    for (size_t i = 0; i < ninds; i++)
        gi[i] = (budget_indicator){inds[i].level1,     inds[i].level2, inds[i].cost_kind,
                                   inds[i].name,       inds[i].comparison, inds[i].target,
                                   inds[i].measure_unit, inds[i].method, inds[i].weight_milli};
    budget_gate_input in = {p->fund_fiscal + p->fund_carryover + p->fund_other,
                            gl,
                            nlines,
                            gi,
                            ninds,
                            env->tolerance,
                            (int)p->is_new,
                            env->threshold,
                            env->assessment};
    budget_gate(a, &in, out);
}

static int64_t requested_of(const store_budget_project *p)
{
    return p->fund_fiscal + p->fund_carryover + p->fund_other;
}

err_code budget_gate_env_get(store_tx *tx, arena *a, const store_budget_project *pr, int saving,
                             budget_gate_env *env)
{
    *env = (budget_gate_env){.assessment = BUDGET_ASSESS_NONE};
    err_code e = store_budget_setting(tx, "unit_cost_tolerance_permille", 10, &env->tolerance);
    if (e == E_OK) e = store_budget_setting(tx, "assessment_threshold_fen", 0, &env->threshold);
    if (e != E_OK || !pr || !pr->id) return e;
    store_budget_assessment x;
    e = store_budget_assessment_latest(tx, a, pr->id, &x);
    if (e == E_NOT_FOUND) return E_OK;
    if (e != E_OK) return e;
    if (strcmp(x.conclusion, "予以支持") == 0) env->assessment = BUDGET_ASSESS_PASSED;
    else if (strcmp(x.conclusion, "不予支持") == 0) env->assessment = BUDGET_ASSESS_REJECTED;
    else env->assessment = saving || pr->version > x.project_version ? BUDGET_ASSESS_PASSED
                                                                      : BUDGET_ASSESS_ADJUST;
    return E_OK;
}

void budget_gate_stored(arena *a, const store_budget_project *p, const store_budget_line *lines,
                        size_t nlines, const store_budget_indicator *inds, size_t ninds,
                        const budget_gate_env *env, budget_gate_result *out)
{
    int *parent = arena_alloc(a, (nlines + 1) * sizeof *parent);
    for (size_t i = 0; i < nlines; i++) {
        parent[i] = -1;
        for (size_t k = 0; k < i && lines[i].parent_id; k++)
            if (lines[k].id == lines[i].parent_id) parent[i] = (int)k;
    }
    gate_of(a, p, lines, parent, nlines, inds, ninds, env, out);
}

static int has_cost_target(const store_budget_indicator *d, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(d[i].level1, "成本指标") == 0) return 1;
    return 0;
}

/* ---- JSON of the sheet (API replies and round snapshots) ---- */

static json_t *line_json(const store_budget_line *l)
{
    char q[40];
    money_format(l->qty_milli, 3, q, sizeof q);
    return json_pack("{ss ss ss ss sI sI ss so}", "item", l->item, "kind", l->kind, "quantity",
                     l->qty_milli ? q : "", "measure_unit", l->measure_unit, "price",
                     (json_int_t)l->price, "amount", (json_int_t)l->amount, "basis", l->basis,
                     "children", json_array());
}

json_t *budget_lines_json(const store_budget_line *lines, size_t n)
{
    json_t *top = json_array(), *last = NULL;
    for (size_t i = 0; i < n; i++) {
        json_t *j = line_json(&lines[i]);
        if (lines[i].parent_id && last) {
            json_array_append_new(json_object_get(last, "children"), j);
        } else {
            json_array_append_new(top, j);
            last = j;
        }
    }
    return top;
}

json_t *budget_indicators_json(const store_budget_indicator *d, size_t n)
{
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        char w[40];
        money_format(d[i].weight_milli, 3, w, sizeof w);
        json_array_append_new(
            items, json_pack("{ss ss ss ss ss ss ss ss ss}", "level1", d[i].level1, "level2",
                             d[i].level2, "cost_kind", d[i].cost_kind, "name", d[i].name,
                             "comparison", d[i].comparison, "target", d[i].target, "measure_unit",
                             d[i].measure_unit, "weight", w, "method", d[i].method));
    }
    return items;
}

/* ---- saving ---- */

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    int64_t id;
    const budget_input *in;
    store_budget_project *out;
    budget_gate_result *gate;
    const char **bad_field;
} save_op;

static err_code save_fn(store_tx *tx, void *ctx)
{
    save_op *op = ctx;
    const budget_input *in = op->in;
    store_unit unit;
    err_code e = store_unit_get(tx, op->a, in->p.unit_id, &unit);
    if (e == E_NOT_FOUND) return bad(op->bad_field, "unit_id", E_FIELD_INVALID);
    if (e != E_OK) return e;
    if (!authz_can(op->p, "budget.apply", unit.path)) return E_FORBIDDEN;
    store_budget_project *pr = op->out;
    int64_t now = clock_now();
    if (op->id) {
        e = store_budget_get(tx, op->a, op->id, pr);
        if (e != E_OK) return e;
        if (!authz_can(op->p, "budget.apply", pr->unit_path)) return E_FORBIDDEN;
        if (strcmp(pr->state, "drafted") != 0 && strcmp(pr->state, "returned") != 0)
            return E_BUDGET_LOCKED;
        if (in->version != pr->version) return E_CONFLICT;
    } else {
        const flow_def *f = budget_flow_def(op->ap);
        *pr = (store_budget_project){.state = f->states[f->initial].name,
                                     .round = 1,
                                     .approved_amount = -1,
                                     .approval_note = "",
                                     .created_by = op->p->user_id,
                                     .created_at = now};
        pr->stage = budget_stage_of(pr->state);
    }
    pr->year = in->p.year;
    pr->unit_id = in->p.unit_id;
    pr->impl_unit = in->p.impl_unit ? in->p.impl_unit : "";
    pr->name = in->p.name;
    pr->class_ = in->p.class_;
    pr->is_new = in->p.is_new ? 1 : 0;
    pr->start_year = in->p.start_year;
    pr->end_year = in->p.end_year;
    pr->fund_fiscal = in->p.fund_fiscal;
    pr->fund_carryover = in->p.fund_carryover;
    pr->fund_other = in->p.fund_other;
    pr->goal = in->p.goal ? in->p.goal : "";
    pr->contact = in->p.contact ? in->p.contact : "";
    pr->phone = in->p.phone ? in->p.phone : "";
    pr->updated_at = now;
    budget_gate_env env;
    e = budget_gate_env_get(tx, op->a, op->id ? pr : NULL, 1, &env);
    if (e != E_OK) return e;
    gate_of(op->a, pr, in->lines, in->parent, in->nlines, in->indicators, in->nindicators, &env,
            op->gate);
    pr->cost_total = op->gate->sheet_total < 0 ? 0 : op->gate->sheet_total;
    pr->gate_failures = (int64_t)op->gate->n;
    pr->has_cost_target = has_cost_target(in->indicators, in->nindicators);
    if (op->id) e = store_budget_update(tx, pr);
    else e = store_budget_insert(tx, pr);
    if (e == E_DUPLICATE) return bad(op->bad_field, "name", e);
    if (e == E_OK) e = store_budget_lines_set(tx, pr->id, in->lines, in->nlines, in->parent);
    if (e == E_OK) e = store_budget_indicators_set(tx, pr->id, in->indicators, in->nindicators);
    for (size_t i = 0; e == E_OK && i < op->gate->n; i++)
        e = store_budget_gate_event(tx, pr->id, op->gate->items[i].code, now);
    if (e == E_OK && !op->id) {
        store_event ev = {.flow = FLOW,
                          .item_id = pr->id,
                          .action = "create",
                          .from_state = "",
                          .to_state = pr->state,
                          .actor_id = op->p->user_id,
                          .actor = op->p->login,
                          .at = now};
        e = store_event_insert(tx, &ev);
    }
    if (e == E_OK) e = store_budget_get(tx, op->a, pr->id, pr);
    if (e != E_OK) return e;
    return app_audit(op->ap, tx, op->a, op->p, op->id ? "budget.save" : "budget.create",
                     arena_sprintf(op->a, "budget:%lld", (long long)pr->id),
                     json_pack("{ss sI sI sI}", "name", pr->name, "requested",
                               (json_int_t)requested_of(pr), "lines", (json_int_t)in->nlines,
                               "gate_failures", (json_int_t)op->gate->n));
}

/* The one body of budget_save and budget_save_in: tx NULL opens the write transaction. */
static err_code save_run(store_tx *tx, app *ap, arena *a, const principal *p, int64_t id,
                         const budget_input *in, store_budget_project *out,
                         budget_gate_result *gate, const char **bad_field)
{
    memset(gate, 0, sizeof *gate);
    err_code e = budget_check_input(a, in, bad_field);
    if (e != E_OK) return e;
    save_op op = {ap, a, p, id, in, out, gate, bad_field};
    return tx ? save_fn(tx, &op) : store_write(ap->st, save_fn, &op);
}

err_code budget_save(app *ap, arena *a, const principal *p, int64_t id, const budget_input *in,
                     store_budget_project *out, budget_gate_result *gate, const char **bad_field)
{
    return save_run(NULL, ap, a, p, id, in, out, gate, bad_field);
}

err_code budget_save_in(store_tx *tx, app *ap, arena *a, const principal *p, int64_t id,
                        const budget_input *in, store_budget_project *out,
                        budget_gate_result *gate, const char **bad_field)
{
    return save_run(tx, ap, a, p, id, in, out, gate, bad_field);
}

/* ---- reading ---- */

int budget_may_read(store_tx *tx, const principal *p, const store_budget_project *pr)
{
    if (authz_can(p, "budget.read", pr->unit_path)) return 1;
    if (!authz_can(p, "budget.third_party", pr->unit_path)) return 0;
    int yes = 0;
    return store_budget_assigned(tx, pr->id, p->user_id, 0, &yes) == E_OK && yes;
}

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    int64_t id;
    store_budget_project *out;
    const budget_action_input *in;
    flow_refusal *why;
    budget_gate_result *gate;
    store_tx *tx;
} act_op;

static err_code load(store_tx *tx, act_op *op)
{
    err_code e = store_budget_get(tx, op->a, op->id, op->out);
    if (e != E_OK) return e;
    return budget_may_read(tx, op->p, op->out) ? E_OK : E_FORBIDDEN;
}

static err_code get_fn(store_tx *tx, void *ctx)
{
    return load(tx, ctx);
}

err_code budget_get(app *ap, arena *a, const principal *p, int64_t id, store_budget_project *out)
{
    act_op op = {.ap = ap, .a = a, .p = p, .id = id, .out = out};
    return store_read(ap->st, get_fn, &op);
}

/* ---- the flow ---- */

static int64_t last_actor(void *ctx, const char *action)
{
    act_op *op = ctx;
    int64_t who = 0;
    store_event_last_actor(op->tx, FLOW, op->id, action, &who);
    return who;
}

static int64_t last_event(void *ctx, const char *action)
{
    act_op *op = ctx;
    int64_t id = 0;
    store_event_last_id(op->tx, FLOW, op->id, action, &id);
    return id;
}

static flow_item item_of(store_tx *tx, act_op *op)
{
    op->tx = tx;
    return (flow_item){.state = op->out->state,
                       .unit_path = op->out->unit_path,
                       .last_actor = last_actor,
                       .last_event = last_event,
                       .ctx = op};
}

/* The third-party review is the assigned reviewer's alone. */
static int assigned_now(store_tx *tx, act_op *op)
{
    int yes = 0;
    return op->out->reviewer_id == op->p->user_id &&
           store_budget_assigned(tx, op->id, op->p->user_id, op->out->round, &yes) == E_OK && yes;
}

typedef struct {
    act_op *op;
    const flow_action ***out;
    size_t *n;
} actions_ctx;

static err_code actions_fn(store_tx *tx, void *ctx)
{
    actions_ctx *c = ctx;
    const flow_def *f = budget_flow_def(c->op->ap);
    flow_item item = item_of(tx, c->op);
    *c->out = arena_alloc(c->op->a, (f->nactions + 1) * sizeof **c->out);
    *c->n = 0;
    for (size_t i = 0; i < f->nactions; i++) {
        const flow_action *act = &f->actions[i];
        if (!flow_may(f, &item, c->op->p, act)) continue;
        if (strcmp(act->name, "third_party_review") == 0 && !assigned_now(tx, c->op)) continue;
        (*c->out)[(*c->n)++] = act;
    }
    return E_OK;
}

err_code budget_actions(app *ap, arena *a, const principal *p, const store_budget_project *pr,
                        const flow_action ***out, size_t *n)
{
    act_op op = {.ap = ap, .a = a, .p = p, .id = pr->id, .out = (store_budget_project *)pr};
    actions_ctx c = {&op, out, n};
    return store_read(ap->st, actions_fn, &c);
}

static const char *field_text(json_t *fields, const char *name)
{
    json_t *v = json_object_get(fields, name);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static err_code refuse(act_op *op, err_code e, const char *field, const char *message)
{
    snprintf(op->why->field, sizeof op->why->field, "%s", field ? field : "");
    snprintf(op->why->message, sizeof op->why->message, "%s", message ? message : "");
    return e;
}

/* Which side an action's opinions come from. */
static const char *side_of(const char *action)
{
    if (strncmp(action, "dept_", 5) == 0) return "department";
    if (strcmp(action, "third_party_review") == 0) return "third_party";
    if (strcmp(action, "approve") == 0 || strcmp(action, "publish") == 0) return "approver";
    return "finance";
}

/* A round's snapshot: amounts, goal, sheet and targets as submitted. */
static char *snapshot(const store_budget_project *pr, const store_budget_line *lines, size_t nl,
                      const store_budget_indicator *inds, size_t ni)
{
    json_t *j = json_pack("{sI sI sI ss so so}", "fund_fiscal", (json_int_t)pr->fund_fiscal,
                          "fund_carryover", (json_int_t)pr->fund_carryover, "fund_other",
                          (json_int_t)pr->fund_other, "goal", pr->goal, "lines",
                          budget_lines_json(lines, nl), "indicators",
                          budget_indicators_json(inds, ni));
    char *s = jsonx_dump(j);
    json_decref(j);
    return s;
}

/* Checks the per-line/indicator opinions against the sheet they are about. */
static err_code check_opinions(act_op *op, size_t nlines, size_t ninds)
{
    for (size_t i = 0; i < op->in->nopinions; i++) {
        const budget_opinion_input *o = &op->in->opinions[i];
        const char *field = arena_sprintf(op->a, "opinions:%d", (int)i + 1);
        if (text_check_field(o->text, 2000, 1) != E_OK)
            return refuse(op, E_FIELD_INVALID, field, "意见内容不能为空，且不超过 2000 字");
        long n = 0;
        char tail;
        if (!*o->target) continue;
        if (sscanf(o->target, "line:%ld%c", &n, &tail) == 1 && n >= 1 && (size_t)n <= nlines)
            continue;
        if (sscanf(o->target, "indicator:%ld%c", &n, &tail) == 1 && n >= 1 && (size_t)n <= ninds)
            continue;
        return refuse(op, E_FIELD_INVALID, field, "意见针对的测算行或指标不存在");
    }
    return E_OK;
}

/* The effects of an action beyond the state: round, assignment, approval, publication. */
static err_code effects(store_tx *tx, act_op *op, const flow_action *act, const char *from,
                        store_budget_line *lines, size_t nl, store_budget_indicator *inds,
                        size_t ni, int64_t now)
{
    store_budget_project *pr = op->out;
    json_t *fields = op->in->fields;
    if (strcmp(act->name, "submit") == 0) {
        budget_gate_env env;
        err_code e = budget_gate_env_get(tx, op->a, pr, 0, &env);
        if (e != E_OK) return e;
        budget_gate_stored(op->a, pr, lines, nl, inds, ni, &env, op->gate);
        if (op->gate->n)
            return refuse(op, E_BUDGET_GATE, "gate",
                          arena_sprintf(op->a, "项目未通过机审（%zu 项问题），请按提示修改后再提交",
                                        op->gate->n));
        if (strcmp(from, "returned") == 0) pr->round++;
        char *snap = snapshot(pr, lines, nl, inds, ni);
        store_budget_round r = {.project_id = pr->id,
                                .round = pr->round,
                                .submitted_by = op->p->user_id,
                                .submitted_at = now,
                                .snapshot = arena_strdup(op->a, snap)};
        free(snap);
        return store_budget_round_insert(tx, &r);
    }
    if (strcmp(act->name, "assign") == 0) {
        json_t *v = json_object_get(fields, "reviewer_id");
        store_user u;
        err_code e = store_user_get(tx, op->a, json_integer_value(v), &u);
        if (e != E_OK && e != E_NOT_FOUND) return e;
        int ok = e == E_OK && !u.disabled;
        if (ok) {
            principal up = {.user_id = u.id};
            if ((e = authz_load(tx, op->a, &up)) != E_OK) return e;
            ok = authz_can(&up, "budget.third_party", pr->unit_path) &&
                 !authz_within(pr->unit_path, u.unit_path);
        }
        if (!ok) return refuse(op, E_FIELD_INVALID, "reviewer_id", "「评审人员」须从第三方评审人员中选择");
        pr->reviewer_id = u.id;
        return store_budget_assign(tx, pr->id, u.id, pr->round, op->p->user_id, now);
    }
    if (strcmp(act->name, "third_party_review") == 0 && !assigned_now(tx, op))
        return refuse(op, E_BUDGET_NOT_ASSIGNED, "", NULL);
    if (strcmp(act->name, "pass") == 0 && !pr->passed_round) pr->passed_round = pr->round;
    if (strcmp(act->name, "approve") == 0) {
        int64_t fen;
        const char *text = field_text(fields, "approved_amount"), *note = field_text(fields, "note");
        if (money_parse(text, 2, BUDGET_FEN_MAX, &fen) || fen == 0 || fen > requested_of(pr))
            return refuse(op, E_BUDGET_AMOUNT, "approved_amount", NULL);
        if (fen < requested_of(pr) && (!note || !*note))
            return refuse(op, E_FIELD_REQUIRED, "note", "核减批复时须写明核减理由及绩效指标的相应调整");
        pr->approved_amount = fen;
        pr->approval_note = note ? arena_strdup(op->a, note) : "";
    }
    if (strcmp(act->name, "publish") == 0) pr->published_at = now;
    return E_OK;
}

/*
 * Tells whoever must act next (or the department, when it is its turn again): the holders of
 * the next step's permission over the project's unit, or the assigned reviewer. One
 * notification per event and person (the dedupe key names the event).
 */
static err_code notify_next(store_tx *tx, act_op *op, int64_t event_id, int64_t now)
{
    static const struct {
        const char *state, *perm, *kind, *say;
    } next[] = {
        {"submitted", "budget.dept_approve", "budget_review", "待单位审核"},
        {"finance_review", "budget.review", "budget_review", "待财政审核"},
        {"third_party", NULL, "budget_review", "已委托您评审"},
        {"deciding", "budget.review", "budget_review", "第三方评审意见已提交，待财政审定"},
        {"returned", "budget.apply", "budget_returned", "已退回修改，请按评审意见修改后重新提交"},
        {"stored", "budget.approve", "budget_review", "已纳入项目库，待批复"},
        {"approved", "budget.apply", "budget_approved", "已批复"},
    };
    const store_budget_project *pr = op->out;
    for (size_t k = 0; k < sizeof next / sizeof next[0]; k++) {
        if (strcmp(next[k].state, pr->state) != 0) continue;
        int64_t *ids = NULL, one = pr->reviewer_id;
        size_t n = 0;
        err_code e = E_OK;
        if (next[k].perm)
            e = store_users_with_perm(tx, op->a, next[k].perm, pr->unit_path, 0, &ids, &n);
        else if (one)
            ids = &one, n = 1;
        for (size_t i = 0; e == E_OK && i < n; i++) {
            if (ids[i] == op->p->user_id) continue;
            store_notification note = {
                .user_id = ids[i],
                .kind = next[k].kind,
                .flow = FLOW,
                .item_id = pr->id,
                .title = arena_sprintf(op->a, "预算项目《%s》%s", pr->name, next[k].say),
                .body = arena_sprintf(op->a, "%s · 第 %lld 轮", pr->unit_name, (long long)pr->round),
                .created_at = now};
            int added;
            e = store_notification_add(
                tx, &note,
                arena_sprintf(op->a, "budget:%lld:%lld:%lld", (long long)pr->id,
                              (long long)event_id, (long long)ids[i]),
                &added);
        }
        return e;
    }
    return E_OK;
}

static err_code act_fn(store_tx *tx, void *ctx)
{
    act_op *op = ctx;
    err_code e = load(tx, op);
    if (e != E_OK) return e;
    store_budget_project *pr = op->out;
    if (op->in->version > 0 && op->in->version != pr->version) return E_CONFLICT;
    const flow_def *f = budget_flow_def(op->ap);
    flow_item item = item_of(tx, op);
    e = flow_check(f, &item, op->p, op->in->action, op->in->fields, 0, op->why);
    if (e != E_OK) return e;
    const flow_action *act = flow_action_named(f, op->in->action);
    store_budget_line *lines;
    store_budget_indicator *inds;
    size_t nl, ni;
    e = store_budget_lines(tx, op->a, pr->id, &lines, &nl);
    if (e == E_OK) e = store_budget_indicators(tx, op->a, pr->id, &inds, &ni);
    if (e == E_OK) e = check_opinions(op, nl, ni);
    if (e != E_OK) return e;
    /* Asked only once the action and its form pass: an outsider learns nothing from a 428. */
    if (op->in->version == 0) return E_VERSION_REQUIRED;
    int64_t now = clock_now();
    const char *from = pr->state;
    e = effects(tx, op, act, from, lines, nl, inds, ni, now);
    if (e != E_OK) return e;
    pr->state = flow_next_state(f, act, from);
    pr->stage = budget_stage_of(pr->state);
    pr->updated_at = now;
    e = store_budget_update(tx, pr);
    if (e != E_OK) return e;
    char *fields = op->in->fields ? jsonx_dump(op->in->fields) : NULL;
    store_event ev = {.flow = FLOW,
                      .item_id = pr->id,
                      .action = act->name,
                      .from_state = from,
                      .to_state = pr->state,
                      .actor_id = op->p->user_id,
                      .actor = op->p->login,
                      .at = now,
                      .fields = fields ? arena_strdup(op->a, fields) : "{}"};
    free(fields);
    e = store_event_insert(tx, &ev);
    /* The action's own opinion on the project, then those on lines and indicators. */
    const char *opinion = field_text(op->in->fields, "opinion");
    store_budget_opinion o = {.project_id = pr->id,
                              .round = pr->round,
                              .event_id = ev.id,
                              .side = side_of(act->name),
                              .author_id = op->p->user_id,
                              .created_at = now};
    if (e == E_OK && opinion && *opinion) {
        o.target = "";
        o.text = opinion;
        e = store_budget_opinion_insert(tx, &o);
    }
    for (size_t i = 0; e == E_OK && i < op->in->nopinions; i++) {
        o.target = op->in->opinions[i].target;
        o.text = op->in->opinions[i].text;
        e = store_budget_opinion_insert(tx, &o);
    }
    if (e == E_OK) e = notify_next(tx, op, ev.id, now);
    if (e != E_OK) return e;
    return app_audit(op->ap, tx, op->a, op->p, arena_sprintf(op->a, "budget.%s", act->name),
                     arena_sprintf(op->a, "budget:%lld", (long long)pr->id),
                     json_pack("{ss ss sI sI sI}", "from", from, "to", pr->state, "event_id",
                               (json_int_t)ev.id, "round", (json_int_t)pr->round, "opinions",
                               (json_int_t)op->in->nopinions));
}

static err_code act_run(store_tx *tx, app *ap, arena *a, const principal *p, int64_t id,
                       const budget_action_input *in, store_budget_project *out,
                       flow_refusal *why, budget_gate_result *gate)
{
    memset(why, 0, sizeof *why);
    memset(gate, 0, sizeof *gate);
    if (!in->action || !*in->action) {
        snprintf(why->field, sizeof why->field, "action");
        return E_FIELD_REQUIRED;
    }
    if (in->nopinions > 200) {
        snprintf(why->field, sizeof why->field, "opinions");
        return E_FIELD_TOO_LONG;
    }
    act_op op = {.ap = ap, .a = a, .p = p, .id = id, .out = out, .in = in, .why = why,
                 .gate = gate};
    return tx ? act_fn(tx, &op) : store_write(ap->st, act_fn, &op);
}

err_code budget_act(app *ap, arena *a, const principal *p, int64_t id,
                    const budget_action_input *in, store_budget_project *out, flow_refusal *why,
                    budget_gate_result *gate)
{
    return act_run(NULL, ap, a, p, id, in, out, why, gate);
}

err_code budget_act_in(store_tx *tx, app *ap, arena *a, const principal *p, int64_t id,
                       const budget_action_input *in, store_budget_project *out,
                       flow_refusal *why, budget_gate_result *gate)
{
    return act_run(tx, ap, a, p, id, in, out, why, gate);
}

/* ---- 事前绩效评估 ---- */

const char *const budget_assessment_dims[] = {"立项必要性", "投入经济性", "绩效目标合理性",
                                              "实施方案可行性", "筹资合规性", NULL};
const char *const budget_assessment_conclusions[] = {"予以支持", "调整后支持", "不予支持", NULL};
static const char *const grades[] = {"优", "良", "中", "差", NULL};

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    int64_t id;
    const budget_assessment_input *in;
    store_budget_project *out;
    store_budget_assessment *result;
} assess_op;

static err_code assess_fn(store_tx *tx, void *ctx)
{
    assess_op *op = ctx;
    store_budget_project *pr = op->out;
    err_code e = store_budget_get(tx, op->a, op->id, pr);
    if (e != E_OK) return e;
    if (!authz_can(op->p, "budget.review", pr->unit_path)) return E_FORBIDDEN;
    if (!op->p->system && op->p->unit_path && authz_within(pr->unit_path, op->p->unit_path))
        return E_FLOW_OUTSIDE;
    if (strcmp(pr->state, "drafted") != 0 && strcmp(pr->state, "returned") != 0)
        return E_FLOW_STATE;
    json_t *g = json_object();
    int64_t total = 0;
    for (int i = 0; i < 5; i++) {
        int64_t points;
        json_object_set_new(g, budget_assessment_dims[i], json_string(op->in->grades[i]));
        e = store_budget_setting(tx, arena_sprintf(op->a, "assessment_points_%s",
                                                   op->in->grades[i]),
                                 0, &points);
        if (e != E_OK) break;
        total += points;
    }
    char *grades_text = jsonx_dump(g);
    json_decref(g);
    int64_t now = clock_now();
    /* the gate again (its failures on the project's row), under the new conclusion */
    store_budget_line *lines;
    store_budget_indicator *inds;
    size_t nl, ni;
    if (e == E_OK) e = store_budget_lines(tx, op->a, pr->id, &lines, &nl);
    if (e == E_OK) e = store_budget_indicators(tx, op->a, pr->id, &inds, &ni);
    budget_gate_env env;
    if (e == E_OK) e = budget_gate_env_get(tx, op->a, NULL, 0, &env);
    if (e != E_OK) {
        free(grades_text);
        return e;
    }
    const char *c = op->in->conclusion;
    env.assessment = strcmp(c, "予以支持") == 0   ? BUDGET_ASSESS_PASSED
                     : strcmp(c, "不予支持") == 0 ? BUDGET_ASSESS_REJECTED
                                                  : BUDGET_ASSESS_ADJUST;
    budget_gate_result gate;
    budget_gate_stored(op->a, pr, lines, nl, inds, ni, &env, &gate);
    pr->gate_failures = (int64_t)gate.n;
    pr->updated_at = now;
    e = store_budget_update(tx, pr);
    *op->result = (store_budget_assessment){.project_id = pr->id,
                                            .grades = arena_strdup(op->a, grades_text),
                                            .total = total,
                                            .conclusion = c,
                                            .opinion = op->in->opinion ? op->in->opinion : "",
                                            .project_version = pr->version,
                                            .assessor_id = op->p->user_id,
                                            .created_at = now};
    free(grades_text);
    if (e == E_OK) e = store_budget_assessment_insert(tx, op->result);
    for (size_t i = 0; e == E_OK && i < gate.n; i++)
        e = store_budget_gate_event(tx, pr->id, gate.items[i].code, now);
    if (e == E_OK) {
        json_t *f = json_pack("{ss sI}", "conclusion", c, "total", (json_int_t)total);
        char *fields = jsonx_dump(f);
        json_decref(f);
        store_event ev = {.flow = FLOW,
                          .item_id = pr->id,
                          .action = "assess",
                          .from_state = pr->state,
                          .to_state = pr->state,
                          .actor_id = op->p->user_id,
                          .actor = op->p->login,
                          .at = now,
                          .fields = arena_strdup(op->a, fields)};
        free(fields);
        e = store_event_insert(tx, &ev);
    }
    if (e != E_OK) return e;
    return app_audit(op->ap, tx, op->a, op->p, "budget.assess",
                     arena_sprintf(op->a, "budget:%lld", (long long)pr->id),
                     json_pack("{ss sI}", "conclusion", c, "total", (json_int_t)total));
}

static err_code assess_run(store_tx *tx, app *ap, arena *a, const principal *p, int64_t id,
                           const budget_assessment_input *in, store_budget_project *out,
                           store_budget_assessment *result, const char **bad_field)
{
    *bad_field = NULL;
    for (int i = 0; i < 5; i++)
        if (!listed(grades, in->grades[i]))
            return bad(bad_field, arena_sprintf(a, "grades:%s", budget_assessment_dims[i]),
                       in->grades[i] ? E_FIELD_INVALID : E_FIELD_REQUIRED);
    if (!listed(budget_assessment_conclusions, in->conclusion))
        return bad(bad_field, "conclusion", in->conclusion ? E_FIELD_INVALID : E_FIELD_REQUIRED);
    if (strcmp(in->conclusion, "予以支持") != 0 && (!in->opinion || !*in->opinion))
        return bad(bad_field, "opinion", E_FIELD_REQUIRED); /* say what to adjust, or why not */
    if (text_check_field(in->opinion, 2000, 0) != E_OK)
        return bad(bad_field, "opinion", E_FIELD_TOO_LONG);
    assess_op op = {ap, a, p, id, in, out, result};
    return tx ? assess_fn(tx, &op) : store_write(ap->st, assess_fn, &op);
}

err_code budget_assess(app *ap, arena *a, const principal *p, int64_t id,
                       const budget_assessment_input *in, store_budget_project *out,
                       store_budget_assessment *result, const char **bad_field)
{
    return assess_run(NULL, ap, a, p, id, in, out, result, bad_field);
}

err_code budget_assess_in(store_tx *tx, app *ap, arena *a, const principal *p, int64_t id,
                          const budget_assessment_input *in, store_budget_project *out,
                          store_budget_assessment *result, const char **bad_field)
{
    return assess_run(tx, ap, a, p, id, in, out, result, bad_field);
}
