/*
 * urge — 催办: a supervisor (notify.urge over the problem's unit) urges the responsible unit on
 * an open problem with a message. In one transaction: the urge row (the figures count them), a
 * timeline event "urge" on the problem (its state unchanged), a notification to everyone who
 * handles it (which the outbound service turns into the unit's robot message and e-mails in
 * the same transaction), and the audit record. A second urge of the same problem within
 * urge_interval seconds is refused (429) with the time it is allowed again.
 */
#include "outward/outward_int.h"

#include "base/clock.h"
#include "store/sq.h"

#include <string.h>

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    int64_t id;
    const char *message;
    outward_urged *out;
} urge_op;

static err_code urge_fn(store_tx *tx, void *ctx)
{
    urge_op *op = ctx;
    int64_t now = clock_now();
    store_problem pr;
    err_code e = store_problem_get(tx, op->a, op->id, &pr);
    if (e != E_OK) return e;
    if (!authz_can(op->p, "problem.read", pr.unit_path)) return E_NOT_FOUND;
    if (!authz_can(op->p, "notify.urge", pr.unit_path)) return E_FORBIDDEN;
    if (strcmp(pr.state, "closed") == 0) return E_OUTWARD_ITEM_CLOSED;
    static const char last_sql[] = "SELECT coalesce(max(at), 0) FROM notify_urge"
                                   " WHERE flow = 'problem' AND item_id = ?";
    sq_stmt *st = sq_prep(tx, last_sql);
    sq_bind(st, "i", op->id);
    int64_t last = 0;
    e = sq_int_or(tx, st, 0, &last);
    if (e != E_OK) return e;
    int64_t interval = notify_config()->urge_interval;
    if (last && now - last < interval) {
        op->out->next_allowed = last + interval;
        return E_OUTWARD_URGE_TOO_SOON;
    }
    static const char ins[] =
        "INSERT INTO notify_urge(flow, item_id, unit_id, user_id, message, at)"
        " VALUES ('problem', ?, ?, ?, ?, ?){returning_id}";
    st = sq_prep(tx, ins);
    sq_bind(st, "iiisi", op->id, pr.unit_id, op->p->user_id, op->message, now);
    e = sq_insert(tx, st, &op->out->id);
    if (e != E_OK) return e;
    json_t *fields = json_pack("{so}", "message", jsonx_text(op->message));
    char *ftext = jsonx_dump(fields);
    json_decref(fields);
    store_event ev = {.flow = "problem",
                      .item_id = op->id,
                      .action = "urge",
                      .from_state = pr.state,
                      .to_state = pr.state,
                      .actor = op->p->login,
                      .actor_id = op->p->user_id,
                      .at = now,
                      .fields = ftext,
                      .note = ""};
    e = store_event_insert(tx, &ev);
    free(ftext);
    if (e != E_OK) return e;
    static const char count_sql[] = "SELECT count(*) FROM notify_urge WHERE flow = 'problem'"
                                    " AND item_id = ?";
    st = sq_prep(tx, count_sql);
    sq_bind(st, "i", op->id);
    e = sq_count(tx, st, &op->out->count);
    if (e != E_OK) return e;
    store_user me;
    const char *who = op->p->login;
    if (op->p->user_id && store_user_get(tx, op->a, op->p->user_id, &me) == E_OK)
        who = arena_sprintf(op->a, "%s（%s）", me.name, me.unit_name);
    int64_t *ids;
    size_t n;
    e = store_users_with_perm(tx, op->a, "problem.handle", pr.unit_path, 0, &ids, &n);
    for (size_t i = 0; e == E_OK && i < n; i++) {
        store_notification note = {.user_id = ids[i],
                                   .kind = "urge",
                                   .flow = "problem",
                                   .item_id = op->id,
                                   .title = arena_sprintf(op->a, "催办：%s", pr.title),
                                   .body = arena_sprintf(op->a, "%s第 %lld 次催办：%s", who,
                                                         (long long)op->out->count, op->message),
                                   .created_at = now};
        int added;
        e = store_notification_add(
            tx, &note,
            arena_sprintf(op->a, "urge:%lld:%lld", (long long)op->out->id, (long long)ids[i]),
            &added);
    }
    if (e != E_OK) return e;
    return app_audit(op->ap, tx, op->a, op->p, "problem.urge",
                     arena_sprintf(op->a, "problem:%lld", (long long)op->id),
                     json_pack("{sI so sI}", "urge_id", (json_int_t)op->out->id, "message",
                               jsonx_text(op->message), "count", (json_int_t)op->out->count));
}

err_code outward_urge_problem(app *ap, arena *a, const principal *p, int64_t id,
                              const char *message, outward_urged *out)
{
    memset(out, 0, sizeof *out);
    urge_op op = {ap, a, p, id, message, out};
    return store_write(ap->st, urge_fn, &op);
}
