/* problem — registering problems and taking flow actions on them (see problem.h). */
#include "problem/problem.h"

#include "base/clock.h"
#include "base/jsonx.h"
#include "base/text.h"

#include <stdlib.h>
#include <string.h>

static const char FLOW[] = "problem";

const char *const problem_modes[2] = {"immediate", "ongoing"};
const char *const problem_mode_titles[2] = {"立行立改", "持续推进"};

const char *problem_mode_code(const char *s)
{
    for (int i = 0; s && i < 2; i++)
        if (strcmp(s, problem_modes[i]) == 0 || strcmp(s, problem_mode_titles[i]) == 0)
            return problem_modes[i];
    return NULL;
}

const char *problem_mode_title(const char *code)
{
    for (int i = 0; code && i < 2; i++)
        if (strcmp(code, problem_modes[i]) == 0) return problem_mode_titles[i];
    return "";
}

int problem_is_overdue(const store_problem *pr, cal_day today)
{
    cal_day due;
    if (strcmp(pr->state, "closed") == 0 || cal_parse(pr->deadline, &due)) return 0;
    return today > due;
}

static char *day_text(arena *a, cal_day d)
{
    char *s = arena_alloc(a, 11);
    cal_format(d, s);
    return s;
}

void problem_refresh_overdue(arena *a, store_problem *pr, cal_day today)
{
    int was = (int)pr->overdue;
    pr->overdue = problem_is_overdue(pr, today);
    if (!pr->overdue) {
        pr->overdue_since = NULL;
    } else if (!was || !pr->overdue_since || !*pr->overdue_since) {
        cal_day due;
        cal_parse(pr->deadline, &due);
        pr->overdue_since = day_text(a, due + 1);
    }
}

/* ---- registering ---- */

typedef struct {
    const char *name;
    size_t offset, max_chars;
    int required;
} text_rule;

#define R(field, max, req)                                                                         \
    {                                                                                              \
#field, offsetof(problem_input, field), max, req                                           \
    }
static const text_rule text_rules[] = {
    R(source, 20, 1),   R(category, 20, 1), R(title, 100, 1),     R(description, 4000, 1),
    R(leader, 40, 0),   R(person, 40, 0),   R(measures, 2000, 0), R(goal, 1000, 0),
    R(subject, 100, 0), R(note, 1000, 0),
};
#undef R

static err_code check_texts(const problem_input *in, const char **bad_field)
{
    for (size_t i = 0; i < sizeof text_rules / sizeof text_rules[0]; i++) {
        const text_rule *r = &text_rules[i];
        const char *v = *(const char *const *)((const char *)in + r->offset);
        err_code e = text_check_field(v, r->max_chars, r->required);
        if (e != E_OK) return *bad_field = r->name, e;
    }
    return E_OK;
}

/* The deadline from a date or a count of days after found_on. */
static err_code compute_deadline(const app *ap, arena *a, const problem_input *in, cal_day found,
                                 const char **deadline, int *estimated, const char **bad_field)
{
    int given =
        (in->deadline && *in->deadline) + (in->deadline_days > 0) + (in->deadline_workdays > 0);
    if (given != 1) return *bad_field = "deadline", given ? E_FIELD_INVALID : E_FIELD_REQUIRED;
    cal_day due;
    *estimated = 0;
    if (in->deadline && *in->deadline) {
        if (cal_parse(in->deadline, &due)) return *bad_field = "deadline", E_FIELD_INVALID;
        int y, m, d;
        cal_to_ymd(due, &y, &m, &d);
        *estimated = !calendar_has_year(ap->cal, y);
    } else if (in->deadline_days > 0) {
        if (in->deadline_days > 3650) return *bad_field = "deadline_days", E_FIELD_INVALID;
        due = found + (cal_day)in->deadline_days;
    } else {
        if (in->deadline_workdays > 2500) return *bad_field = "deadline_workdays", E_FIELD_INVALID;
        due = calendar_add_workdays(ap->cal, found, (int)in->deadline_workdays, estimated);
    }
    if (due < found) return *bad_field = "deadline", E_PROBLEM_DEADLINE_EARLY;
    *deadline = day_text(a, due);
    return E_OK;
}

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    const problem_input *in;
    store_problem *out;
    const char **bad_field;
} register_op;

