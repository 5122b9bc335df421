/*
 * study — rules and changes of the study and outreach registry (see study.h). Each change is
 * one write transaction: load what it refers to, check the caller's permission over the unit
 * as the tree stands inside the transaction, validate, write, audit.
 */
#include "study/study.h"

#include "base/clock.h"
#include "base/jsonx.h"
#include "base/text.h"

#include <stdlib.h>
#include <string.h>

const char *const study_ranks[] = {"县处级", "乡科级", "一般干部", "普通党员",
                                   "群众",   "其他",   NULL};

int study_rank_valid(const char *rank)
{
    for (const char *const *r = study_ranks; *r; r++)
        if (strcmp(*r, rank) == 0) return 1;
    return 0;
}

/* ---- rules ---- */

static int days_in_month(int year, int month)
{
    return (int)(cal_add_months(cal_from_ymd(year, month, 1), 1) - cal_from_ymd(year, month, 1));
}

study_compliance study_branch_compliance(int64_t fixed_day, int year, int month,
                                         const store_branch_session *s, size_t n)
{
    study_compliance c = {.fixed_day = fixed_day, .sessions = (int64_t)n};
    if (n == 0) return c;
    int last = days_in_month(year, month);
    int want = fixed_day > last ? last : (int)fixed_day;
    c.one_topic = c.one_lead = c.all_shared = 1;
    int64_t present = 0;
    for (size_t i = 0; i < n; i++) {
        cal_day d;
        int y, m, day;
        if (fixed_day > 0 && cal_parse(s[i].held_on, &d) == 0) {
            cal_to_ymd(d, &y, &m, &day);
            if (day == want) c.held_on_fixed_day = 1;
        }
        if (!s[i].topic[0] || strcmp(s[i].topic, s[0].topic) != 0) c.one_topic = 0;
        if (!s[i].lead_person_id && !s[i].lead_name[0]) c.one_lead = 0;
        if (s[i].shared < s[i].present) c.all_shared = 0;
        present += s[i].present;
    }
    if (present == 0) c.all_shared = 0;
    c.compliant = c.held_on_fixed_day && c.one_topic && c.one_lead && c.all_shared;
    return c;
}

int64_t study_days_since(const char *date, const char *today)
{
    cal_day d, t;
    if (!date || !*date || cal_parse(date, &d) || !today || cal_parse(today, &t)) return -1;
    return (int64_t)(t - d);
}

/* ---- the shape of a change ---- */

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    const char **bad_field;
    void *data;
} study_op;

static err_code fail(study_op *op, err_code e, const char *field)
{
    *op->bad_field = field;
    return e;
}

static err_code check_text(study_op *op, const char *v, size_t max, int required, const char *field)
{
    err_code e = text_check_field(v, max, required);
    return e == E_OK ? E_OK : fail(op, e, field);
}

/* A date the user typed that must not lie in the future (a record of what happened). */
static err_code check_past_date(study_op *op, const char *v, const char *field)
{
    cal_day d;
    if (!v || !*v) return fail(op, E_FIELD_REQUIRED, field);
    if (cal_parse(v, &d)) return fail(op, E_FIELD_INVALID, field);
    if (d > cal_local_day(clock_now())) return fail(op, E_DATE_FUTURE, field);
    return E_OK;
}

static err_code check_range(study_op *op, int64_t v, int64_t min, int64_t max, const char *field)
{
    return v < min || v > max ? fail(op, E_FIELD_INVALID, field) : E_OK;
}

/* The unit by id, which the caller must hold perm over. */
static err_code unit_for(study_op *op, store_tx *tx, int64_t id, const char *perm,
                         const char *field, store_unit *u)
{
    err_code e = store_unit_get(tx, op->a, id, u);
    if (e == E_NOT_FOUND) return fail(op, E_FIELD_INVALID, field);
    if (e != E_OK) return e;
    return authz_can(op->p, perm, u->path) ? E_OK : E_FORBIDDEN;
}

/* The activity by id, whose unit the caller must hold perm over. */
static err_code activity_for(study_op *op, store_tx *tx, int64_t id, const char *perm,
                             store_activity *x)
{
    err_code e = store_activity_get(tx, op->a, id, x);
    if (e != E_OK) return e;
    return authz_can(op->p, perm, x->unit_path) ? E_OK : E_FORBIDDEN;
}

