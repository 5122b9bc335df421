/*
 * tick — the liaison mechanism's part of the scheduler: for every target of every assignment,
 * a period whose due day lapsed in the last quarter without a visit is announced to the
 * assignment's cadre and the unit's 统战 office once (走访逾期), and a period due within the
 * next 7 days without a visit is announced to the cadre once (走访提醒). Notifications carry a
 * dedupe key (assignment, target, period, user), so a second tick notifies nobody again.
 */
#include "liaison/liaison_int.h"

typedef struct {
    app *ap;
    arena *a;
    int64_t now;
    int overdue, soon;
} tick_ctx;

static err_code notify(tick_ctx *t, store_tx *tx, int64_t user, const liaison_target *tg,
                       const liaison_period *pd, const char *kind, const char *title,
                       const char *body, int *count)
{
    store_notification note = {.user_id = user, .kind = kind, .flow = "liaison",
                               .item_id = tg->owner_id, .title = title, .body = body,
                               .created_at = t->now};
    int added = 0;
    err_code e = store_notification_add(
        tx, &note,
        arena_sprintf(t->a, "liaison.%s:%lld:%lld:%lld:%s:%lld", kind, (long long)tg->owner_id,
                      (long long)tg->person_id, (long long)tg->enterprise_id, pd->code,
                      (long long)user),
        &added);
    *count += added;
    return e;
}

static err_code tick_fn(store_tx *tx, void *ctx)
{
    tick_ctx *t = ctx;
    liaison_target *ts;
    size_t n;
    err_code e = liaison_targets(tx, t->a, NULL, 0, 0, &ts, &n);
    cal_day today = cal_local_day(t->now);
    for (size_t i = 0; e == E_OK && i < n; i++) {
        const liaison_target *tg = &ts[i];
        cal_day start = 0, end = 0, *days;
        size_t nd;
        cal_parse(tg->starts_on, &start);
        if (*tg->ends_on) cal_parse(tg->ends_on, &end);
        liaison_period pd[8];
        size_t np = liaison_periods(t->ap->cal, (liaison_freq)tg->freq, tg->festivals, start, end,
                                    today - 92, today + 7, pd, 8);
        if (!np) continue;
        e = liaison_target_visits(tx, t->a, tg, &days, &nd);
        for (size_t k = 0; e == E_OK && k < np; k++) {
            liaison_status s = liaison_period_status(&pd[k], days, nd, today);
            char due[11];
            cal_format(pd[k].due, due);
            if (s == LIAISON_OVERDUE) {
                const char *title = arena_sprintf(t->a, "走访逾期：%s（%s）", tg->name, pd[k].title);
                const char *body =
                    arena_sprintf(t->a, "应于 %s 前完成走访，尚未登记，请尽快走访并登记。", due);
                e = notify(t, tx, tg->cadre_user_id, tg, &pd[k], "overdue", title, body,
                           &t->overdue);
                int64_t *ids;
                size_t nids;
                if (e == E_OK)
                    e = store_users_with_perm(tx, t->a, "liaison.write", tg->unit_path, 0, &ids,
                                              &nids);
                for (size_t u = 0; e == E_OK && u < nids; u++)
                    if (ids[u] != tg->cadre_user_id)
                        e = notify(t, tx, ids[u], tg, &pd[k], "overdue", title, body, &t->overdue);
            } else if (s == LIAISON_PENDING && pd[k].due <= today + 7) {
                e = notify(t, tx, tg->cadre_user_id, tg, &pd[k], "remind",
                           arena_sprintf(t->a, "走访提醒：%s（%s）", tg->name, pd[k].title),
                           arena_sprintf(t->a, "请于 %s 前完成走访并登记。", due), &t->soon);
            }
        }
    }
    return e;
}

err_code liaison_tick(app *ap, arena *a, int64_t now, int *overdue, int *soon)
{
    tick_ctx t = {ap, a, now, 0, 0};
    err_code e = store_write(ap->st, tick_fn, &t);
    *overdue = t.overdue;
    *soon = t.soon;
    return e;
}
