/*
 * problems — the problem list (问题清单): list with filters, register, read with its timeline,
 * the actions the caller may take now (with their forms), and taking an action.
 * Scope: problem.read over the lead unit or a co-unit; each action's own permission.
 */
#include "problem/problem_int.h"

#include "core/store_fn.h"
#include "problem/problem.h"

#include <stddef.h>
#include <string.h>

static const flow_def *problem_flow(http_req *r)
{
    return problem_flow_def(http_app(r));
}

static const char *state_title(http_req *r, const char *state)
{
    const flow_state *s = flow_state_named(problem_flow(r), state);
    return s ? s->title : state;
}

static json_t *opt_text(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

json_t *api_problem_json(http_req *r, const store_problem *p)
{
    json_t *j = json_pack("{sI ss ss ss ss ss sI ss ss ss ss ss ss ss ss ss ss ss}", "id",
                          (json_int_t)p->id, "source", p->source, "category", p->category, "title",
                          p->title, "description", p->description, "found_on", p->found_on,
                          "unit_id", (json_int_t)p->unit_id, "unit_name", p->unit_name, "leader",
                          p->leader, "person", p->person, "measures", p->measures, "goal", p->goal,
                          "mode", p->mode, "mode_title", problem_mode_title(p->mode), "state",
                          p->state, "state_title", state_title(r, p->state), "deadline",
                          p->deadline, "original_deadline", p->original_deadline);
    json_t *counits = json_array();
    for (size_t i = 0; i < p->ncounits; i++)
        json_array_append_new(counits, json_integer(p->counits[i]));
    json_object_set_new(j, "counit_ids", counits);
    json_object_set_new(j, "subject", json_string(p->subject));
    json_object_set_new(j, "note", json_string(p->note));
    json_object_set_new(j, "progress", json_string(p->progress));
    json_object_set_new(j, "verification", json_string(p->verification));
    json_object_set_new(j, "supervisor", json_string(p->supervisor));
    json_object_set_new(j, "sign_by", opt_text(p->sign_by));
    json_object_set_new(j, "staged_due", opt_text(p->staged_due));
    json_object_set_new(j, "overdue_since", opt_text(p->overdue_since));
    json_object_set_new(j, "deadline_estimated", json_boolean(p->deadline_estimated));
    json_object_set_new(j, "staged_done", json_boolean(p->staged_done));
    json_object_set_new(j, "overdue", json_boolean(p->overdue));
    json_object_set_new(j, "supervised", json_boolean(p->supervised));
    json_object_set_new(j, "reopened", json_integer(p->reopened));
    json_object_set_new(j, "leader_user_id",
                        p->leader_user_id ? json_integer(p->leader_user_id) : json_null());
    json_object_set_new(j, "assigned_at", api_time(p->assigned_at));
    json_object_set_new(j, "closed_at", api_time(p->closed_at));
    json_object_set_new(j, "created_at", api_time(p->created_at));
    json_object_set_new(j, "updated_at", api_time(p->updated_at));
    json_object_set_new(j, "version", json_integer(p->version));
    return j;
}

/* ---- list ---- */

typedef struct {
    arena *a;
    store_problem_filter f;
    store_problem *items;
    size_t n;
    int64_t total;
} list_ctx;

STORE_FN(list_fn, list_ctx *c, store_problem_list(tx, c->a, &c->f, &c->items, &c->n, &c->total));

/* Reads the list filters shared by the list, the export and the figures' drill-down. */
err_code api_problem_filter(http_req *r, store_problem_filter *f)
{
    memset(f, 0, sizeof *f);
    err_code e = http_query_id(r, "unit_id", &f->unit_id);
    if (e == E_OK) e = http_query_id(r, "leader_user_id", &f->leader_user_id);
    if (e == E_OK) e = http_query_flag(r, "overdue", 0, &f->overdue);
    if (e == E_OK) e = http_query_flag(r, "supervised", 0, &f->supervised);
    if (e == E_OK) e = http_query_flag(r, "reopened", 0, &f->reopened);
    if (e == E_OK) e = http_query_flag(r, "open", 0, &f->open_only);
    if (e == E_OK) e = api_unit_only(r, f->unit_id, &f->unit_only);
    if (e == E_OK) e = http_query_date(r, "found_from", &f->found_from);
    if (e == E_OK) e = http_query_date(r, "found_to", &f->found_to);
    if (e == E_OK) e = http_query_text(r, "source", HTTP_QUERY_TEXT_MAX, &f->source);
    if (e == E_OK) e = http_query_text(r, "category", HTTP_QUERY_TEXT_MAX, &f->category);
    if (e == E_OK) e = http_query_text(r, "q", HTTP_QUERY_TEXT_MAX, &f->q);
    if (e == E_OK) e = http_query_text(r, "state", HTTP_QUERY_TEXT_MAX, &f->state);
    if (e != E_OK) return e;
    if (f->state && !flow_state_named(problem_flow(r), f->state))
        return http_fail(r, E_BAD_QUERY, "state");
    f->scope = authz_scope(http_principal(r), "problem.read", http_arena(r));
    return api_problem_task_filter(r, f);
}

err_code api_problems_list(http_req *r)
{
    list_ctx c = {.a = http_arena(r)};
    err_code e = api_problem_filter(r, &c.f);
    if (e == E_OK) e = api_list_page(r, 20, &c.f.limit, &c.f.offset);
    if (e != E_OK) return e;
    e = api_read_filtered(r, list_fn, &c);
    if (e != E_OK) return e;
    json_t *items = json_array();
    for (size_t i = 0; i < c.n; i++)
        json_array_append_new(items, api_problem_json(r, &c.items[i]));
    return http_reply(r, 200, json_pack("{so sI}", "items", items, "total", (json_int_t)c.total));
}

/* ---- register ---- */

typedef struct {
    const char *source, *category, *title, *description, *found_on, *leader, *person, *measures,
        *goal, *mode, *subject, *note, *deadline;
    int64_t unit_id, leader_user_id, deadline_days, deadline_workdays;
    json_t *counit_ids;
} problem_body;

#define PB(f) offsetof(problem_body, f)
static const jfield register_spec[] = {
    {"source", JF_STR, 1, PB(source), 20, 0, 0},
    {"category", JF_STR, 1, PB(category), 20, 0, 0},
    {"title", JF_STR, 1, PB(title), 100, 0, 0},
    {"description", JF_STR, 1, PB(description), 4000, 0, 0},
    {"found_on", JF_STR, 1, PB(found_on), 10, 0, 0},
    {"unit_id", JF_INT, 1, PB(unit_id), 0, 1, INT64_MAX},
    {"counit_ids", JF_IDS, 0, PB(counit_ids), 20, 0, 0},
    {"leader", JF_STR, 0, PB(leader), 40, 0, 0},
    {"leader_user_id", JF_INT, 0, PB(leader_user_id), 0, 1, INT64_MAX},
    {"person", JF_STR, 0, PB(person), 40, 0, 0},
    {"measures", JF_STR, 0, PB(measures), 2000, 0, 0},
    {"goal", JF_STR, 0, PB(goal), 1000, 0, 0},
    {"mode", JF_STR, 1, PB(mode), 10, 0, 0},
    {"subject", JF_STR, 0, PB(subject), 100, 0, 0},
    {"note", JF_STR, 0, PB(note), 1000, 0, 0},
    {"deadline", JF_STR, 0, PB(deadline), 10, 0, 0},
    {"deadline_days", JF_INT, 0, PB(deadline_days), 0, 1, 3650},
    {"deadline_workdays", JF_INT, 0, PB(deadline_workdays), 0, 1, 2500},
    JF_END,
};
#undef PB

static const int64_t *id_array(arena *a, json_t *arr, size_t *n)
{
    *n = json_array_size(arr);
    int64_t *ids = arena_alloc(a, (*n + 1) * sizeof *ids);
    for (size_t i = 0; i < *n; i++)
        ids[i] = json_integer_value(json_array_get(arr, i));
    return ids;
}

err_code api_problems_create(http_req *r)
{
    problem_body b = {0};
    uint32_t present;
    err_code e = http_parse(r, register_spec, &b, &present);
    if (e != E_OK) return e;
    problem_input in = {b.source,
                        b.category,
                        b.title,
                        b.description,
                        b.found_on,
                        b.leader,
                        b.person,
                        b.measures,
                        b.goal,
                        b.mode,
                        b.subject,
                        b.note,
                        b.unit_id,
                        b.leader_user_id,
                        NULL,
                        0,
                        b.deadline,
                        b.deadline_days,
                        b.deadline_workdays};
    in.counits = id_array(http_arena(r), b.counit_ids, &in.ncounits);
    store_problem out;
    const char *field;
    e = problem_register(http_app(r), http_arena(r), http_principal(r), &in, &out, &field);
    if (e != E_OK) return http_fail(r, e, field);
    return http_reply(r, 201, api_problem_json(r, &out));
}

/* ---- read, with timeline and attachments ---- */

typedef struct {
    arena *a;
    const flow_def *flow;
    int64_t id;
    store_event *events;
    size_t nevents;
    store_attachment *files;
    size_t nfiles;
    json_t **actors; /* per event: who took it, as a person (new references) */
    json_t **labels; /* per event: {field: label} for fields naming a user (挂牌督办's leader) */
} detail_ctx;

/* {field: 姓名（单位）} for the event's fields of type user; NULL when it has none. */
static json_t *user_field_labels(store_tx *tx, detail_ctx *d, api_people *pp, const store_event *ev)
{
    const flow_action *act = flow_action_named(d->flow, ev->action);
    if (!act) return NULL;
    json_error_t jerr;
    json_t *fields = NULL, *labels = NULL;
    for (size_t k = 0; k < act->nfields; k++) {
        if (act->fields[k].type != FF_USER) continue;
        if (!fields) fields = json_loads(ev->fields, 0, &jerr);
        json_t *v = json_object_get(fields, act->fields[k].name);
        if (!json_is_integer(v)) continue;
        if (!labels) labels = json_object();
        json_object_set_new(labels, act->fields[k].name,
                            json_string(api_actor_label(tx, pp, json_integer_value(v), "")));
    }
    json_decref(fields);
    return labels;
}

static err_code detail_fn(store_tx *tx, void *ctx)
{
    detail_ctx *d = ctx;
    err_code e = store_event_list(tx, d->a, "problem", d->id, &d->events, &d->nevents);
    if (e == E_OK) e = store_attachment_list(tx, d->a, "problem", d->id, &d->files, &d->nfiles);
    if (e != E_OK) return e;
    api_people *pp = api_people_new(d->a);
    d->actors = arena_alloc(d->a, (d->nevents + 1) * sizeof *d->actors);
    d->labels = arena_alloc(d->a, (d->nevents + 1) * sizeof *d->labels);
    for (size_t i = 0; i < d->nevents; i++) {
        d->actors[i] = api_actor_json(tx, pp, d->events[i].actor_id, d->events[i].actor);
        d->labels[i] = user_field_labels(tx, d, pp, &d->events[i]);
    }
    api_people_free(pp);
    return E_OK;
}

static const char *action_title(http_req *r, const char *action)
{
    if (strcmp(action, "register") == 0) return "登记";
    if (strcmp(action, "urge") == 0) return "催办"; /* outward/: 催办, a timeline event only */
    /* events written by the feeds mechanism (src/feeds/) */
    if (strcmp(action, "recalendar") == 0) return "节假日安排导入后重算时限";
    if (strcmp(action, "publish") == 0) return "设为公开";
    if (strcmp(action, "unpublish") == 0) return "取消公开";
    const flow_action *a = flow_action_named(problem_flow(r), action);
    return a ? a->title : action;
}

static json_t *timeline(http_req *r, const detail_ctx *d)
{
    json_t *items = json_array();
    for (size_t i = 0; i < d->nevents; i++) {
        const store_event *ev = &d->events[i];
        json_error_t jerr;
        json_t *fields = json_loads(ev->fields, 0, &jerr);
        json_t *files = json_array();
        for (size_t k = 0; k < d->nfiles; k++)
            if (d->files[k].event_id == ev->id)
                json_array_append_new(files, json_integer(d->files[k].id));
        json_t *j = json_pack("{sI ss ss ss ss ss ss so so}", "id", (json_int_t)ev->id, "action",
                              ev->action, "action_title", action_title(r, ev->action), "from",
                              ev->from_state, "to", ev->to_state, "to_title",
                              state_title(r, ev->to_state), "actor", ev->actor, "fields",
                              fields ? fields : json_object(), "attachment_ids", files);
        json_object_set_new(j, "at", api_time(ev->at));
        json_object_set_new(j, "actor_person", d->actors[i]);
        json_object_set_new(j, "field_labels", d->labels[i] ? d->labels[i] : json_object());
        json_array_append_new(items, j);
    }
    return items;
}

static json_t *attachments_json(const detail_ctx *d)
{
    json_t *items = json_array();
    for (size_t i = 0; i < d->nfiles; i++) {
        const store_attachment *f = &d->files[i];
        json_t *j = json_pack("{sI ss ss sI}", "id", (json_int_t)f->id, "filename", f->filename,
                              "mime", f->mime, "size", (json_int_t)f->size);
        json_object_set_new(j, "event_id", f->event_id ? json_integer(f->event_id) : json_null());
        json_object_set_new(j, "created_at", api_time(f->created_at));
        json_array_append_new(items, j);
    }
    return items;
}

err_code api_problems_get(http_req *r)
{
    int64_t id;
    store_problem p;
    err_code e = http_param_id(r, "id", &id);
    if (e == E_OK) e = problem_get(http_app(r), http_arena(r), http_principal(r), id, &p);
    if (e != E_OK) return e;
    detail_ctx d = {.a = http_arena(r), .flow = problem_flow(r), .id = id};
    e = store_read(http_app(r)->st, detail_fn, &d);
    if (e != E_OK) return e;
    json_t *body = api_problem_json(r, &p);
    json_object_set_new(body, "events", timeline(r, &d));
    json_object_set_new(body, "attachments", attachments_json(&d));
    return http_reply(r, 200, body);
}

/* ---- actions ---- */

/* The flow itself, for the UI's labels: states, and every action with its fields' titles. */
err_code api_problem_flow(http_req *r)
{
    const flow_def *f = problem_flow(r);
    json_t *states = json_array(), *actions = json_array();
    for (size_t i = 0; i < f->nstates; i++)
        json_array_append_new(states,
                              json_pack("{ss ss sb}", "name", f->states[i].name, "title",
                                        f->states[i].title, "terminal", f->states[i].terminal));
    for (size_t i = 0; i < f->nactions; i++)
        json_array_append_new(actions, api_flow_action_json(&f->actions[i]));
    return http_reply(r, 200,
                      json_pack("{ss ss so so}", "name", f->name, "title", f->title, "states",
                                states, "actions", actions));
}

err_code api_problems_actions(http_req *r)
{
    int64_t id;
    store_problem p;
    err_code e = http_param_id(r, "id", &id);
    if (e == E_OK) e = problem_get(http_app(r), http_arena(r), http_principal(r), id, &p);
    if (e != E_OK) return e;
    const flow_action **acts;
    size_t n;
    e = problem_actions(http_app(r), http_arena(r), http_principal(r), &p, &acts, &n);
    if (e != E_OK) return e;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *j = api_flow_action_json(acts[i]);
        /* A field naming a user offers the users it may name (挂牌督办's leader). */
        for (size_t k = 0; k < acts[i]->nfields; k++) {
            const flow_field *fl = &acts[i]->fields[k];
            if (fl->type != FF_USER) continue;
            store_user *users;
            size_t nu;
            e = problem_field_users(http_app(r), http_arena(r), &p, fl, &users, &nu);
            if (e != E_OK) {
                json_decref(j);
                json_decref(items);
                return e;
            }
            json_t *opts = json_array();
            for (size_t u = 0; u < nu; u++)
                json_array_append_new(
                    opts, json_pack("{sI ss ss ss}", "id", (json_int_t)users[u].id, "name",
                                    users[u].name, "unit_name", users[u].unit_name, "label",
                                    arena_sprintf(http_arena(r), "%s（%s）", users[u].name,
                                                  users[u].unit_name)));
            json_object_set_new(json_array_get(json_object_get(j, "fields"), k), "options", opts);
        }
        json_array_append_new(items, j);
    }
    return http_reply(r, 200,
                      json_pack("{so sI}", "items", items, "version", (json_int_t)p.version));
}