static err_code audit_change(study_op *op, store_tx *tx, const char *action, const char *kind,
                             int64_t id, json_t *detail)
{
    return app_audit(op->ap, tx, op->a, op->p, action,
                     arena_sprintf(op->a, "%s:%lld", kind, (long long)id), detail);
}

static err_code run(app *ap, arena *a, const principal *p, const char **bad_field, void *data,
                    store_fn fn)
{
    const char *ignored;
    study_op op = {ap, a, p, bad_field ? bad_field : &ignored, data};
    *op.bad_field = NULL;
    return store_write(ap->st, fn, &op);
}

/* ---- persons ---- */

typedef struct {
    store_person *x;
    int create;
} person_args;

static err_code person_fn(store_tx *tx, void *ctx)
{
    study_op *op = ctx;
    person_args *in = op->data;
    store_person *x = in->x;
    store_unit u;
    err_code e = check_text(op, x->name, 40, 1, "name");
    if (e == E_OK) e = check_text(op, x->position, 60, 0, "position");
    if (e != E_OK) return e;
    if (!x->rank || !*x->rank) x->rank = "其他";
    if (!study_rank_valid(x->rank)) return fail(op, E_FIELD_INVALID, "rank");
    if (x->party_member != 0 && x->party_member != 1)
        return fail(op, E_FIELD_INVALID, "party_member");
    if (!in->create) { /* the person as it is must be the caller's to change, too */
        store_person old;
        e = store_person_get(tx, op->a, x->id, &old);
        if (e != E_OK) return e;
        if (!authz_can(op->p, "study.write", old.unit_path)) return E_FORBIDDEN;
    }
    e = unit_for(op, tx, x->unit_id, "study.write", "unit_id", &u);
    if (e != E_OK) return e;
    if (!x->position) x->position = "";
    x->created_at = clock_now();
    e = in->create ? store_person_insert(tx, x) : store_person_update(tx, x);
    if (e == E_DUPLICATE) return fail(op, e, "name");
    if (e != E_OK) return e;
    return audit_change(op, tx, in->create ? "study.person.create" : "study.person.update",
                        "person", x->id,
                        json_pack("{ss sI ss}", "name", x->name, "unit_id", (json_int_t)x->unit_id,
                                  "rank", x->rank));
}

err_code study_person_save(app *ap, arena *a, const principal *p, store_person *x, int create,
                           const char **bad_field)
{
    person_args in = {x, create};
    return run(ap, a, p, bad_field, &in, person_fn);
}

/* ---- activities ---- */

typedef struct {
    store_activity *x;
    int create;
} activity_args;

static err_code activity_refs(study_op *op, store_tx *tx, store_activity *x)
{
    err_code e = E_OK;
    if (x->lead_person_id) {
        /* a lead the caller may see (the lead's name is shown with the activity) */
        store_person lead;
        e = store_person_get(tx, op->a, x->lead_person_id, &lead);
        if (e == E_NOT_FOUND || (e == E_OK && !authz_can(op->p, "study.read", lead.unit_path)))
            return fail(op, E_FIELD_INVALID, "lead_person_id");
    }
    if (e == E_OK && x->plan_id) {
        store_plan plan;
        e = store_plan_get(tx, op->a, x->plan_id, &plan);
        if (e == E_NOT_FOUND || (e == E_OK && plan.unit_id != x->unit_id))
            return fail(op, E_FIELD_INVALID, "plan_id");
    }
    int64_t unit;
    const char *path;
    if (e == E_OK && x->brand_id) {
        e = store_outreach_unit(tx, op->a, "brand", x->brand_id, &unit, &path);
        if (e == E_NOT_FOUND) return fail(op, E_FIELD_INVALID, "brand_id");
    }
    if (e == E_OK && x->team_id) {
        e = store_outreach_unit(tx, op->a, "team", x->team_id, &unit, &path);
        if (e == E_NOT_FOUND) return fail(op, E_FIELD_INVALID, "team_id");
    }
    return e;
}

