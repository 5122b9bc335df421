/* calendar — civil-date arithmetic and the working-day calendar (see calendar.h). */
#include "flow/calendar.h"

#include "base/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Days from civil date, after Howard Hinnant's public-domain algorithm. */
cal_day cal_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void cal_to_ymd(cal_day day, int *y, int *m, int *d)
{
    int z = day + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp + (mp < 10 ? 3 : -9);
    *y = yoe + era * 400 + (*m <= 2);
}

cal_day cal_local_day(int64_t t)
{
    int64_t local = t + 8 * 3600;
    return (cal_day)(local >= 0 ? local / 86400 : (local - 86399) / 86400);
}

int64_t cal_day_start(cal_day d)
{
    return (int64_t)d * 86400 - 8 * 3600;
}

static int days_in_month(int y, int m);

cal_day cal_add_months(cal_day d, int months)
{
    int y, m, dd;
    cal_to_ymd(d, &y, &m, &dd);
    int total = y * 12 + (m - 1) + months;
    y = total / 12;
    m = total % 12 + 1;
    int last = days_in_month(y, m);
    return cal_from_ymd(y, m, dd > last ? last : dd);
}

int cal_weekday(cal_day d)
{
    int w = (int)((d % 7 + 7 + 3) % 7); /* 1970-01-01 was a Thursday */
    return w + 1;
}

static int days_in_month(int y, int m)
{
    static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : n[m - 1];
}

int cal_parse(const char *s, cal_day *out)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return -1;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return -1;
    *out = cal_from_ymd(y, m, d);
    return 0;
}

void cal_format(cal_day d, char out[11])
{
    int y, m, dd;
    cal_to_ymd(d, &y, &m, &dd);
    snprintf(out, 11, "%04d-%02d-%02d", y, m, dd);
}

static int year_of(cal_day d)
{
    int y, m, dd;
    cal_to_ymd(d, &y, &m, &dd);
    return y;
}

/* ---- the calendar ---- */

typedef struct {
    cal_day day;
    int work; /* 1: make-up workday; 0: day off */
    char *name;
} special_day;

typedef struct {
    int year;
    char *notice;
} year_entry;

struct calendar {
    special_day *days; /* sorted by day */
    size_t ndays, capdays;
    year_entry *years; /* sorted by year */
    size_t nyears;
};

calendar *calendar_new(void)
{
    return xcalloc(1, sizeof(calendar));
}

void calendar_free(calendar *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->ndays; i++) free(c->days[i].name);
    for (size_t i = 0; i < c->nyears; i++) free(c->years[i].notice);
    free(c->days);
    free(c->years);
    free(c);
}

static const year_entry *find_year(const calendar *c, int year)
{
    for (size_t i = 0; i < c->nyears; i++)
        if (c->years[i].year == year) return &c->years[i];
    return NULL;
}

int calendar_has_year(const calendar *c, int year)
{
    return find_year(c, year) != NULL;
}

const char *calendar_year_notice(const calendar *c, int year)
{
    const year_entry *y = find_year(c, year);
    return y ? y->notice : NULL;
}

size_t calendar_year_count(const calendar *c)
{
    return c->nyears;
}

int calendar_year_at(const calendar *c, size_t i)
{
    return i < c->nyears ? c->years[i].year : 0;
}

static const special_day *find_day(const calendar *c, cal_day d)
{
    size_t lo = 0, hi = c->ndays;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c->days[mid].day < d) lo = mid + 1;
        else hi = mid;
    }
    return lo < c->ndays && c->days[lo].day == d ? &c->days[lo] : NULL;
}

const char *calendar_day_name(const calendar *c, cal_day d)
{
    const special_day *s = find_day(c, d);
    return s ? s->name : NULL;
}

int calendar_is_workday(const calendar *c, cal_day d, int *estimated)
{
    if (!calendar_has_year(c, year_of(d))) {
        if (estimated) *estimated = 1;
    } else {
        const special_day *s = find_day(c, d);
        if (s) return s->work;
    }
    return cal_weekday(d) <= 5;
}

cal_day calendar_add_workdays(const calendar *c, cal_day start, int n, int *estimated)
{
    cal_day d = start;
    while (n > 0) {
        d++;
        if (calendar_is_workday(c, d, estimated)) n--;
    }
    return d;
}

int calendar_workdays_between(const calendar *c, cal_day from, cal_day to, int *estimated)
{
    int n = 0;
    for (cal_day d = from + 1; d <= to; d++) n += calendar_is_workday(c, d, estimated);
    return n;
}

/* ---- loading ---- */

/* A parse of one text, staged so that a fault leaves the calendar unchanged. */
typedef struct {
    special_day *days;
    size_t n, cap;
    year_entry *years;
    size_t nyears;
} staged;

