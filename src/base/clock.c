/* clock — wall and monotonic time (see clock.h). */
#include "base/clock.h"

#include <time.h>

#include <stdatomic.h>

static _Atomic int64_t fixed_now;

int64_t clock_now(void)
{
    int64_t t = atomic_load_explicit(&fixed_now, memory_order_relaxed);
    return t ? t : (int64_t)time(NULL);
}

void clock_fix(int64_t t)
{
    atomic_store(&fixed_now, t);
}

double clock_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

char *clock_iso(int64_t t, char *buf)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}