static err_code activity_fn(store_tx *tx, void *ctx)
{
    study_op *op = ctx;
    activity_args *in = op->data;
    store_activity *x = in->x;
    store_activity_kind kind;
    store_unit u;
    err_code e = store_activity_kind_get(tx, op->a, x->kind ? x->kind : "", &kind);
    if (e == E_NOT_FOUND) return fail(op, E_FIELD_INVALID, "kind");
    if (e == E_OK) e = check_past_date(op, x->held_on, "held_on");
    if (e == E_OK) e = check_text(op, x->topic, 200, 1, "topic");
    if (e == E_OK) e = check_text(op, x->lead_name, 40, 0, "lead_name");
    if (e == E_OK) e = check_text(op, x->place, 100, 0, "place");
    if (e == E_OK) e = check_text(op, x->minutes, 20000, 0, "minutes");
    if (e == E_OK) e = check_range(op, x->audience, 0, 10000000, "audience");
    if (e != E_OK) return e;
    if (!in->create) {
        store_activity old;
        e = activity_for(op, tx, x->id, "study.write", &old);
        if (e != E_OK) return e;
    }
    e = unit_for(op, tx, x->unit_id, "study.write", "unit_id", &u);
    if (e == E_OK) e = activity_refs(op, tx, x);
    if (e != E_OK) return e;
    const char **texts[] = {&x->lead_name, &x->place, &x->minutes};
    for (size_t i = 0; i < 3; i++)
        if (!*texts[i]) *texts[i] = "";
    x->created_by = op->p->user_id;
    x->created_at = clock_now();
    e = in->create ? store_activity_insert(tx, x) : store_activity_update(tx, x);
    if (e != E_OK) return e;
    return audit_change(
        op, tx, in->create ? "study.activity.create" : "study.activity.update", "activity", x->id,
        json_pack("{ss sI ss ss}", "kind", x->kind, "unit_id", (json_int_t)x->unit_id, "held_on",
                  x->held_on, "topic", x->topic));
}

err_code study_activity_save(app *ap, arena *a, const principal *p, store_activity *x, int create,
                             const char **bad_field)
{
    activity_args in = {x, create};
    return run(ap, a, p, bad_field, &in, activity_fn);
}

/* ---- attendance, reflections, outputs ---- */

typedef struct {
    int64_t activity_id;
    const store_attendance *rows;
    size_t n;
} attendance_args;

static err_code attendance_row(study_op *op, store_tx *tx, const store_activity *x,
                               const attendance_args *in, size_t i)
{
    const store_attendance *r = &in->rows[i];
    const char *at = arena_sprintf(op->a, "items[%zu]", i);
    store_person who;
    err_code e = store_person_get(tx, op->a, r->person_id, &who);
    if (e == E_NOT_FOUND || (e == E_OK && !authz_within(x->unit_path, who.unit_path)))
        return fail(op, E_STUDY_ATTENDEE_OUTSIDE, arena_sprintf(op->a, "%s.person_id", at));
    if (e != E_OK) return e;
    for (size_t k = 0; k < i; k++)
        if (in->rows[k].person_id == r->person_id)
            return fail(op, E_DUPLICATE, arena_sprintf(op->a, "%s.person_id", at));
    if (r->present != 0 && r->present != 1) return fail(op, E_FIELD_INVALID, at);
    if (!r->present) {
        e = text_check_field(r->absence_reason, 100, 1);
        if (e == E_FIELD_REQUIRED) e = E_STUDY_ABSENCE_REASON;
        if (e != E_OK) return fail(op, e, arena_sprintf(op->a, "%s.absence_reason", at));
        if (r->shared) return fail(op, E_FIELD_INVALID, arena_sprintf(op->a, "%s.shared", at));
    }
    return E_OK;
}

static err_code attendance_fn(store_tx *tx, void *ctx)
{
    study_op *op = ctx;
    attendance_args *in = op->data;
    store_activity x;
    err_code e = activity_for(op, tx, in->activity_id, "study.write", &x);
    if (e == E_OK && in->n > 1000) return fail(op, E_FIELD_TOO_LONG, "items");
    for (size_t i = 0; e == E_OK && i < in->n; i++)
        e = attendance_row(op, tx, &x, in, i);
    if (e == E_OK) e = store_attendance_set(tx, in->activity_id, in->rows, in->n);
    if (e != E_OK) return e;
    int64_t present = 0;
    for (size_t i = 0; i < in->n; i++)
        present += in->rows[i].present;
    return audit_change(
        op, tx, "study.attendance.set", "activity", in->activity_id,
        json_pack("{sI sI}", "listed", (json_int_t)in->n, "present", (json_int_t)present));
}

err_code study_attendance_set(app *ap, arena *a, const principal *p, int64_t activity_id,
                              const store_attendance *rows, size_t n, const char **bad_field)
{
    attendance_args in = {activity_id, rows, n};
    return run(ap, a, p, bad_field, &in, attendance_fn);
}

