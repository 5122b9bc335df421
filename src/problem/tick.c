/* tick — overdue flags, reminders, escalation and look-back tasks (see tick.h). */
#include "problem/tick.h"

#include "base/log.h"

#include <stdlib.h>
#include <string.h>

/* Who holds a permission over a unit, as found once in this tick (problems share units). */
typedef struct {
    const char *perm, *unit_path;
    int64_t member_of;
    int64_t *ids;
    size_t n;
} holders;

typedef struct {
    app *ap;
    arena *a;
    int64_t now;
    char today[11], soon[11], month[8];
    problem_tick_report *rep;
    holders *known; /* grown in the arena; a tick runs in one transaction, so they hold */
    size_t nknown, known_cap;
} tick_ctx;

/* The parent unit's id from a path "/1/5/12/" (5), or 0 for the root. */
static int64_t parent_of(const char *path)
{
    const char *end = path + strlen(path) - 1; /* the trailing '/' */
    const char *p = end - 1;
    while (p > path && *p != '/')
        p--; /* the '/' before the last id */
    if (p <= path) return 0;
    const char *q = p - 1;
    while (q > path && *q != '/')
        q--;
    return strtoll(q + 1, NULL, 10);
}

/*
 * Notifies every holder of perm over the problem's unit (members of member_of, if > 0). The
 * handling side is everyone who may handle it, so a village's problem reaches the township
 * staff who handle it through their grant.
 */
/* The holders of perm over unit_path (members of member_of, if > 0), asked once per tick. */
static err_code holders_of(tick_ctx *t, store_tx *tx, const char *perm, const char *unit_path,
                           int64_t member_of, int64_t **ids, size_t *n)
{
    for (size_t i = 0; i < t->nknown; i++) {
        const holders *h = &t->known[i];
        if (h->member_of == member_of && strcmp(h->perm, perm) == 0 &&
            strcmp(h->unit_path, unit_path) == 0) {
            *ids = h->ids;
            *n = h->n;
            return E_OK;
        }
    }
    err_code e = store_users_with_perm(tx, t->a, perm, unit_path, member_of, ids, n);
    if (e != E_OK) return e;
    if (t->nknown == t->known_cap) {
        t->known_cap = t->known_cap ? 2 * t->known_cap : 64;
        holders *grown = arena_alloc(t->a, t->known_cap * sizeof *grown);
        if (t->nknown) memcpy(grown, t->known, t->nknown * sizeof *grown);
        t->known = grown;
    }
    t->known[t->nknown++] = (holders){perm, arena_strdup(t->a, unit_path), member_of, *ids, *n};
    return E_OK;
}

static err_code notify(tick_ctx *t, store_tx *tx, const store_problem *pr, const char *perm,
                       int64_t member_of, const char *kind, const char *title, const char *body,
                       const char *key)
{
    int64_t *ids;
    size_t n;
    err_code e = holders_of(t, tx, perm, pr->unit_path, member_of, &ids, &n);
    for (size_t i = 0; e == E_OK && i < n; i++) {
        store_notification note = {.user_id = ids[i],
                                   .kind = kind,
                                   .flow = "problem",
                                   .item_id = pr->id,
                                   .title = title,
                                   .body = body,
                                   .created_at = t->now};
        int added;
        e = store_notification_add(
            tx, &note,
            arena_sprintf(t->a, "%s:%lld:%s:%lld", kind, (long long)pr->id, key, (long long)ids[i]),
            &added);
        t->rep->notifications += added;
    }
    return e;
}

static err_code overdue_sweep(tick_ctx *t, store_tx *tx)
{
    store_problem *ps;
    size_t n;
    err_code e = store_problem_mark_overdue(tx, t->a, t->today, &ps, &n);
    t->rep->overdue = (int)n;
    for (size_t i = 0; e == E_OK && i < n; i++) {
        const store_problem *pr = &ps[i];
        const char *title = arena_sprintf(t->a, "问题已逾期：%s", pr->title);
        const char *body =
            arena_sprintf(t->a, "完成时限为 %s，已逾期，请尽快整改并报送进展。", pr->deadline);
        e = notify(t, tx, pr, "problem.handle", 0, "overdue", title, body, pr->deadline);
        const char *up = arena_sprintf(t->a, "下级单位问题逾期：%s", pr->title);
        int64_t parent = parent_of(pr->unit_path);
        if (e == E_OK && parent)
            e = notify(t, tx, pr, "problem.read", parent, "escalate", up, body, pr->deadline);
        if (e == E_OK)
            e = notify(t, tx, pr, "problem.assign", 0, "escalate", up, body, pr->deadline);
    }
    return e;
}

static err_code reminder_sweep(tick_ctx *t, store_tx *tx)
{
    store_problem *ps;
    size_t n;
    err_code e = store_problem_due_between(tx, t->a, t->today, t->soon, &ps, &n);
    t->rep->reminders = (int)n;
    for (size_t i = 0; e == E_OK && i < n; i++)
        e = notify(t, tx, &ps[i], "problem.handle", 0, "remind",
                   arena_sprintf(t->a, "问题即将到期：%s", ps[i].title),
                   arena_sprintf(t->a, "完成时限为 %s，请抓紧办理。", ps[i].deadline),
                   ps[i].deadline);
    return e;
}

