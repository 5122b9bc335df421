/*
 * budget — cost-based budget performance (成本预算绩效, MECHANISMS.md §3) on the flow engine.
 *
 * A department's finance staff draft a project (项目) with its cost sheet (项目测算表) and its
 * performance targets (绩效目标表); the machine gate (gate.h) checks both on every save and a
 * failing project cannot be submitted. The project then moves through flows/budget.json:
 * 提交 → 单位审核 → 财政审核 → 第三方评审 (only the assigned reviewer) → 财政审定: 入库 or 退回修改
 * (every round's submission kept as a snapshot, every opinion kept per round and per line or
 * indicator) → 预算批复 (the amount may be cut, recorded) → 公开. Every change is one write
 * transaction with its permission check over the project's unit, a flow event and an audit
 * record. Reviewers act only outside the project's department (the flow's outside_unit).
 */
#ifndef DUBAN_BUDGET_H
#define DUBAN_BUDGET_H

#include "budget/budget_store.h"
#include "budget/gate.h"
#include "core/app.h"
#include "flow/flow.h"

#include <jansson.h>

/* Project classes: codes and titles (人员类, 运转类·公用经费 …); NULL-terminated. */
extern const char *const budget_classes[];
extern const char *const budget_class_titles[];
const char *budget_class_title(const char *code);
/* The kinds of cost-sheet lines (设备购置 劳务 印刷 差旅 工程 …); NULL-terminated. */
extern const char *const budget_line_kinds[];
/* The stage (储备 审核中 入库 预算批复 终止) of a flow state. */
const char *budget_stage_of(const char *state);

/* A project as saved: its fields, its cost sheet (parent[i]: index of line i's line, or -1). */
typedef struct {
    store_budget_project p; /* year … phone; the rest is the mechanism's */
    store_budget_line *lines;
    int *parent;
    size_t nlines;
    store_budget_indicator *indicators;
    size_t nindicators;
    int64_t version; /* an update's: required, E_CONFLICT when stale */
} budget_input;

/*
 * Checks an input without the database: texts and their lengths, class, years, amounts, line
 * kinds, indicator levels and comparisons. *bad_field names the fault ("line:3:kind").
 */
err_code budget_check_input(arena *a, const budget_input *in, const char **bad_field);

/* What the gate needs besides the sheet: its settings and the 事前绩效评估's state. */
typedef struct {
    int64_t tolerance, threshold;
    budget_assessment_state assessment;
} budget_gate_env;

/*
 * Reads the settings and the project's assessment in tx (pr NULL: a new project, none yet);
 * saving: the save in progress is the adjustment a 调整后支持 asks for.
 */
err_code budget_gate_env_get(store_tx *tx, arena *a, const store_budget_project *pr, int saving,
                             budget_gate_env *env);

/* The gate's view of stored lines and indicators (parents found by their ids). */
void budget_gate_stored(arena *a, const store_budget_project *p, const store_budget_line *lines,
                        size_t nlines, const store_budget_indicator *inds, size_t ninds,
                        const budget_gate_env *env, budget_gate_result *out);

/* 事前绩效评估: its five dimensions and conclusions (NULL-terminated), grades 优 良 中 差. */
extern const char *const budget_assessment_dims[];
extern const char *const budget_assessment_conclusions[];

typedef struct {
    const char *grades[5]; /* per dimension, in budget_assessment_dims' order */
    const char *conclusion, *opinion;
} budget_assessment_input;

/*
 * Records a 事前绩效评估 of a project in 编制中 or 退回修改 (E_FLOW_STATE otherwise): needs
 * budget.review over its unit, from outside its department (E_FLOW_OUTSIDE); the points are
 * the settings' per grade. The project's gate is run again and its version bumps.
 */
err_code budget_assess(app *ap, arena *a, const principal *p, int64_t id,
                       const budget_assessment_input *in, store_budget_project *out,
                       store_budget_assessment *result, const char **bad_field);

/*
 * Creates (id 0) or saves a project, which must be 编制中 or 退回修改 (E_BUDGET_LOCKED
 * otherwise); needs budget.apply over its unit. The gate runs and its failures are kept; the
 * save succeeds either way and *gate tells what is left to fix.
 */
err_code budget_save(app *ap, arena *a, const principal *p, int64_t id, const budget_input *in,
                     store_budget_project *out, budget_gate_result *gate, const char **bad_field);

/* 1 when p may read the project: budget.read over its unit, or a third party it was assigned. */
int budget_may_read(store_tx *tx, const principal *p, const store_budget_project *pr);
err_code budget_get(app *ap, arena *a, const principal *p, int64_t id, store_budget_project *out);

typedef struct {
    const char *target, *text; /* "" the project, "line:3", "indicator:2" */
} budget_opinion_input;

typedef struct {
    const char *action;
    json_t *fields;
    const budget_opinion_input *opinions;
    size_t nopinions;
    /* The version the actor saw: E_CONFLICT when the project changed since, E_VERSION_REQUIRED
     * when 0; BUDGET_VERSION_ANY only for the demo generator acting on what it just wrote. */
    int64_t version;
} budget_action_input;

#define BUDGET_VERSION_ANY (-1)

/*
 * Takes an action of the flow: *why explains a refusal; a submission the gate refuses is
 * E_BUDGET_GATE with *gate listing the failures.
 */
err_code budget_act(app *ap, arena *a, const principal *p, int64_t id,
                    const budget_action_input *in, store_budget_project *out, flow_refusal *why,
                    budget_gate_result *gate);

/* The actions p may take on the project now. */
err_code budget_actions(app *ap, arena *a, const principal *p, const store_budget_project *pr,
                        const flow_action ***out, size_t *n);

/* The cost sheet as JSON: lines nested with their sub-items ("children"). */
json_t *budget_lines_json(const store_budget_line *lines, size_t n);
json_t *budget_indicators_json(const store_budget_indicator *d, size_t n);

/* The flow (flows/budget.json, or the county's own). */
const flow_def *budget_flow_def(const app *ap);

/*
 * The same three changes inside a write transaction the caller holds (the demo writes a
 * project's whole preparation in one): the caller's transaction commits or rolls back all.
 */
err_code budget_save_in(store_tx *tx, app *ap, arena *a, const principal *p, int64_t id,
                        const budget_input *in, store_budget_project *out,
                        budget_gate_result *gate, const char **bad_field);
err_code budget_act_in(store_tx *tx, app *ap, arena *a, const principal *p, int64_t id,
                       const budget_action_input *in, store_budget_project *out,
                       flow_refusal *why, budget_gate_result *gate);
err_code budget_assess_in(store_tx *tx, app *ap, arena *a, const principal *p, int64_t id,
                          const budget_assessment_input *in, store_budget_project *out,
                          store_budget_assessment *result, const char **bad_field);

#endif