static err_code reflection_fn(store_tx *tx, void *ctx)
{
    study_op *op = ctx;
    store_reflection *r = op->data;
    store_activity x;
    store_person who;
    err_code e = check_text(op, r->text, 5000, 1, "text");
    if (e == E_OK) e = activity_for(op, tx, r->activity_id, "study.write", &x);
    if (e != E_OK) return e;
    e = store_person_get(tx, op->a, r->person_id, &who);
    if (e == E_NOT_FOUND || (e == E_OK && !authz_within(x.unit_path, who.unit_path)))
        return fail(op, E_STUDY_ATTENDEE_OUTSIDE, "person_id");
    r->created_by = op->p->user_id;
    r->created_at = clock_now();
    if (e == E_OK) e = store_reflection_insert(tx, r);
    if (e != E_OK) return e;
    return audit_change(op, tx, "study.reflection.add", "activity", r->activity_id,
                        json_pack("{sI sI}", "reflection_id", (json_int_t)r->id, "person_id",
                                  (json_int_t)r->person_id));
}

err_code study_reflection_add(app *ap, arena *a, const principal *p, store_reflection *r,
                              const char **bad_field)
{
    return run(ap, a, p, bad_field, r, reflection_fn);
}

static err_code output_fn(store_tx *tx, void *ctx)
{
    study_op *op = ctx;
    store_output *o = op->data;
    store_unit u;
    if (!o->kind || (strcmp(o->kind, "调研报告") != 0 && strcmp(o->kind, "理论文章") != 0))
        return fail(op, E_FIELD_INVALID, "kind");
    err_code e = check_text(op, o->title, 200, 1, "title");
    if (e == E_OK) e = check_text(op, o->author, 60, 0, "author");
    if (e == E_OK) e = check_past_date(op, o->published_on, "published_on");
    if (e == E_OK) e = unit_for(op, tx, o->unit_id, "study.write", "unit_id", &u);
    if (e == E_OK && o->activity_id) {
        store_activity x;
        e = store_activity_get(tx, op->a, o->activity_id, &x);
        if (e == E_NOT_FOUND || (e == E_OK && !authz_within(u.path, x.unit_path)))
            return fail(op, E_FIELD_INVALID, "activity_id");
    }
    if (e != E_OK) return e;
    if (!o->author) o->author = "";
    o->created_at = clock_now();
    e = store_output_insert(tx, o);
    if (e != E_OK) return e;
    return audit_change(op, tx, "study.output.add", "output", o->id,
                        json_pack("{ss ss}", "kind", o->kind, "title", o->title));
}

err_code study_output_add(app *ap, arena *a, const principal *p, store_output *o,
                          const char **bad_field)
{
    return run(ap, a, p, bad_field, o, output_fn);
}

/* ---- observers (列席旁听) and their feedback ---- */

typedef struct {
    store_observation *o;
    const char *const *issues;
    size_t nissues;
    int64_t workdays;
} observe_args;

static err_code observe_fn(store_tx *tx, void *ctx)
{
    study_op *op = ctx;
    observe_args *in = op->data;
    store_observation *o = in->o;
    store_activity x;
    static const char *const ratings[] = {"好", "较好", "一般", "差"};
    int rating_ok = 0;
    for (size_t i = 0; o->rating && i < 4; i++)
        rating_ok |= strcmp(o->rating, ratings[i]) == 0;
    err_code e = check_text(op, o->observer, 40, 1, "observer");
    if (e == E_OK) e = check_text(op, o->observer_body, 60, 1, "observer_body");
    if (e == E_OK && !rating_ok) e = fail(op, E_FIELD_INVALID, "rating");
    if (e == E_OK) e = check_text(op, o->comment, 1000, 0, "comment");
    if (e == E_OK) e = check_range(op, in->workdays, 1, 60, "deadline_workdays");
    if (e == E_OK && in->nissues > 20) e = fail(op, E_FIELD_TOO_LONG, "issues");
    for (size_t i = 0; e == E_OK && i < in->nissues; i++)
        e = check_text(op, in->issues[i], 500, 1, arena_sprintf(op->a, "issues[%zu]", i));
    if (e == E_OK) e = activity_for(op, tx, o->activity_id, "study.observe", &x);
    if (e != E_OK) return e;
    if (!o->comment) o->comment = "";
    o->created_by = op->p->user_id;
    o->created_at = clock_now();
    e = store_observation_insert(tx, o);
    int estimated = 0;
    cal_day due = calendar_add_workdays(op->ap->cal, cal_local_day(o->created_at),
                                        (int)in->workdays, &estimated);
    char deadline[11], start[11];
    cal_format(due, deadline);
    cal_format(cal_local_day(o->created_at), start);
    const char *initial =
        study_feedback_flow(op->ap)->states[study_feedback_flow(op->ap)->initial].name;
    for (size_t i = 0; e == E_OK && i < in->nissues; i++) {
        store_feedback f = {.observation_id = o->id,
                            .unit_id = x.unit_id,
                            .issue = in->issues[i],
                            .state = initial,
                            .deadline = deadline,
                            .deadline_estimated = estimated,
                            .created_by = op->p->user_id,
                            .created_at = o->created_at};
        e = store_feedback_insert(tx, &f);
        /* counted again (src/feeds/) when the year's holiday notice arrives */
        if (e == E_OK && estimated)
            e = store_deadline_basis_set(tx, "feedback", f.id, "deadline", start, in->workdays);
    }
    if (e != E_OK) return e;
    return audit_change(op, tx, "study.observe", "activity", o->activity_id,
                        json_pack("{sI ss ss sI ss}", "observation_id", (json_int_t)o->id,
                                  "observer", o->observer, "rating", o->rating, "issues",
                                  (json_int_t)in->nissues, "deadline", deadline));
}