static err_code register_fn(store_tx *tx, void *ctx)
{
    register_op *op = ctx;
    store_unit unit;
    err_code e = store_unit_get(tx, op->a, op->in->unit_id, &unit);
    if (e == E_NOT_FOUND) return *op->bad_field = "unit_id", E_FIELD_INVALID;
    if (e != E_OK) return e;
    if (!authz_can(op->p, "problem.register", unit.path)) return E_FORBIDDEN;
    /* Co-units see the problem, so the registrar must be able to register for them too. */
    for (size_t i = 0; i < op->in->ncounits; i++) {
        store_unit co;
        e = store_unit_get(tx, op->a, op->in->counits[i], &co);
        if (e == E_NOT_FOUND || op->in->counits[i] == unit.id)
            return *op->bad_field = "counit_ids", E_FIELD_INVALID;
        if (e != E_OK) return e;
        if (!authz_can(op->p, "problem.register", co.path)) return E_FORBIDDEN;
    }
    /* The look-back leader must be one: a user who holds problem.lookback over the unit. */
    if (op->in->leader_user_id) {
        store_user leader;
        e = store_user_get(tx, op->a, op->in->leader_user_id, &leader);
        if (e == E_NOT_FOUND) return *op->bad_field = "leader_user_id", E_FIELD_INVALID;
        if (e != E_OK) return e;
        principal lp = {.user_id = leader.id};
        e = authz_load(tx, op->a, &lp);
        if (e != E_OK) return e;
        if (leader.disabled || !authz_can(&lp, "problem.lookback", unit.path))
            return *op->bad_field = "leader_user_id", E_FIELD_INVALID;
    }
    store_problem *pr = op->out;
    pr->registered_by = op->p->user_id;
    pr->registered_unit_id = op->p->unit_id;
    pr->state = problem_flow_def(op->ap)->states[problem_flow_def(op->ap)->initial].name;
    pr->created_at = pr->updated_at = clock_now();
    problem_refresh_overdue(op->a, pr, cal_local_day(pr->created_at));
    e = store_problem_insert(tx, pr);
    /* A count over a year without a notice is counted again when the year arrives. */
    if (e == E_OK && pr->deadline_estimated && op->in->deadline_workdays > 0)
        e = store_deadline_basis_set(tx, FLOW, pr->id, "deadline", op->in->found_on,
                                     op->in->deadline_workdays);
    if (e != E_OK) return e;
    store_event ev = {.flow = FLOW,
                      .item_id = pr->id,
                      .action = "register",
                      .from_state = "",
                      .to_state = pr->state,
                      .actor_id = op->p->user_id,
                      .actor = op->p->login,
                      .at = pr->created_at};
    e = store_event_insert(tx, &ev);
    if (e != E_OK) return e;
    e = store_problem_get(tx, op->a, pr->id, pr);
    if (e != E_OK) return e;
    return app_audit(op->ap, tx, op->a, op->p, "problem.register",
                     arena_sprintf(op->a, "problem:%lld", (long long)pr->id),
                     json_pack("{ss sI ss}", "title", pr->title, "unit_id", (json_int_t)pr->unit_id,
                               "deadline", pr->deadline));
}

