/*
 * query — the readers of query-string arguments, with one meaning everywhere (see http.h).
 *
 * Handlers used to read their filters by hand, and the copies drifted: a flag took `true` in
 * one list and only `1` in the next, a month was checked two ways. Each kind of argument now
 * has one rule, written once as a pure function of the argument's text (http_arg_*, unit-
 * tested without a server), and one reader that applies it to a request and names the
 * argument in the E_BAD_QUERY reply. An absent and an empty argument mean the same (the
 * default): the browser's filter forms leave fields empty, and an empty field filters nothing.
 */
#include "http/http.h"

#include "base/text.h"
#include "flow/calendar.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int absent(const char *s)
{
    return !s || !*s;
}

int http_arg_int(const char *s, int64_t def, int64_t min, int64_t max, int64_t *out)
{
    if (absent(s)) return *out = def, 0;
    /* strtoll alone would also take leading spaces and a '+': an argument is digits only. */
    const char *digits = s + (*s == '-');
    if (*digits < '0' || *digits > '9') return -1;
    char *end;
    errno = 0;
    long long n = strtoll(s, &end, 10);
    if (*end || errno == ERANGE || n < min || n > max) return -1;
    *out = n;
    return 0;
}

int http_arg_id(const char *s, int64_t *out)
{
    return http_arg_int(s, 0, 1, INT64_MAX, out);
}

int http_arg_ids(arena *a, const char *s, size_t max, int64_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (absent(s)) return 0;
    int64_t *ids = arena_alloc(a, (max + 1) * sizeof *ids);
    for (const char *p = s;; p++) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char one[20];
        if (*n == max || len == 0 || len >= sizeof one) return -1;
        memcpy(one, p, len);
        one[len] = '\0';
        if (http_arg_id(one, &ids[(*n)++])) return -1;
        if (!comma) break;
        p = comma; /* the loop steps past it */
    }
    *out = ids;
    return 0;
}

int http_arg_flag(const char *s, int def, int *out)
{
    if (absent(s)) return *out = def, 0;
    if (strcmp(s, "1") == 0 || strcmp(s, "true") == 0) return *out = 1, 0;
    if (strcmp(s, "0") == 0 || strcmp(s, "false") == 0) return *out = 0, 0;
    return -1;
}

/* An ideographic space (U+3000): what a Chinese input method types for a blank. */
static const char IDEO_SPACE[] = "\xe3\x80\x80";

/* The length of the blank at s (an ASCII or ideographic space), else 0. */
static size_t blank_at(const char *s)
{
    if (*s == ' ') return 1;
    return strncmp(s, IDEO_SPACE, 3) == 0 ? 3 : 0;
}

/* The length of s without the blanks at its end (UTF-8 never ends a character with the
 * bytes of U+3000 unless it is U+3000). */
static size_t trimmed_len(const char *s)
{
    size_t len = strlen(s);
    for (;;) {
        if (len >= 1 && s[len - 1] == ' ')
            len -= 1;
        else if (len >= 3 && memcmp(s + len - 3, IDEO_SPACE, 3) == 0)
            len -= 3;
        else
            return len;
    }
}

int http_arg_text(arena *a, const char *s, size_t max_chars, const char **out)
{
    *out = NULL;
    if (absent(s)) return 0;
    for (size_t b; (b = blank_at(s));)
        s += b;
    size_t len = trimmed_len(s);
    if (!len) return 0;
    const char *t = arena_strndup(a, s, len);
    if (!text_valid_utf8(t) || text_has_control(t) || text_chars(t) > max_chars) return -1;
    *out = t;
    return 0;
}

int http_arg_date(const char *s, const char **out)
{
    cal_day d;
    *out = NULL;
    if (absent(s)) return 0;
    if (cal_parse(s, &d)) return -1;
    *out = s;
    return 0;
}

int http_arg_month(const char *s, const char **out)
{
    cal_day d;
    char first[11];
    *out = NULL;
    if (absent(s)) return 0;
    if (strlen(s) != 7) return -1;
    snprintf(first, sizeof first, "%s-01", s);
    if (cal_parse(first, &d)) return -1;
    *out = s;
    return 0;
}

int http_arg_choice(const char *s, const char *const *names, size_t n, int def, int *out)
{
    if (absent(s)) return *out = def, 0;
    for (size_t i = 0; i < n; i++)
        if (names[i] && strcmp(s, names[i]) == 0) return *out = (int)i, 0;
    return -1;
}

/* ---- the readers: a rule applied to the request, the argument named when it fails ---- */

static err_code checked(http_req *r, const char *name, int rc)
{
    return rc ? http_fail(r, E_BAD_QUERY, name) : E_OK;
}

err_code http_query_int(http_req *r, const char *name, int64_t def, int64_t min, int64_t max,
                        int64_t *out)
{
    return checked(r, name, http_arg_int(http_query(r, name), def, min, max, out));
}

err_code http_query_id(http_req *r, const char *name, int64_t *out)
{
    return checked(r, name, http_arg_id(http_query(r, name), out));
}

err_code http_query_ids(http_req *r, const char *name, size_t max, int64_t **out, size_t *n)
{
    return checked(r, name, http_arg_ids(http_arena(r), http_query(r, name), max, out, n));
}

err_code http_query_flag(http_req *r, const char *name, int def, int *out)
{
    return checked(r, name, http_arg_flag(http_query(r, name), def, out));
}

err_code http_query_text(http_req *r, const char *name, size_t max_chars, const char **out)
{
    return checked(r, name, http_arg_text(http_arena(r), http_query(r, name), max_chars, out));
}

err_code http_query_date(http_req *r, const char *name, const char **out)
{
    return checked(r, name, http_arg_date(http_query(r, name), out));
}

err_code http_query_month(http_req *r, const char *name, const char **out)
{
    return checked(r, name, http_arg_month(http_query(r, name), out));
}

err_code http_query_choice(http_req *r, const char *name, const char *const *names, size_t n,
                           int def, int *out)
{
    return checked(r, name, http_arg_choice(http_query(r, name), names, n, def, out));
}