err_code study_observe(app *ap, arena *a, const principal *p, store_observation *o,
                       const char *const *issues, size_t nissues, int64_t workdays,
                       const char **bad_field)
{
    observe_args in = {o, issues, nissues, workdays};
    return run(ap, a, p, bad_field, &in, observe_fn);
}

typedef struct {
    int64_t id;
    json_t *fields;
    store_feedback *out;
    flow_refusal *why;
} answer_args;

static int64_t no_actor(void *ctx, const char *action)
{
    (void)ctx, (void)action;
    return 0;
}

static err_code answer_fn(store_tx *tx, void *ctx)
{
    study_op *op = ctx;
    answer_args *in = op->data;
    store_feedback *f = in->out;
    err_code e = store_feedback_get(tx, op->a, in->id, f);
    if (e != E_OK) return e;
    /* Feedback has one answer and no request to pair it with: the engine needs no history. */
    flow_item item = {.state = f->state,
                      .unit_path = f->unit_path,
                      .last_actor = no_actor,
                      .last_event = no_actor};
    const flow_def *flow = study_feedback_flow(op->ap);
    e = flow_check(flow, &item, op->p, "answer", in->fields, 0, in->why);
    if (e != E_OK) return e;
    const flow_action *act = flow_action_named(flow, "answer");
    const char *from = f->state;
    f->state = flow_next_state(flow, act, from);
    f->answer = arena_strdup(op->a, json_string_value(json_object_get(in->fields, "answer")));
    f->answered_at = clock_now();
    f->overdue = 0;
    e = store_feedback_update(tx, f);
    if (e != E_OK) return e;
    char *fields = jsonx_dump(in->fields);
    store_event ev = {.flow = "feedback",
                      .item_id = f->id,
                      .action = act->name,
                      .from_state = from,
                      .to_state = f->state,
                      .actor_id = op->p->user_id,
                      .actor = op->p->login,
                      .at = f->answered_at,
                      .fields = arena_strdup(op->a, fields)};
    free(fields);
    e = store_event_insert(tx, &ev);
    if (e != E_OK) return e;
    return audit_change(
        op, tx, "study.feedback.answer", "feedback", f->id,
        json_pack("{sI ss}", "activity_id", (json_int_t)f->activity_id, "deadline", f->deadline));
}

err_code study_feedback_answer(app *ap, arena *a, const principal *p, int64_t id, json_t *fields,
                               store_feedback *out, flow_refusal *why)
{
    memset(why, 0, sizeof *why);
    answer_args in = {id, fields, out, why};
    return run(ap, a, p, NULL, &in, answer_fn);
}

/* ---- branches, plans, kinds ---- */

typedef struct {
    int64_t unit_id, fixed_day;
} branch_args;

static err_code branch_fn(store_tx *tx, void *ctx)
{
    study_op *op = ctx;
    branch_args *in = op->data;
    store_unit u;
    err_code e = check_range(op, in->fixed_day, 1, 31, "fixed_day");
    if (e == E_OK) e = unit_for(op, tx, in->unit_id, "study.write", "unit_id", &u);
    if (e != E_OK) return e;
    if (strcmp(u.kind, "branch") != 0) return fail(op, E_STUDY_NOT_BRANCH, "unit_id");
    e = store_branch_rule_set(tx, in->unit_id, in->fixed_day, clock_now());
    if (e != E_OK) return e;
    return audit_change(op, tx, "study.branch.fixed_day", "unit", in->unit_id,
                        json_pack("{sI}", "fixed_day", (json_int_t)in->fixed_day));
}