static err_code unsigned_sweep(tick_ctx *t, store_tx *tx)
{
    store_problem *ps;
    size_t n;
    err_code e = store_problem_unsigned(tx, t->a, t->today, &ps, &n);
    t->rep->unsigned_ = (int)n;
    for (size_t i = 0; e == E_OK && i < n; i++) {
        const char *title = arena_sprintf(t->a, "问题未按时签收：%s", ps[i].title);
        const char *body = arena_sprintf(t->a, "应于 %s 前签收。", ps[i].sign_by);
        e = notify(t, tx, &ps[i], "problem.handle", 0, "unsigned", title, body, ps[i].sign_by);
        if (e == E_OK)
            e = notify(t, tx, &ps[i], "problem.assign", 0, "unsigned", title, body, ps[i].sign_by);
    }
    return e;
}

static err_code staged_sweep(tick_ctx *t, store_tx *tx)
{
    store_problem *ps;
    size_t n;
    err_code e = store_problem_staged_missing(tx, t->a, t->today, &ps, &n);
    t->rep->staged = (int)n;
    for (size_t i = 0; e == E_OK && i < n; i++) {
        const char *title = arena_sprintf(t->a, "未报送阶段性成效：%s", ps[i].title);
        const char *body =
            arena_sprintf(t->a, "持续推进问题应于 %s 前取得阶段性成效。", ps[i].staged_due);
        e = notify(t, tx, &ps[i], "problem.handle", 0, "staged", title, body, ps[i].staged_due);
        if (e == E_OK)
            e = notify(t, tx, &ps[i], "problem.assign", 0, "staged", title, body, ps[i].staged_due);
    }
    return e;
}

static err_code lookback_sweep(tick_ctx *t, store_tx *tx)
{
    /* Once a month: the tasks of a month are given when it begins (or when the first tick of
     * the month runs), not re-derived from every closed problem every few minutes. */
    const char *done = NULL;
    err_code e = store_meta_get(tx, t->a, "lookback_month", &done);
    if (e == E_OK && strcmp(done, t->month) == 0) return E_OK;
    if (e != E_OK && e != E_NOT_FOUND) return e;
    e = store_meta_set(tx, "lookback_month", t->month);
    if (e != E_OK) return e;
    store_problem *ps;
    size_t n;
    /* What was solved in the past year: older problems have had twelve look-backs already. */
    e = store_problem_closed_with_leader(tx, t->a, t->now - 365 * 86400, &ps, &n);
    for (size_t i = 0; e == E_OK && i < n; i++) {
        int added;
        e = store_lookback_add(tx, ps[i].leader_user_id, t->month, ps[i].id, t->now, &added);
        t->rep->lookbacks += added;
        if (e != E_OK || !added) continue;
        store_notification note = {.user_id = ps[i].leader_user_id,
                                   .kind = "lookback",
                                   .flow = "problem",
                                   .item_id = ps[i].id,
                                   .title = arena_sprintf(t->a, "%s 回头看任务", t->month),
                                   .body = "请对调研对象和已解决问题开展本月“回头看”。",
                                   .created_at = t->now};
        e = store_notification_add(
            tx, &note,
            arena_sprintf(t->a, "lookback:%lld:%s", (long long)ps[i].leader_user_id, t->month),
            &added);
        t->rep->notifications += added;
    }
    return e;
}

static err_code tick_fn(store_tx *tx, void *ctx)
{
    tick_ctx *t = ctx;
    err_code e = overdue_sweep(t, tx);
    if (e == E_OK) e = reminder_sweep(t, tx);
    if (e == E_OK) e = unsigned_sweep(t, tx);
    if (e == E_OK) e = staged_sweep(t, tx);
    if (e == E_OK) e = lookback_sweep(t, tx);
    if (e != E_OK) return e;
    const problem_tick_report *r = t->rep;
    if (!r->overdue && !r->lookbacks && !r->notifications) return E_OK; /* nothing changed */
    principal sys = {.system = 1, .login = "system:scheduler"};
    return app_audit(t->ap, tx, t->a, &sys, "system.tick", "problem:*",
                     json_pack("{si si si si si si}", "overdue", r->overdue, "reminders",
                               r->reminders, "unsigned", r->unsigned_, "staged", r->staged,
                               "lookbacks", r->lookbacks, "notifications", r->notifications));
}

err_code problem_tick(app *ap, int64_t now, problem_tick_report *out)
{
    memset(out, 0, sizeof *out);
    tick_ctx t = {.ap = ap, .a = arena_new(), .now = now, .rep = out};
    cal_day today = cal_local_day(now);
    cal_format(today, t.today);
    cal_format(calendar_add_workdays(ap->cal, today, 3, NULL), t.soon);
    memcpy(t.month, t.today, 7);
    t.month[7] = 0;
    err_code e = store_write(ap->st, tick_fn, &t);
    if (e != E_OK) {
        memset(out, 0, sizeof *out);
        log_error("scheduler tick failed: %s", err_name(e));
    }
    arena_free(t.a);
    return e;
}