err_code problem_check_input(const app *ap, arena *a, const problem_input *in, const char **mode,
                             const char **deadline, int *estimated, const char **bad_field)
{
    *bad_field = NULL;
    err_code e = check_texts(in, bad_field);
    if (e != E_OK) return e;
    *mode = problem_mode_code(in->mode);
    if (!*mode) /* an empty cell of an imported ledger is a missing mode too */
        return *bad_field = "mode", in->mode && *in->mode ? E_FIELD_INVALID : E_FIELD_REQUIRED;
    cal_day found;
    if (!in->found_on || cal_parse(in->found_on, &found))
        return *bad_field = "found_on", in->found_on ? E_FIELD_INVALID : E_FIELD_REQUIRED;
    if (in->ncounits > 20) return *bad_field = "counit_ids", E_FIELD_TOO_LONG;
    e = compute_deadline(ap, a, in, found, deadline, estimated, bad_field);
    if (e != E_OK) return e;
    if (strcmp(*mode, "ongoing") == 0 && (!in->goal || !*in->goal))
        return *bad_field = "goal", E_FIELD_REQUIRED; /* 持续推进 needs a goal */
    return E_OK;
}

/* The record a valid input registers (problem_check_input first). */
static err_code build_problem(app *ap, arena *a, const problem_input *in, store_problem *out,
                              const char **bad_field)
{
    const char *mode, *deadline;
    int estimated;
    err_code e = problem_check_input(ap, a, in, &mode, &deadline, &estimated, bad_field);
    if (e != E_OK) return e;
    *out = (store_problem){
        .source = in->source,
        .category = in->category,
        .title = in->title,
        .description = in->description,
        .found_on = in->found_on,
        .unit_id = in->unit_id,
        .leader = in->leader ? in->leader : "",
        .leader_user_id = in->leader_user_id,
        .person = in->person ? in->person : "",
        .measures = in->measures ? in->measures : "",
        .goal = in->goal ? in->goal : "",
        .mode = mode,
        .subject = in->subject ? in->subject : "",
        .note = in->note ? in->note : "",
        .deadline = deadline,
        .original_deadline = deadline,
        .deadline_estimated = estimated,
        .counits = (int64_t *)in->counits,
        .ncounits = in->ncounits,
        .supervisor = "",
        .progress = "",
        .verification = "",
    };
    return E_OK;
}

err_code problem_register(app *ap, arena *a, const principal *p, const problem_input *in,
                          store_problem *out, const char **bad_field)
{
    err_code e = build_problem(ap, a, in, out, bad_field);
    if (e != E_OK) return e;
    register_op op = {ap, a, p, in, out, bad_field};
    return store_write(ap->st, register_fn, &op);
}

err_code problem_register_in(store_tx *tx, app *ap, arena *a, const principal *p,
                             const problem_input *in, store_problem *out, const char **bad_field)
{
    err_code e = build_problem(ap, a, in, out, bad_field);
    if (e != E_OK) return e;
    register_op op = {ap, a, p, in, out, bad_field};
    return register_fn(tx, &op);
}

/* ---- reading ---- */

static int may_read(store_tx *tx, arena *a, const principal *p, int64_t id, err_code *e)
{
    const char **paths;
    size_t n;
    *e = store_problem_unit_paths(tx, a, id, &paths, &n);
    if (*e != E_OK) return 0;
    for (size_t i = 0; i < n; i++)
        if (authz_can(p, "problem.read", paths[i])) return 1;
    *e = E_FORBIDDEN;
    return 0;
}

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    int64_t id;
    store_problem *out;
    const problem_action_input *in;
    flow_refusal *why;
    store_tx *tx;
} problem_op;

static err_code get_fn(store_tx *tx, void *ctx)
{
    problem_op *op = ctx;
    err_code e;
    if (!may_read(tx, op->a, op->p, op->id, &e)) return e;
    return store_problem_get(tx, op->a, op->id, op->out);
}

err_code problem_get(app *ap, arena *a, const principal *p, int64_t id, store_problem *out)
{
    problem_op op = {.ap = ap, .a = a, .p = p, .id = id, .out = out};
    return store_read(ap->st, get_fn, &op);
}

static int64_t last_actor(void *ctx, const char *action)
{
    problem_op *op = ctx;
    int64_t who = 0;
    store_event_last_actor(op->tx, FLOW, op->id, action, &who);
    return who;
}