err_code study_branch_set(app *ap, arena *a, const principal *p, int64_t unit_id, int64_t fixed_day,
                          const char **bad_field)
{
    branch_args in = {unit_id, fixed_day};
    return run(ap, a, p, bad_field, &in, branch_fn);
}

typedef struct {
    store_plan *plan;
    int64_t plan_id;
    const store_plan_topic *topics;
    size_t n;
} plan_args;

static err_code check_topics(study_op *op, const plan_args *in)
{
    if (in->n > 120) return fail(op, E_FIELD_TOO_LONG, "topics");
    for (size_t i = 0; i < in->n; i++) {
        const store_plan_topic *t = &in->topics[i];
        const char *at = arena_sprintf(op->a, "topics[%zu]", i);
        err_code e = check_range(op, t->month, 1, 12, arena_sprintf(op->a, "%s.month", at));
        if (e == E_OK) e = check_text(op, t->topic, 200, 1, arena_sprintf(op->a, "%s.topic", at));
        if (e == E_OK)
            e = check_range(op, t->planned, 0, 31, arena_sprintf(op->a, "%s.planned_sessions", at));
        if (e != E_OK) return e;
    }
    return E_OK;
}

static err_code plan_create_fn(store_tx *tx, void *ctx)
{
    study_op *op = ctx;
    plan_args *in = op->data;
    store_plan *plan = in->plan;
    store_unit u;
    err_code e = check_text(op, plan->title, 100, 1, "title");
    if (e == E_OK) e = check_range(op, plan->year, 2000, 2100, "year");
    if (e == E_OK) e = check_topics(op, in);
    if (e == E_OK) e = unit_for(op, tx, plan->unit_id, "study.write", "unit_id", &u);
    if (e != E_OK) return e;
    plan->created_at = clock_now();
    e = store_plan_insert(tx, plan);
    if (e == E_DUPLICATE) return fail(op, e, "year");
    if (e == E_OK) e = store_plan_set_topics(tx, plan->id, in->topics, in->n);
    if (e != E_OK) return e;
    return audit_change(op, tx, "study.plan.create", "plan", plan->id,
                        json_pack("{sI sI sI}", "unit_id", (json_int_t)plan->unit_id, "year",
                                  (json_int_t)plan->year, "topics", (json_int_t)in->n));
}

err_code study_plan_create(app *ap, arena *a, const principal *p, store_plan *plan,
                           const store_plan_topic *topics, size_t n, const char **bad_field)
{
    plan_args in = {plan, 0, topics, n};
    return run(ap, a, p, bad_field, &in, plan_create_fn);
}

static err_code plan_topics_fn(store_tx *tx, void *ctx)
{
    study_op *op = ctx;
    plan_args *in = op->data;
    store_plan plan;
    err_code e = check_topics(op, in);
    if (e == E_OK) e = store_plan_get(tx, op->a, in->plan_id, &plan);
    if (e != E_OK) return e;
    if (!authz_can(op->p, "study.write", plan.unit_path)) return E_FORBIDDEN;
    e = store_plan_set_topics(tx, plan.id, in->topics, in->n);
    if (e != E_OK) return e;
    return audit_change(op, tx, "study.plan.topics", "plan", plan.id,
                        json_pack("{sI}", "topics", (json_int_t)in->n));
}

err_code study_plan_set_topics(app *ap, arena *a, const principal *p, int64_t plan_id,
                               const store_plan_topic *topics, size_t n, const char **bad_field)
{
    plan_args in = {NULL, plan_id, topics, n};
    return run(ap, a, p, bad_field, &in, plan_topics_fn);
}

