/* api_lookbacks — the caller's look-back (回头看) tasks over the problems they own, and their
 * completion. */
#include "problem/problem_int.h"

#include "base/clock.h"
#include "core/store_fn.h"

typedef struct {
    arena *a;
    int64_t user_id, limit, offset;
    size_t n;
    store_lookback *tasks;
    const char *month;
} notes_ctx;

STORE_FN(tasks_fn, notes_ctx *c,
         store_lookback_list(tx, c->a, c->user_id, c->month, c->limit, c->offset, &c->tasks,
                             &c->n));

err_code api_lookbacks_list(http_req *r)
{
    notes_ctx c = {.a = http_arena(r), .user_id = http_principal(r)->user_id};
    err_code e = http_query_month(r, "month", &c.month);
    if (e == E_OK) e = api_list_page(r, 100, &c.limit, &c.offset);
    if (e == E_OK) e = store_read(http_app(r)->st, tasks_fn, &c);
    if (e != E_OK) return e;
    json_t *items = json_array();
    for (size_t i = 0; i < c.n; i++) {
        const store_lookback *l = &c.tasks[i];
        json_t *j = json_pack("{sI ss sI ss ss ss sb}", "id", (json_int_t)l->id, "month", l->month,
                              "problem_id", (json_int_t)l->problem_id, "problem_title",
                              l->problem_title, "problem_state", l->problem_state, "result",
                              l->result, "done", l->done_at != 0);
        json_object_set_new(j, "finding", json_string(l->finding));
        json_object_set_new(j, "done_at", api_time(l->done_at));
        json_array_append_new(items, j);
    }
    return http_reply(r, 200, json_pack("{so}", "items", items));
}

typedef struct {
    const char *result, *finding, *new_deadline;
} lookback_body;

static const jfield lookback_spec[] = {
    {"result", JF_STR, 1, offsetof(lookback_body, result), 10, 0, 0},
    {"finding", JF_STR, 0, offsetof(lookback_body, finding), 2000, 0, 0},
    {"new_deadline", JF_STR, 0, offsetof(lookback_body, new_deadline), 10, 0, 0},
    JF_END,
};

err_code api_lookbacks_complete(http_req *r)
{
    int64_t id;
    lookback_body b = {0};
    uint32_t present;
    err_code e = http_param_id(r, "id", &id);
    if (e == E_OK) e = http_parse(r, lookback_spec, &b, &present);
    if (e != E_OK) return e;
    flow_refusal why;
    e = problem_lookback_complete(http_app(r), http_arena(r), http_principal(r), id, b.result,
                                  b.finding, b.new_deadline, &why);
    if (e != E_OK) {
        if (why.message[0]) http_set_message(r, arena_strdup(http_arena(r), why.message));
        return http_fail(r, e, why.field[0] ? arena_strdup(http_arena(r), why.field) : NULL);
    }
    return http_reply(r, 200, json_pack("{sb}", "ok", 1));
}
