/*
 * clock — the time as duban sees it: UTC seconds and milliseconds, and ISO-8601 formatting.
 * Times are stored in UTC; the UI shows them in Asia/Shanghai.
 */
#ifndef DUBAN_CLOCK_H
#define DUBAN_CLOCK_H

#include <stdint.h>

/* Seconds since the epoch (UTC), or the fixed time set below. */
int64_t clock_now(void);
/*
 * Fixes what clock_now returns (0: the real time again). Only `duban demo` uses it, to write
 * two years of history with the times it happened; it is not for concurrent use.
 */
void clock_fix(int64_t t);
/*
 * Parses "2027-01-01" (09:00 Shanghai), "2027-01-01T08:30:00" (Shanghai), or the same with "Z"
 * or "+08:00"; returns 0 with the instant in *out, or -1 for anything else (also 2027-02-30).
 */
int clock_parse_instant(const char *s, int64_t *out);
/*
 * Reads DUBAN_NOW (as clock_parse_instant) and from then on runs the clock from that instant
 * forward at the real pace, so tests and demos can be run as of any date. Returns 0 (also when
 * unset), -1 when the value does not parse.
 */
int clock_from_env(void);
/* Milliseconds from a monotonic clock, for measuring durations. */
double clock_mono_ms(void);
/* Formats t as "2024-03-05T08:00:00Z" into buf (at least 21 bytes); returns buf. */
char *clock_iso(int64_t t, char *buf);

#endif
