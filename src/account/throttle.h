/*
 * throttle — limits on failed logins that hurt the attacker rather than the user (security
 * review #18, findings 1 and 2). The counts live in the database (table login_throttle), so
 * every instance sharing a PostgreSQL database counts alike and a restart forgets nothing.
 *
 *  - Per client address (behind trust_proxy, the address the proxy saw) and overall: past
 *    throttle_address (overall: throttle_global) failures within throttle_window, each further
 *    failure makes that address (overall: everyone) wait 1 s, 2 s, 4 s … up to
 *    throttle_max_delay. A login tried while waiting is answered 429 with Retry-After and its
 *    password is not checked, so the waits cap the guesses an address can make.
 *  - Per (account, address) pair: lockout_threshold failures lock the pair for lockout_seconds;
 *    the user still signs in from any other address.
 *  - The whole account locks only after lockout_account_threshold failures from anywhere
 *    (user.locked_until, the rule of auth/lockout.h; see account/login.c).
 *
 * Only failures count: signing in many times costs nothing. Each wait and each lock is
 * audited when it begins (login.throttle, login.pair_lockout); the attempts refused during a
 * wait are not, so that an attacker cannot flood the log.
 */
#ifndef DUBAN_THROTTLE_H
#define DUBAN_THROTTLE_H

#include "core/app.h"

/* Seconds the caller at ip must wait before a login may be tried (0: none). */
err_code throttle_wait(store_tx *tx, const char *ip, int64_t now, int64_t *wait);
/* Seconds the pair (user_id, ip) stays locked (0: not locked). */
err_code throttle_pair_locked(store_tx *tx, arena *a, int64_t user_id, const char *ip,
                              int64_t now, int64_t *left);
/*
 * Counts a failed login from p->ip, and at the account user_id's pair when user_id is
 * nonzero; audits (as p) each wait or lock this failure begins.
 */
err_code throttle_failure(app *ap, store_tx *tx, arena *a, const principal *p, int64_t user_id,
                          int64_t now);
/* After a successful login at user_id from ip: that pair's count starts again. */
err_code throttle_success(store_tx *tx, arena *a, int64_t user_id, const char *ip);
/* Lifts every pair lock of the account; *n: how many were in force at now. */
err_code throttle_clear_user(store_tx *tx, int64_t user_id, int64_t now, int64_t *n);

#endif
