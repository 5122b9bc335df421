/* log — timestamped lines on stderr, written whole so threads do not interleave (see log.h). */
#include "base/log.h"

#include "base/clock.h"

#include <stdarg.h>
#include <stdio.h>

static void emit(const char *level, const char *fmt, va_list ap)
{
    char line[2048], ts[24];
    int n = snprintf(line, sizeof line, "%s %s ", clock_iso(clock_now(), ts), level);
    vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    fprintf(stderr, "%s\n", line); /* one call: stdio locks the stream for it */
}

#define LOG_FN(name, level)                                                                        \
    void name(const char *fmt, ...)                                                                \
    {                                                                                              \
        va_list ap;                                                                                \
        va_start(ap, fmt);                                                                         \
        emit(level, fmt, ap);                                                                      \
        va_end(ap);                                                                                \
    }

LOG_FN(log_info, "INFO")
LOG_FN(log_warn, "WARN")
LOG_FN(log_error, "ERROR")
