/*
 * lockout — the rule for locking an account after failed logins, as pure functions of the
 * clock so it can be tested without waiting: `threshold` failures in a row lock the account
 * for `seconds`; a success, an expired lock or an administrator's unlock starts the count anew;
 * and the growing waits of the login throttle (account/throttle.h).
 */
#ifndef DUBAN_LOCKOUT_H
#define DUBAN_LOCKOUT_H

#include <stdint.h>

typedef struct {
    int64_t failed;       /* failures in a row */
    int64_t locked_until; /* 0: not locked */
} lockout_state;

/* Seconds the account stays locked at `now` (0: not locked). */
int64_t lockout_remaining(const lockout_state *s, int64_t now);
/* The state after a failed attempt at now; returns 1 when this failure locks the account. */
int lockout_fail(lockout_state *s, int64_t now, int64_t threshold, int64_t seconds);
/* The state after a successful login. */
void lockout_success(lockout_state *s);
/*
 * The wait after a failure `over` failures past a throttle's limit (over >= 1): 1 s, 2 s,
 * 4 s … doubling, at most cap seconds; 0 while at or under the limit (over <= 0).
 */
int64_t lockout_delay(int64_t over, int64_t cap);

#endif
