/*
 * schedule — the visit plans of contact assignments (see liaison.h): quarterly, half-yearly
 * or yearly 定期走访 and the 节前走访 before 春节 and 中秋, whose dates come from the
 * working-day calendar (the holidays of the State Council's notice), and where a target
 * stands in each period. Pure functions of their arguments.
 */
#include "liaison/liaison.h"

#include <stdio.h>
#include <string.h>

static const char *const freq_codes[] = {"quarterly", "half_year", "year", "none"};

int liaison_freq_parse(const char *code)
{
    for (int i = 0; code && i < 4; i++)
        if (strcmp(code, freq_codes[i]) == 0) return i;
    return -1;
}

/* The festivals' own dates, for years the calendar has no notice for. */
static const struct {
    int year;
    unsigned char sm, sd, mm, md; /* 春节 month/day, 中秋 month/day */
} festival_table[] = {
    {2020, 1, 25, 10, 1}, {2021, 2, 12, 9, 21},  {2022, 2, 1, 9, 10},  {2023, 1, 22, 9, 29},
    {2024, 2, 10, 9, 17}, {2025, 1, 29, 10, 6},  {2026, 2, 17, 9, 25}, {2027, 2, 6, 9, 15},
    {2028, 1, 26, 10, 3}, {2029, 2, 13, 9, 22},  {2030, 2, 3, 9, 12},  {2031, 1, 23, 10, 1},
    {2032, 2, 11, 9, 19}, {2033, 1, 31, 9, 8},   {2034, 2, 19, 9, 27}, {2035, 2, 8, 9, 16},
};

cal_day liaison_festival_day(const calendar *cal, int year, int spring, int *estimated)
{
    *estimated = 0;
    if (cal && calendar_has_year(cal, year)) {
        /* The first day off named after the festival, in the months it can fall in. */
        cal_day d = spring ? cal_from_ymd(year, 1, 10) : cal_from_ymd(year, 8, 25);
        cal_day end = spring ? cal_from_ymd(year, 3, 1) : cal_from_ymd(year, 10, 20);
        const char *word = spring ? "春节" : "中秋";
        for (; d < end; d++) {
            const char *name = calendar_day_name(cal, d);
            if (name && strstr(name, word) && !calendar_is_workday(cal, d, NULL)) return d;
        }
    }
    for (size_t i = 0; i < sizeof festival_table / sizeof festival_table[0]; i++)
        if (festival_table[i].year == year) {
            *estimated = 1;
            return spring ? cal_from_ymd(year, festival_table[i].sm, festival_table[i].sd)
                          : cal_from_ymd(year, festival_table[i].mm, festival_table[i].md);
        }
    return 0;
}

static const char *const quarter_names[] = {"一", "二", "三", "四"};

/* Adds pd when it falls in the requested range and the plan's period; returns the count. */
static size_t add(liaison_period *out, size_t n, size_t max, const liaison_period *pd,
                  cal_day starts_on, cal_day ends_on, cal_day from, cal_day to)
{
    if (n >= max || pd->due < from || pd->due > to) return n;
    if (pd->due < starts_on || (ends_on && pd->from > ends_on)) return n;
    out[n] = *pd;
    return n + 1;
}

/* The periods of one year (at most 4 + 2), in order of due day. */
static size_t year_periods(const calendar *cal, liaison_freq freq, int festivals, int y,
                           liaison_period *p)
{
    size_t n = 0;
    int parts = freq == LIAISON_QUARTERLY ? 4 : freq == LIAISON_HALF_YEAR ? 2 : freq == LIAISON_YEAR;
    for (int i = 0; i < parts; i++) {
        int months = 12 / parts;
        liaison_period *pd = &p[n++];
        memset(pd, 0, sizeof *pd);
        pd->from = cal_from_ymd(y, 1 + i * months, 1);
        pd->due = cal_add_months(pd->from, months) - 1;
        if (parts == 4) {
            snprintf(pd->code, sizeof pd->code, "%d-Q%d", y, i + 1);
            snprintf(pd->title, sizeof pd->title, "%d年第%s季度", y, quarter_names[i]);
        } else if (parts == 2) {
            snprintf(pd->code, sizeof pd->code, "%d-H%d", y, i + 1);
            snprintf(pd->title, sizeof pd->title, "%d年%s半年", y, i ? "下" : "上");
        } else {
            snprintf(pd->code, sizeof pd->code, "%d-Y", y);
            snprintf(pd->title, sizeof pd->title, "%d年度", y);
        }
    }
    for (int spring = 1; festivals && spring >= 0; spring--) {
        int est;
        cal_day day = liaison_festival_day(cal, y, spring, &est);
        if (!day) continue;
        liaison_period f = {.from = day - 30, .due = day - 1, .festival = 1, .estimated = est};
        snprintf(f.code, sizeof f.code, "%d-%s", y, spring ? "spring" : "midautumn");
        snprintf(f.title, sizeof f.title, "%d年%s前", y, spring ? "春节" : "中秋");
        /* keep the year's periods ordered by due day */
        size_t at = n;
        while (at > 0 && p[at - 1].due > f.due) {
            p[at] = p[at - 1];
            at--;
        }
        p[at] = f;
        n++;
    }
    return n;
}

size_t liaison_periods(const calendar *cal, liaison_freq freq, int festivals, cal_day starts_on,
                       cal_day ends_on, cal_day from, cal_day to, liaison_period *out, size_t max)
{
    int y0, y1, m, d;
    cal_to_ymd(from, &y0, &m, &d);
    cal_to_ymd(to, &y1, &m, &d);
    size_t n = 0;
    for (int y = y0; y <= y1 && n < max; y++) {
        liaison_period p[6];
        size_t k = year_periods(cal, freq, festivals, y, p);
        for (size_t i = 0; i < k; i++)
            n = add(out, n, max, &p[i], starts_on, ends_on, from, to);
    }
    return n;
}

liaison_status liaison_period_status(const liaison_period *pd, const cal_day *visits, size_t n,
                                     cal_day today)
{
    for (size_t i = 0; i < n; i++)
        if (visits[i] >= pd->from && visits[i] <= pd->due) return LIAISON_DONE;
    return today > pd->due ? LIAISON_OVERDUE : LIAISON_PENDING;
}
