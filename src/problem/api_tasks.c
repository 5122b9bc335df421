/*
 * problem_tasks — "my tasks" (我的待办): the problems waiting for the caller to sign, to report
 * on, to verify, to approve an extension for, and those overdue, each a list filter (task=…)
 * that GET /api/v1/problems, its export and its figures understand; GET /api/v1/me/tasks
 * counts them, with the caller's open look-back tasks.
 *
 * A task is a state (or a pending request) within the subtrees where the caller holds both
 * problem.read and the task's permission. Verification leaves out problems led from the
 * caller's own unit, as the flow does; the detail page's actions remain the final word.
 */
#include "problem/problem_int.h"

#include <string.h>

typedef struct {
    const char *name, *title, *state, *perm;
    int overdue, extension_pending, outside;
} problem_task;

static const problem_task TASKS[] = {
    {"sign", "待签收", "assigned", "problem.handle", 0, 0, 0},
    {"report", "待报送进展", "in_progress", "problem.handle", 0, 0, 0},
    {"verify", "待核查销号", "claimed", "problem.verify", 0, 0, 1},
    {"approve", "待审批延期", NULL, "problem.assign", 0, 1, 1},
    {"overdue", "逾期未办结", NULL, "problem.read", 1, 0, 0},
};
enum { NTASKS = sizeof TASKS / sizeof TASKS[0] };

static const problem_task *task_named(const char *name)
{
    for (size_t i = 0; i < NTASKS; i++)
        if (strcmp(TASKS[i].name, name) == 0) return &TASKS[i];
    return NULL;
}

static void apply_task(http_req *r, const problem_task *t, store_problem_filter *f)
{
    const principal *p = http_principal(r);
    f->task = t->name;
    if (t->state) f->state = t->state;
    if (t->overdue) f->overdue = 1, f->open_only = 1;
    f->extension_pending = t->extension_pending;
    f->scope = authz_scope_both(p, "problem.read", t->perm, http_arena(r));
    if (t->outside && !p->system) f->not_under = p->unit_path;
}

err_code api_problem_task_filter(http_req *r, store_problem_filter *f)
{
    const char *name;
    err_code e = http_query_text(r, "task", HTTP_QUERY_TEXT_MAX, &name);
    if (e != E_OK || !name) return e;
    const problem_task *t = task_named(name);
    if (!t) return http_fail(r, E_BAD_QUERY, "task");
    apply_task(r, t, f);
    return E_OK;
}

typedef struct {
    arena *a;
    int64_t user_id;
    store_problem_filter f[NTASKS];
    int64_t counts[NTASKS];
    int64_t lookbacks_open;
} tasks_ctx;

static err_code tasks_fn(store_tx *tx, void *ctx)
{
    tasks_ctx *c = ctx;
    for (size_t i = 0; i < NTASKS; i++) {
        store_problem *items;
        size_t n;
        err_code e = store_problem_list(tx, c->a, &c->f[i], &items, &n, &c->counts[i]);
        if (e != E_OK) return e;
    }
    store_lookback *l;
    size_t n;
    err_code e = store_lookback_list(tx, c->a, c->user_id, NULL, 500, 0, &l, &n);
    for (size_t i = 0; e == E_OK && i < n; i++)
        c->lookbacks_open += l[i].done_at == 0;
    return e;
}

err_code api_me_tasks(http_req *r)
{
    tasks_ctx c = {.a = http_arena(r), .user_id = http_principal(r)->user_id};
    for (size_t i = 0; i < NTASKS; i++)
        apply_task(r, &TASKS[i], &c.f[i]);
    err_code e = store_read(http_app(r)->st, tasks_fn, &c);
    if (e != E_OK) return e;
    json_t *items = json_array();
    for (size_t i = 0; i < NTASKS; i++)
        json_array_append_new(items, json_pack("{ss ss sI s{ss}}", "key", TASKS[i].name, "title",
                                               TASKS[i].title, "count", (json_int_t)c.counts[i],
                                               "filters", "task", TASKS[i].name));
    json_array_append_new(items, json_pack("{ss ss sI sn}", "key", "lookback", "title", "待回头看",
                                           "count", (json_int_t)c.lookbacks_open, "filters"));
    return http_reply(r, 200, json_pack("{so}", "items", items));
}