static void staged_free(staged *s)
{
    for (size_t i = 0; i < s->n; i++) free(s->days[i].name);
    for (size_t i = 0; i < s->nyears; i++) free(s->years[i].notice);
    free(s->days);
    free(s->years);
}

static int add_day(const calendar *c, staged *s, cal_day d, int work, const char *name)
{
    if (find_day(c, d)) return -1;
    for (size_t i = 0; i < s->n; i++)
        if (s->days[i].day == d) return -1;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 32;
        s->days = xrealloc(s->days, s->cap * sizeof *s->days);
    }
    s->days[s->n++] = (special_day){d, work, xstrdup(name)};
    return 0;
}

static int cmp_day(const void *a, const void *b)
{
    const special_day *x = a, *y = b;
    return (x->day > y->day) - (x->day < y->day);
}

static int cmp_year(const void *a, const void *b)
{
    const year_entry *x = a, *y = b;
    return (x->year > y->year) - (x->year < y->year);
}

/* Splits the next whitespace-separated word off *p (in place). */
static char *word(char **p)
{
    while (**p == ' ' || **p == '\t') (*p)++;
    if (!**p) return NULL;
    char *w = *p;
    while (**p && **p != ' ' && **p != '\t') (*p)++;
    if (**p) *(*p)++ = 0;
    return w;
}

static char *rest(char *p)
{
    while (*p == ' ' || *p == '\t') p++;
    size_t n = strlen(p);
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r')) p[--n] = 0;
    return p;
}

/* Parses one line into s; returns NULL or a static reason. */
static const char *parse_line(const calendar *c, staged *s, char *line, int *year)
{
    char *p = line;
    char *kw = word(&p);
    if (!kw || kw[0] == '#') return NULL;
    if (strcmp(kw, "year") == 0) {
        char *y = word(&p);
        char *notice = rest(p);
        char *end;
        long v = y ? strtol(y, &end, 10) : 0;
        if (!y || *end || v < 1900 || v > 9999) return "bad year";
        if (!*notice) return "a year needs the notice it comes from";
        if (calendar_has_year(c, (int)v)) return "this year is already in the calendar";
        for (size_t i = 0; i < s->nyears; i++)
            if (s->years[i].year == v) return "this year is given twice";
        s->years = xrealloc(s->years, (s->nyears + 1) * sizeof *s->years);
        s->years[s->nyears++] = (year_entry){(int)v, xstrdup(notice)};
        *year = (int)v;
        return NULL;
    }
    int work = strcmp(kw, "work") == 0;
    if (!work && strcmp(kw, "off") != 0) return "expected 'year', 'off' or 'work'";
    if (!*year) return "a 'year' line must come first";
    char *d1 = word(&p);
    cal_day from, to;
    if (!d1 || cal_parse(d1, &from)) return "bad date (want YYYY-MM-DD)";
    to = from;
    /* An optional second date ends a range of days off. */
    while (*p == ' ' || *p == '\t') p++;
    char second[11] = {0};
    memcpy(second, p, strnlen(p, 10));
    if (!work && strlen(second) == 10 && (p[10] == 0 || p[10] == ' ' || p[10] == '\t') &&
        cal_parse(second, &to) == 0) {
        if (to < from) return "the range ends before it starts";
        p += 10;
    }
    char *name = rest(p);
    if (!*name) return "a day needs a name";
    if (year_of(from) != *year || year_of(to) != *year) return "date outside its year";
    if (work && cal_weekday(from) <= 5) return "a make-up workday must be a Saturday or Sunday";
    for (cal_day d = from; d <= to; d++)
        if (add_day(c, s, d, work, name)) return "date given twice";
    return NULL;
}

int calendar_load(calendar *c, const char *text, const char *source, char *err, size_t errlen)
{
    staged s = {0};
    char *copy = xstrdup(text);
    int lineno = 0, year = 0, rc = 0;
    for (char *line = copy, *next; line; line = next) {
        next = strchr(line, '\n');
        if (next) *next++ = 0;
        lineno++;
        const char *why = parse_line(c, &s, line, &year);
        if (why) {
            snprintf(err, errlen, "%s:%d: %s", source, lineno, why);
            rc = -1;
            break;
        }
    }
    free(copy);
    if (rc) {
        staged_free(&s);
        return -1;
    }
    c->days = xrealloc(c->days, (c->ndays + s.n + 1) * sizeof *c->days);
    if (s.n) memcpy(c->days + c->ndays, s.days, s.n * sizeof *s.days);
    c->ndays += s.n;
    qsort(c->days, c->ndays, sizeof *c->days, cmp_day);
    c->years = xrealloc(c->years, (c->nyears + s.nyears + 1) * sizeof *c->years);
    if (s.nyears) memcpy(c->years + c->nyears, s.years, s.nyears * sizeof *s.years);
    c->nyears += s.nyears;
    qsort(c->years, c->nyears, sizeof *c->years, cmp_year);
    free(s.days);
    free(s.years);
    return 0;
}