static int64_t last_event(void *ctx, const char *action)
{
    problem_op *op = ctx;
    int64_t id = 0;
    store_event_last_id(op->tx, FLOW, op->id, action, &id);
    return id;
}

static const char *last_actor_unit(void *ctx, const char *action)
{
    problem_op *op = ctx;
    int64_t who = 0;
    store_user u;
    if (store_event_last_actor(op->tx, FLOW, op->id, action, &who) != E_OK || !who) return NULL;
    return store_user_get(op->tx, op->a, who, &u) == E_OK ? u.unit_path : NULL;
}

/* The flow engine's view of the problem: state, units (lead first) and its history. */
static err_code flow_view(store_tx *tx, problem_op *op, const store_problem *pr, flow_item *item)
{
    const char **paths;
    size_t n;
    op->tx = tx;
    err_code e = store_problem_unit_paths(tx, op->a, pr->id, &paths, &n);
    if (e != E_OK) return e;
    *item = (flow_item){.state = pr->state,
                        .unit_path = pr->unit_path,
                        .last_actor = last_actor,
                        .last_event = last_event,
                        .ctx = op,
                        .other_paths = paths + 1,
                        .nother = n - 1,
                        .last_actor_unit = last_actor_unit};
    return E_OK;
}

typedef struct {
    problem_op *op;
    const flow_action ***out;
    size_t *n;
} actions_ctx;

static err_code actions_fn(store_tx *tx, void *ctx)
{
    actions_ctx *c = ctx;
    problem_op *op = c->op;
    const flow_def *f = problem_flow_def(op->ap);
    flow_item item;
    err_code e = flow_view(tx, op, op->out, &item);
    if (e != E_OK) return e;
    *c->out = arena_alloc(op->a, (f->nactions + 1) * sizeof **c->out);
    *c->n = 0;
    for (size_t i = 0; i < f->nactions; i++)
        if (flow_may(f, &item, op->p, &f->actions[i])) (*c->out)[(*c->n)++] = &f->actions[i];
    return E_OK;
}

err_code problem_actions(app *ap, arena *a, const principal *p, const store_problem *pr,
                         const flow_action ***out, size_t *n)
{
    problem_op op = {.ap = ap, .a = a, .p = p, .id = pr->id, .out = (store_problem *)pr};
    actions_ctx c = {&op, out, n};
    return store_read(ap->st, actions_fn, &c);
}

/* ---- fields naming a user ---- */

typedef struct {
    arena *a;
    const store_problem *pr;
    const flow_field *fl;
    store_user *out;
    size_t n;
} field_users_ctx;

static err_code field_users_fn(store_tx *tx, void *ctx)
{
    field_users_ctx *c = ctx;
    int64_t *ids;
    size_t n;
    err_code e = store_users_with_perm(tx, c->a, c->fl->holding ? c->fl->holding : "problem.read",
                                       c->pr->unit_path, 0, &ids, &n);
    if (e != E_OK) return e;
    c->out = arena_alloc(c->a, (n + 1) * sizeof *c->out);
    c->n = 0;
    for (size_t i = 0; i < n; i++)
        if (store_user_get(tx, c->a, ids[i], &c->out[c->n]) == E_OK && !c->out[c->n].disabled)
            c->n++;
    return E_OK;
}

err_code problem_field_users(app *ap, arena *a, const store_problem *pr, const flow_field *fl,
                             store_user **out, size_t *n)
{
    field_users_ctx c = {.a = a, .pr = pr, .fl = fl};
    err_code e = store_read(ap->st, field_users_fn, &c);
    *out = c.out;
    *n = c.n;
    return e;
}

/*
 * Each field of type user must name an active user who holds its `holding` permission over
 * the problem's unit; *name gets the name of the one named by `want` (for the problem's row).
 */