static err_code kind_fn(store_tx *tx, void *ctx)
{
    study_op *op = ctx;
    const store_activity_kind *k = op->data;
    store_unit root;
    static const char *const categories[] = {"study", "discussion", "lecture", "outreach"};
    int cat_ok = 0;
    for (size_t i = 0; k->category && i < 4; i++)
        cat_ok |= strcmp(k->category, categories[i]) == 0;
    if (!k->name || !text_is_ident(k->name, 32)) return fail(op, E_FIELD_INVALID, "name");
    err_code e = check_text(op, k->title, 20, 1, "title");
    if (e == E_OK && !cat_ok) e = fail(op, E_FIELD_INVALID, "category");
    if (e == E_OK) e = store_unit_root(tx, op->a, &root);
    if (e == E_OK && !authz_can(op->p, "study.write", root.path)) e = E_FORBIDDEN;
    if (e == E_OK) e = store_activity_kind_insert(tx, k);
    if (e == E_DUPLICATE) return fail(op, e, "name");
    if (e != E_OK) return e;
    return app_audit(op->ap, tx, op->a, op->p, "study.kind.create",
                     arena_sprintf(op->a, "kind:%s", k->name),
                     json_pack("{ss ss}", "title", k->title, "category", k->category));
}

err_code study_kind_add(app *ap, arena *a, const principal *p, const store_activity_kind *k,
                        const char **bad_field)
{
    return run(ap, a, p, bad_field, (void *)k, kind_fn);
}

/* ---- outreach registries ---- */

typedef struct {
    const char *table;
    store_outreach_row *row;
    const int64_t *members;
    size_t nmembers;
} registry_args;

static err_code registry_texts(study_op *op, const registry_args *in)
{
    store_outreach_row *r = in->row;
    const char *t = in->table;
    if (strcmp(t, "site_visit") == 0) {
        err_code e = check_past_date(op, r->visited_on, "visited_on");
        if (e == E_OK) e = check_range(op, r->visitors, 0, 100000, "visitors");
        return e == E_OK ? check_text(op, r->topic, 200, 0, "topic") : e;
    }
    err_code e = check_text(op, r->name, strcmp(t, "edu_site") == 0 ? 60 : 40, 1, "name");
    if (e == E_OK) e = check_text(op, r->description, 500, 0, "description");
    if (e == E_OK) e = check_text(op, r->address, 100, 0, "address");
    return e;
}

static err_code registry_fn(store_tx *tx, void *ctx)
{
    study_op *op = ctx;
    registry_args *in = op->data;
    store_outreach_row *r = in->row;
    store_unit u;
    err_code e = registry_texts(op, in);
    if (e == E_OK) e = unit_for(op, tx, r->unit_id, "study.write", "unit_id", &u);
    if (e != E_OK) return e;
    int64_t ref_unit;
    const char *ref_path;
    if (r->brand_id && store_outreach_unit(tx, op->a, "brand", r->brand_id, &ref_unit, &ref_path))
        return fail(op, E_FIELD_INVALID, "brand_id");
    if (strcmp(in->table, "site_visit") == 0 &&
        store_outreach_unit(tx, op->a, "edu_site", r->site_id, &ref_unit, &ref_path))
        return fail(op, E_FIELD_INVALID, "site_id");
    for (size_t i = 0; i < in->nmembers; i++) { /* members the caller may see */
        store_person who;
        if (store_person_get(tx, op->a, in->members[i], &who) != E_OK ||
            !authz_can(op->p, "study.read", who.unit_path))
            return fail(op, E_FIELD_INVALID, arena_sprintf(op->a, "member_ids[%zu]", i));
    }
    const char **texts[] = {&r->description, &r->address, &r->topic};
    for (size_t i = 0; i < 3; i++)
        if (!*texts[i]) *texts[i] = "";
    r->created_at = clock_now();
    const char *t = in->table;
    e = strcmp(t, "brand") == 0      ? store_brand_insert(tx, r)
        : strcmp(t, "team") == 0     ? store_team_insert(tx, r, in->members, in->nmembers)
        : strcmp(t, "edu_site") == 0 ? store_site_insert(tx, r)
                                     : store_visit_insert(tx, r);
    if (e == E_DUPLICATE) return fail(op, e, "name");
    if (e != E_OK) return e;
    return audit_change(op, tx, arena_sprintf(op->a, "study.%s.create", t), t, r->id,
                        json_pack("{ss sI}", "name", r->name ? r->name : r->visited_on, "unit_id",
                                  (json_int_t)r->unit_id));
}

err_code study_registry_add(app *ap, arena *a, const principal *p, const char *table,
                            store_outreach_row *row, const int64_t *members, size_t nmembers,
                            const char **bad_field)
{
    registry_args in = {table, row, members, nmembers};
    return run(ap, a, p, bad_field, &in, registry_fn);
}

/* ---- the scheduler's part ---- */

