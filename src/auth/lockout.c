/* lockout — failed-login counting (see lockout.h). */
#include "auth/lockout.h"

int64_t lockout_remaining(const lockout_state *s, int64_t now)
{
    return s->locked_until > now ? s->locked_until - now : 0;
}

int lockout_fail(lockout_state *s, int64_t now, int64_t threshold, int64_t seconds)
{
    if (s->locked_until && s->locked_until <= now) { /* an expired lock starts a new count */
        s->locked_until = 0;
        s->failed = 0;
    }
    s->failed++;
    if (s->failed >= threshold) {
        s->locked_until = now + seconds;
        s->failed = 0;
        return 1;
    }
    return 0;
}

void lockout_success(lockout_state *s)
{
    s->failed = 0;
    s->locked_until = 0;
}

int64_t lockout_delay(int64_t over, int64_t cap)
{
    if (over <= 0) return 0;
    int64_t d = over > 40 ? cap : (int64_t)1 << (over - 1);
    return d < cap ? d : cap;
}
