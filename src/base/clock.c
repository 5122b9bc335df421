/* clock — wall and monotonic time (see clock.h). */
#include "base/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <stdatomic.h>

static _Atomic int64_t fixed_now;
static _Atomic int64_t shift; /* DUBAN_NOW minus the real time when it was read */

int64_t clock_now(void)
{
    int64_t t = atomic_load_explicit(&fixed_now, memory_order_relaxed);
    return t ? t : (int64_t)time(NULL) + atomic_load_explicit(&shift, memory_order_relaxed);
}

void clock_fix(int64_t t)
{
    atomic_store(&fixed_now, t);
}

int clock_parse_instant(const char *s, int64_t *out)
{
    struct tm tm = {0};
    int n = 0, hh = 9, mm = 0, ss = 0;
    if (!s || sscanf(s, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &n) != 3 || n != 10)
        return -1;
    const char *rest = s + n;
    int zone = 8 * 3600; /* a bare date or time is Shanghai's */
    if (*rest == 'T' || *rest == ' ') {
        int k = 0;
        if (sscanf(rest + 1, "%2d:%2d:%2d%n", &hh, &mm, &ss, &k) != 3 || k != 8) return -1;
        rest += 1 + k;
        if (*rest == 'Z')
            zone = 0, rest++;
        else if ((*rest == '+' || *rest == '-') && strlen(rest) == 6 && rest[3] == ':') {
            int zh = atoi(rest + 1), zm = atoi(rest + 4);
            zone = (zh * 3600 + zm * 60) * (*rest == '-' ? -1 : 1);
            rest += 6;
        }
    }
    if (*rest || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 || hh > 23 ||
        mm > 59 || ss > 60)
        return -1;
    int y = tm.tm_year, m = tm.tm_mon, d = tm.tm_mday;
    tm.tm_year -= 1900, tm.tm_mon -= 1, tm.tm_hour = hh, tm.tm_min = mm, tm.tm_sec = ss;
    time_t t = timegm(&tm);
    struct tm back;
    gmtime_r(&t, &back);
    if (back.tm_year + 1900 != y || back.tm_mon + 1 != m || back.tm_mday != d)
        return -1; /* 02-30 */
    *out = (int64_t)t - zone;
    return 0;
}

int clock_from_env(void)
{
    const char *s = getenv("DUBAN_NOW");
    if (!s || !*s) return 0;
    int64_t t;
    if (clock_parse_instant(s, &t) != 0) return -1;
    atomic_store(&shift, t - (int64_t)time(NULL));
    return 0;
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