typedef struct {
    arena *a;
    int64_t now;
    char today[11], month[8], last_month[8];
    int overdue, noncompliant;
} tick_ctx;

/* Notifies every holder of perm over unit_path, once per dedupe key and user. */
static err_code notify_holders(store_tx *tx, tick_ctx *t, const char *perm, const char *unit_path,
                               const char *flow, int64_t item_id, const char *title,
                               const char *key)
{
    int64_t *ids;
    size_t n;
    err_code e = store_users_with_perm(tx, t->a, perm, unit_path, 0, &ids, &n);
    for (size_t i = 0; e == E_OK && i < n; i++) {
        store_notification note = {.user_id = ids[i],
                                   .kind = key,
                                   .flow = flow,
                                   .item_id = item_id,
                                   .title = title,
                                   .body = "",
                                   .created_at = t->now};
        int added;
        e = store_notification_add(
            tx, &note,
            arena_sprintf(t->a, "%s:%lld:%lld", key, (long long)item_id, (long long)ids[i]),
            &added);
    }
    return e;
}

static err_code overdue_feedback(store_tx *tx, tick_ctx *t)
{
    store_feedback *fs;
    size_t n;
    err_code e = store_feedback_mark_overdue(tx, t->a, t->today, &fs, &n);
    t->overdue = (int)n;
    for (size_t i = 0; e == E_OK && i < n; i++)
        e = notify_holders(tx, t, "study.answer", fs[i].unit_path, "feedback", fs[i].id,
                           arena_sprintf(t->a, "列席旁听反馈逾期未答复：%s", fs[i].issue),
                           "feedback_overdue");
    return e;
}

/* Once a month: the branches that missed 三定一分享 last month, to their clerks. */
static err_code noncompliant_branches(store_tx *tx, tick_ctx *t)
{
    const char *done;
    err_code e = store_meta_get(tx, t->a, "study_compliance_month", &done);
    if (e != E_OK && e != E_NOT_FOUND) return e;
    if (e == E_OK && strcmp(done, t->month) == 0) return E_OK;
    e = store_meta_set(tx, "study_compliance_month", t->month);
    store_branch *bs;
    size_t nb;
    store_branch_session *ss;
    size_t ns;
    int y = atoi(t->last_month), m = atoi(t->last_month + 5);
    char from[11], to[11];
    cal_format(cal_from_ymd(y, m, 1), from);
    cal_format(cal_add_months(cal_from_ymd(y, m, 1), 1) - 1, to);
    if (e == E_OK) e = store_branches(tx, t->a, NULL, NULL, &bs, &nb);
    if (e == E_OK) e = store_branch_sessions(tx, t->a, NULL, NULL, from, to, &ss, &ns);
    for (size_t i = 0; e == E_OK && i < nb; i++) {
        size_t first = 0, count = 0;
        for (size_t k = 0; k < ns; k++)
            if (ss[k].unit_id == bs[i].unit_id && count++ == 0) first = k;
        study_compliance c = study_branch_compliance(bs[i].fixed_day, y, m, ss + first, count);
        if (c.compliant) continue;
        t->noncompliant++;
        e = notify_holders(
            tx, t, "study.write", bs[i].path, "branch", bs[i].unit_id,
            arena_sprintf(t->a, "%s %s未落实“三定一分享”", bs[i].name, t->last_month),
            arena_sprintf(t->a, "branch_noncompliant:%s", t->last_month));
    }
    return e;
}

static err_code tick_fn(store_tx *tx, void *ctx)
{
    tick_ctx *t = ctx;
    err_code e = overdue_feedback(tx, t);
    return e == E_OK ? noncompliant_branches(tx, t) : e;
}

err_code study_tick(app *ap, arena *a, int64_t now, int *overdue, int *noncompliant)
{
    tick_ctx t = {.a = a, .now = now};
    cal_day today = cal_local_day(now);
    int y, m, d;
    cal_format(today, t.today);
    cal_to_ymd(today, &y, &m, &d);
    snprintf(t.month, sizeof t.month, "%04d-%02d", y, m);
    cal_to_ymd(cal_add_months(cal_from_ymd(y, m, 1), -1), &y, &m, &d);
    snprintf(t.last_month, sizeof t.last_month, "%04d-%02d", y, m);
    err_code e = store_write(ap->st, tick_fn, &t);
    if (overdue) *overdue = t.overdue;
    if (noncompliant) *noncompliant = t.noncompliant;
    return e;
}