typedef struct {
    json_t *fields, *attachment_ids;
    int64_t version;
} act_body;

static const jfield act_spec[] = {
    {"fields", JF_OBJ, 0, offsetof(act_body, fields), 0, 0, 0},
    {"attachment_ids", JF_IDS, 0, offsetof(act_body, attachment_ids), 20, 0, 0},
    {"version", JF_INT, 0, offsetof(act_body, version), 0, 1, INT64_MAX},
    JF_END,
};

err_code api_problems_act(http_req *r)
{
    int64_t id;
    act_body b = {0};
    uint32_t present;
    err_code e = http_param_id(r, "id", &id);
    if (e == E_OK) e = http_parse(r, act_spec, &b, &present);
    if (e != E_OK) return e;
    problem_action_input in = {http_param(r, "action"), b.fields, NULL, 0, b.version};
    in.attachments = id_array(http_arena(r), b.attachment_ids, &in.nattachments);
    store_problem out;
    flow_refusal why;
    e = problem_act(http_app(r), http_arena(r), http_principal(r), id, &in, &out, &why);
    if (e != E_OK) {
        if (why.message[0]) http_set_message(r, arena_strdup(http_arena(r), why.message));
        return http_fail(r, e, why.field[0] ? arena_strdup(http_arena(r), why.field) : NULL);
    }
    return http_reply(r, 200, api_problem_json(r, &out));
}

/* Evidence for an action the caller could take on the problem now (the evidence is for it). */
err_code api_problem_attachments_upload(http_req *r)
{
    app *ap = http_app(r);
    const principal *p = http_principal(r);
    int64_t id;
    store_problem pr;
    err_code e = http_param_id(r, "id", &id);
    if (e == E_OK) e = problem_get(ap, http_arena(r), p, id, &pr);
    if (e != E_OK) return e;
    const flow_action **acts;
    size_t nacts;
    e = problem_actions(ap, http_arena(r), p, &pr, &acts, &nacts);
    if (e != E_OK) return e;
    if (nacts == 0) return E_FORBIDDEN;
    return api_attachment_upload(r, "problem",
                                 arena_sprintf(http_arena(r), "problem:%lld", (long long)id), id);
}
