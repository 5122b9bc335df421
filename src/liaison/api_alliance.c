/*
 * api_alliance — one alliance (党建联盟) on one page: GET /liaison/alliances/{id}/view gives
 * the alliance (core, 链主, shared base, goals) with its member enterprises and their party
 * branches, the N departments, the three teams with their members, the duty rotation
 * (支部轮值) in month order, the meetings with attendance and minutes and the problems each
 * raised, every problem the alliance sent to the problem list with its state there now
 * (问题联解), the joint activities with their results, and the alliance's totals. Read within
 * the caller's liaison.read scope; a member enterprise outside it is shown by name only.
 */
#include "liaison/liaison_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    int64_t id;
    json_t *out;
} view_ctx;

/* The records of register reg with alliance_id = the alliance, in the caller's scope. */
static err_code children(view_ctx *c, store_tx *tx, const char *reg, json_t **out)
{
    const lreg *g = liaison_reg(reg);
    lfilter f = {.scope = authz_scope(c->p, g->read_perm, c->a),
                 .eq = json_pack("{sI}", "alliance_id", (json_int_t)c->id),
                 .limit = 1000};
    int64_t total;
    *out = json_array();
    err_code e = liaison_record_list(tx, c->a, c->p, g, &f, *out, &total);
    json_decref(f.eq);
    return e;
}

static int by_month(const void *x, const void *y)
{
    json_t *const *a = x, *const *b = y;
    return strcmp(json_string_value(json_object_get(*a, "month")),
                  json_string_value(json_object_get(*b, "month")));
}

/* arr sorted in place by its elements' month (YYYY-MM). */
static void sort_months(json_t *arr)
{
    size_t n = json_array_size(arr);
    if (n < 2) return;
    json_t **items = malloc(n * sizeof *items);
    if (!items) abort();
    for (size_t i = 0; i < n; i++)
        items[i] = json_incref(json_array_get(arr, i));
    qsort(items, n, sizeof *items, by_month);
    json_array_clear(arr);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, items[i]);
    free(items);
}

/* The member enterprises as records (name only outside the caller's scope), 链主 marked. */
static err_code members(view_ctx *c, store_tx *tx, json_t *alliance, json_t **out)
{
    const lreg *g = liaison_reg("enterprise");
    int64_t lead = json_integer_value(json_object_get(alliance, "lead_enterprise_id"));
    *out = json_array();
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(alliance, "enterprises"), i, m)
    {
        int64_t id = json_integer_value(json_object_get(m, "id"));
        const char *path;
        json_t *o = NULL;
        err_code e = liaison_record_path(tx, c->a, g, id, NULL, &path);
        if (e == E_OK && authz_can(c->p, g->read_perm, path))
            e = liaison_record_json(tx, c->a, c->p, g, id, &o);
        if (e != E_OK) return e;
        if (!o) o = json_pack("{sI sO}", "id", (json_int_t)id, "name", json_object_get(m, "name"));
        json_object_set_new(o, "lead", json_boolean(id == lead));
        json_array_append_new(*out, o);
    }
    return E_OK;
}

/* The problems the alliance sent to the problem list, newest first, with their state now;
 * each is also added to its meeting's "problems". */