static err_code check_user_fields(store_tx *tx, problem_op *op, const flow_action *act,
                                  const store_problem *pr, const char *want, const char **name)
{
    for (size_t i = 0; i < act->nfields; i++) {
        const flow_field *fl = &act->fields[i];
        json_t *v = json_object_get(op->in->fields, fl->name);
        if (fl->type != FF_USER || !json_is_integer(v)) continue;
        store_user u;
        err_code e = store_user_get(tx, op->a, json_integer_value(v), &u);
        int ok = e == E_OK && !u.disabled;
        if (e != E_OK && e != E_NOT_FOUND) return e;
        if (ok && fl->holding) {
            principal up = {.user_id = u.id};
            e = authz_load(tx, op->a, &up);
            if (e != E_OK) return e;
            ok = authz_can(&up, fl->holding, pr->unit_path);
        }
        if (!ok) {
            snprintf(op->why->field, sizeof op->why->field, "%s", fl->name);
            snprintf(op->why->message, sizeof op->why->message, "「%s」须从可选人员中选择",
                     fl->title);
            return E_FIELD_INVALID;
        }
        if (want && strcmp(fl->name, want) == 0) *name = u.name;
    }
    return E_OK;
}

/* ---- acting ---- */

static const char *field_text(json_t *fields, const char *name)
{
    json_t *v = json_object_get(fields, name);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Effects of each action on the problem beyond its state and deadlines. */
static void effects(arena *a, const char *action, json_t *fields, store_problem *pr, int64_t now)
{
    const char *method = field_text(fields, "method"), *finding = field_text(fields, "finding");
    if (strcmp(action, "assign") == 0) {
        pr->assigned_at = now;
        if (strcmp(pr->mode, "ongoing") == 0)
            pr->staged_due = day_text(a, cal_add_months(cal_local_day(now), 3));
    } else if (strcmp(action, "report") == 0) {
        pr->progress = arena_strdup(a, field_text(fields, "progress"));
        if (json_is_true(json_object_get(fields, "staged_result"))) pr->staged_done = 1;
    } else if (strcmp(action, "claim") == 0) {
        pr->progress = arena_strdup(a, field_text(fields, "summary"));
    } else if (strcmp(action, "verify_pass") == 0 || strcmp(action, "verify_fail") == 0) {
        pr->verification = arena_sprintf(a, "%s：%s", method ? method : "", finding ? finding : "");
        if (strcmp(action, "verify_pass") == 0) pr->closed_at = now;
    } else if (strcmp(action, "supervise") == 0) {
        /* The leader is a user (leader_id, named on the row by act_fn); older events: text. */
        pr->supervised = 1;
        if (field_text(fields, "leader"))
            pr->supervisor = arena_strdup(a, field_text(fields, "leader"));
    } else if (strcmp(action, "reopen") == 0) {
        pr->reopened++;
        pr->closed_at = 0;
        pr->verification = arena_sprintf(a, "回头看：%s", finding ? finding : "");
    }
}

/*
 * Applies the action's deadline effects to the problem's deadline columns. *basis: the working
 * days the deadline itself was counted in (> 0), -1 when it was set otherwise, 0 untouched.
 */
static void apply_deadlines(const app *ap, arena *a, const flow_action *act, json_t *fields,
                            store_problem *pr, cal_day today, int *basis)
{
    *basis = 0;
    for (size_t i = 0; i < act->ndeadlines; i++) {
        const flow_deadline *d = &act->deadlines[i];
        const char **slot = strcmp(d->name, "deadline") == 0     ? &pr->deadline
                            : strcmp(d->name, "sign_by") == 0    ? &pr->sign_by
                            : strcmp(d->name, "staged_due") == 0 ? &pr->staged_due
                                                                 : NULL;
        if (!slot) continue;
        int estimated = 0;
        cal_day due = today;
        switch (d->kind) {
        case FD_WORKDAYS:
            due = calendar_add_workdays(ap->cal, today, d->amount, &estimated);
            break;
        case FD_DAYS:
            due = today + d->amount;
            break;
        case FD_FIELD:
            if (!field_text(fields, d->field) || cal_parse(field_text(fields, d->field), &due))
                continue;
            calendar_is_workday(ap->cal, due, &estimated); /* flags a year without data */
            break;
        case FD_CLEAR:
            if (slot != &pr->deadline) *slot = NULL; /* the deadline itself stays on record */
            continue;
        }
        *slot = day_text(a, due);
        if (slot == &pr->deadline) {
            pr->deadline_estimated = estimated;
            *basis = d->kind == FD_WORKDAYS ? d->amount : -1;
        }
    }
}

/* A deadline taken from the form (an extension, a reopening) must not lie in the past. */
static err_code check_new_deadlines(const flow_action *act, json_t *fields, cal_day today,
                                    flow_refusal *why)
{
    for (size_t i = 0; i < act->ndeadlines; i++) {
        const flow_deadline *d = &act->deadlines[i];
        cal_day due;
        const char *text = d->kind == FD_FIELD ? field_text(fields, d->field) : NULL;
        if (!text || cal_parse(text, &due) || due >= today) continue;
        snprintf(why->field, sizeof why->field, "%s", d->field);
        snprintf(why->message, sizeof why->message, "新的时限不能早于今天");
        return E_FIELD_INVALID;
    }
    return E_OK;
}

/* Attachments offered as evidence must belong to this problem and not be used yet. */
static err_code claim_evidence(store_tx *tx, problem_op *op, int64_t event_id, size_t *count)
{
    *count = 0;
    for (size_t i = 0; i < op->in->nattachments; i++) {
        int ok = 0;
        err_code e = store_attachment_bind(tx, FLOW, op->id, op->in->attachments[i], event_id, &ok);
        if (e != E_OK) return e;
        if (!ok) {
            snprintf(op->why->field, sizeof op->why->field, "attachments");
            snprintf(op->why->message, sizeof op->why->message, "佐证材料无效或已被使用");
            return E_FIELD_INVALID;
        }
        (*count)++;
    }
    return E_OK;
}

static err_code act_fn(store_tx *tx, void *ctx)
{
    problem_op *op = ctx;
    op->tx = tx;
    err_code e;
    if (!may_read(tx, op->a, op->p, op->id, &e)) return e;
    store_problem *pr = op->out;
    e = store_problem_get(tx, op->a, op->id, pr);
    if (e != E_OK) return e;
    if (op->in->version > 0 && op->in->version != pr->version) return E_CONFLICT;
    const flow_def *f = problem_flow_def(op->ap);
    flow_item item;
    e = flow_view(tx, op, pr, &item);
    if (e != E_OK) return e;
    e = flow_check(f, &item, op->p, op->in->action, op->in->fields, op->in->nattachments, op->why);
    if (e != E_OK) return e;
    const flow_action *act = flow_action_named(f, op->in->action);
    int64_t now = clock_now();
    cal_day today = cal_local_day(now);
    e = check_new_deadlines(act, op->in->fields, today, op->why);
    if (e != E_OK) return e;
    const char *leader = NULL;
    e = check_user_fields(tx, op, act, pr, "leader_id", &leader);
    if (e != E_OK) return e;
    /* Asked only once the action and its form pass: an outsider learns nothing from a 428. */
    if (op->in->version == 0) return E_VERSION_REQUIRED;
    const char *from = pr->state;
    pr->state = flow_next_state(f, act, from);
    effects(op->a, act->name, op->in->fields, pr, now);
    if (leader && strcmp(act->name, "supervise") == 0) pr->supervisor = leader;
    int basis;
    apply_deadlines(op->ap, op->a, act, op->in->fields, pr, today, &basis);
    problem_refresh_overdue(op->a, pr, today);
    pr->updated_at = now;
    e = store_problem_update(tx, pr);
    if (e == E_OK && basis)
        e = store_deadline_basis_set(tx, FLOW, pr->id, "deadline",
                                     basis > 0 && pr->deadline_estimated ? day_text(op->a, today)
                                                                         : NULL,
                                     basis);
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
    size_t used;
    if (e == E_OK) e = claim_evidence(tx, op, ev.id, &used);
    if (e != E_OK) return e;
    return app_audit(op->ap, tx, op->a, op->p, arena_sprintf(op->a, "problem.%s", act->name),
                     arena_sprintf(op->a, "problem:%lld", (long long)pr->id),
                     json_pack("{ss ss sI sI}", "from", from, "to", pr->state, "event_id",
                               (json_int_t)ev.id, "evidence", (json_int_t)used));
}

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    int64_t task_id;
    const char *result, *finding, *new_deadline;
    flow_refusal *why;
} lookback_op;

