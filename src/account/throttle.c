/* throttle — failed-login counts per address, overall and per (account, address) pair (see
 * throttle.h). */
#include "account/throttle.h"

#include "auth/lockout.h"

#include <stdio.h>

static const char *address_scope(arena *a, const char *ip)
{
    return arena_sprintf(a, "address:%s", ip ? ip : "?");
}

static const char *pair_scope(arena *a, int64_t user_id, const char *ip)
{
    return arena_sprintf(a, "pair:%lld:%s", (long long)user_id, ip ? ip : "?");
}

err_code throttle_wait(store_tx *tx, const char *ip, int64_t now, int64_t *wait)
{
    char scope[80];
    snprintf(scope, sizeof scope, "address:%s", ip ? ip : "?");
    int64_t mine = 0, all = 0;
    err_code e = store_throttle_blocked_until(tx, scope, &mine);
    if (e == E_OK) e = store_throttle_blocked_until(tx, "all", &all);
    int64_t until = mine > all ? mine : all;
    *wait = until > now ? until - now : 0;
    return e;
}

err_code throttle_pair_locked(store_tx *tx, arena *a, int64_t user_id, const char *ip,
                              int64_t now, int64_t *left)
{
    int64_t until = 0;
    err_code e = store_throttle_blocked_until(tx, pair_scope(a, user_id, ip), &until);
    *left = until > now ? until - now : 0;
    return e;
}

/* Counts the failure under a growing-wait scope (an address or "all"), past limit making the
 * next attempts wait; audits a wait that begins. */
static err_code count_wait(app *ap, store_tx *tx, arena *a, const principal *p,
                           const char *scope, const char *object, int64_t limit, int64_t now)
{
    const config *cfg = &ap->cfg;
    store_throttle t;
    err_code e = store_throttle_count(tx, scope, 0, now, now - cfg->throttle_window, &t);
    int64_t wait = lockout_delay(t.failures - limit, cfg->throttle_max_delay);
    if (e != E_OK || !wait) return e;
    t.blocked_until = now + wait;
    e = store_throttle_set(tx, scope, &t);
    if (e != E_OK) return e;
    return app_audit(ap, tx, a, p, "login.throttle", object,
                     json_pack("{ss sI sI}", "address", p->ip ? p->ip : "?", "failures",
                               (json_int_t)t.failures, "seconds", (json_int_t)wait));
}

err_code throttle_failure(app *ap, store_tx *tx, arena *a, const principal *p, int64_t user_id,
                          int64_t now)
{
    const config *cfg = &ap->cfg;
    err_code e = store_throttle_prune(tx, now - cfg->throttle_window, now);
    const char *mine = address_scope(a, p->ip);
    if (e == E_OK) e = count_wait(ap, tx, a, p, mine, mine, cfg->throttle_address, now);
    if (e == E_OK) e = count_wait(ap, tx, a, p, "all", "address:all", cfg->throttle_global, now);
    if (e != E_OK || !user_id) return e;

    const char *scope = pair_scope(a, user_id, p->ip);
    store_throttle t;
    e = store_throttle_count(tx, scope, user_id, now, now - cfg->throttle_window, &t);
    if (e != E_OK || t.failures < cfg->lockout_threshold) return e;
    t = (store_throttle){.failures = 0, .since = now, .blocked_until = now + cfg->lockout_seconds};
    e = store_throttle_set(tx, scope, &t);
    if (e != E_OK) return e;
    return app_audit(ap, tx, a, p, "login.pair_lockout",
                     arena_sprintf(a, "user:%lld", (long long)user_id),
                     json_pack("{ss sI}", "address", p->ip ? p->ip : "?", "locked_until",
                               (json_int_t)t.blocked_until));
}

err_code throttle_success(store_tx *tx, arena *a, int64_t user_id, const char *ip)
{
    return store_throttle_delete(tx, pair_scope(a, user_id, ip));
}

err_code throttle_clear_user(store_tx *tx, int64_t user_id, int64_t now, int64_t *n)
{
    return store_throttle_delete_user(tx, user_id, now, n);
}