static err_code problems(view_ctx *c, store_tx *tx, json_t *meetings, json_t **out,
                         int64_t *solved)
{
    static const char sql[] = "SELECT lp.problem_id, COALESCE(lp.meeting_id, 0) FROM"
                              " liaison_problem lp WHERE lp.alliance_id = ?1"
                              " ORDER BY lp.problem_id DESC";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind_int(st, 1, c->id);
    *out = json_array();
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW)
        json_array_append_new(*out, json_pack("{sI sI}", "problem_id", (json_int_t)sq_int(st, 0),
                                              "meeting_id", (json_int_t)sq_int(st, 1)));
    sq_reset(st);
    if (rc != SQ_DONE) return (err_code)rc;
    *solved = 0;
    size_t i, k;
    json_t *o, *m;
    json_array_foreach(meetings, k, m) json_object_set_new(m, "problems", json_array());
    json_array_foreach(*out, i, o)
    {
        json_t *pr = liaison_problem_json(tx, c->a, c->ap,
                                          json_integer_value(json_object_get(o, "problem_id")));
        const char *state = json_string_value(json_object_get(pr, "state"));
        *solved += state && strcmp(state, "closed") == 0;
        json_object_set_new(o, "problem", pr);
        json_int_t mid = json_integer_value(json_object_get(o, "meeting_id"));
        json_array_foreach(meetings, k, m) if (json_integer_value(json_object_get(m, "id")) == mid)
        {
            json_object_set_new(o, "meeting_topic", json_incref(json_object_get(m, "topic")));
            json_object_set_new(o, "meeting_held_on", json_incref(json_object_get(m, "held_on")));
            json_array_append(json_object_get(m, "problems"), o);
        }
    }
    return E_OK;
}

static int64_t sum_of(json_t *arr, const char *key)
{
    int64_t n = 0;
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o) n += json_integer_value(json_object_get(o, key));
    return n;
}

static err_code view_fn(store_tx *tx, void *ctx)
{
    view_ctx *c = ctx;
    const lreg *g = liaison_reg("alliance");
    const char *path;
    err_code e = liaison_record_path(tx, c->a, g, c->id, NULL, &path);
    if (e != E_OK) return e;
    if (!authz_can(c->p, g->read_perm, path)) return E_FORBIDDEN;
    json_t *al = NULL, *ms = NULL, *teams = NULL, *rot = NULL, *meet = NULL, *acts = NULL,
           *probs = NULL;
    int64_t solved = 0;
    e = liaison_record_json(tx, c->a, c->p, g, c->id, &al);
    if (e == E_OK) e = members(c, tx, al, &ms);
    if (e == E_OK) e = children(c, tx, "team", &teams);
    if (e == E_OK) e = children(c, tx, "rotation", &rot);
    if (e == E_OK) e = children(c, tx, "meeting", &meet);
    if (e == E_OK) e = children(c, tx, "activity", &acts);
    if (e == E_OK) e = problems(c, tx, meet, &probs, &solved);
    if (e == E_OK) {
        sort_months(rot);
        json_t *figures = json_pack(
            "{sI sI sI sI sI sI sI sI}", "enterprises", (json_int_t)json_array_size(ms), "depts",
            (json_int_t)json_array_size(json_object_get(al, "depts")), "meetings",
            (json_int_t)json_array_size(meet), "problems", (json_int_t)json_array_size(probs),
            "solved", (json_int_t)solved, "activities", (json_int_t)json_array_size(acts),
            "participants", (json_int_t)sum_of(acts, "participants"), "talents",
            (json_int_t)sum_of(acts, "talents"));
        c->out = json_pack("{sO sO sO sO sO sO sO so}", "alliance", al, "members", ms, "teams",
                           teams, "rotations", rot, "meetings", meet, "problems", probs,
                           "activities", acts, "figures", figures);
    }
    json_decref(al);
    json_decref(ms);
    json_decref(teams);
    json_decref(rot);
    json_decref(meet);
    json_decref(acts);
    json_decref(probs);
    return e;
}

err_code api_liaison_alliance_view(http_req *r)
{
    view_ctx c = {.ap = http_app(r), .a = http_arena(r), .p = http_principal(r)};
    err_code e = http_param_id(r, "id", &c.id);
    if (e != E_OK) return e;
    e = mech_read(c.ap, c.p, "liaison.read",
                  arena_sprintf(c.a, "liaison_alliance:%lld", (long long)c.id), view_fn, &c);
    if (e != E_OK) {
        json_decref(c.out);
        return e;
    }
    return http_reply(r, 200, c.out);
}