/* The whole look-back in one transaction: check the task, reopen if so, mark it done. */
static err_code lookback_fn(store_tx *tx, void *ctx)
{
    lookback_op *op = ctx;
    store_lookback task;
    err_code e = store_lookback_get(tx, op->a, op->task_id, &task);
    if (e != E_OK) return e;
    if (!op->p->system && task.leader_id != op->p->user_id) return E_FORBIDDEN;
    if (task.done_at) {
        snprintf(op->why->message, sizeof op->why->message, "该回头看任务已完成");
        return E_CONFLICT;
    }
    store_problem pr;
    if (strcmp(op->result, "reopened") == 0) {
        /* The reopen action checks the leader's permission and the form itself. */
        json_t *fields = json_pack("{ss ss}", "finding", op->finding, "new_deadline",
                                   op->new_deadline ? op->new_deadline : "");
        problem_action_input in = {"reopen", fields, NULL, 0, PROBLEM_VERSION_ANY};
        problem_op pop = {.ap = op->ap,
                          .a = op->a,
                          .p = op->p,
                          .id = task.problem_id,
                          .out = &pr,
                          .in = &in,
                          .why = op->why};
        e = act_fn(tx, &pop);
        json_decref(fields);
    } else {
        e = store_problem_get(tx, op->a, task.problem_id, &pr);
        if (e == E_OK && strcmp(pr.state, "closed") != 0) {
            snprintf(op->why->message, sizeof op->why->message,
                     "问题已重新进入整改，不能再确认为未反弹");
            e = E_CONFLICT;
        }
    }
    if (e == E_OK) e = store_lookback_done(tx, op->task_id, op->result, op->finding, clock_now());
    if (e != E_OK) return e;
    return app_audit(
        op->ap, tx, op->a, op->p, "problem.lookback",
        arena_sprintf(op->a, "problem:%lld", (long long)task.problem_id),
        json_pack("{sI ss}", "task_id", (json_int_t)op->task_id, "result", op->result));
}

err_code problem_lookback_complete(app *ap, arena *a, const principal *p, int64_t task_id,
                                   const char *result, const char *finding,
                                   const char *new_deadline, flow_refusal *why)
{
    memset(why, 0, sizeof *why);
    if (!result || (strcmp(result, "held") != 0 && strcmp(result, "reopened") != 0)) {
        snprintf(why->field, sizeof why->field, "result");
        return E_FIELD_INVALID;
    }
    lookback_op op = {.ap = ap,
                      .a = a,
                      .p = p,
                      .task_id = task_id,
                      .result = result,
                      .finding = finding ? finding : "",
                      .new_deadline = new_deadline,
                      .why = why};
    return store_write(ap->st, lookback_fn, &op);
}

err_code problem_act(app *ap, arena *a, const principal *p, int64_t id,
                     const problem_action_input *in, store_problem *out, flow_refusal *why)
{
    memset(why, 0, sizeof *why);
    if (!in->action || !*in->action) {
        snprintf(why->field, sizeof why->field, "action");
        return E_FIELD_REQUIRED;
    }
    problem_op op = {.ap = ap, .a = a, .p = p, .id = id, .out = out, .in = in, .why = why};
    return store_write(ap->st, act_fn, &op);
}
