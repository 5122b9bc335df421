/*
 * prose — study and outreach figures in the county reports' own style (see prose.h).
 *
 * Counts are rounded down, never up, and 余 marks that something was cut, so a phrase never
 * claims more than the records hold. The paragraph is built from groups of clauses — the
 * scope unit's own 中心组, study across the subtree, outreach, education sites, outputs —
 * joined by "；" between groups and "，" within one; a clause whose count is zero is never
 * built, so its separator never appears. Dates go through the calendar's civil-date
 * arithmetic (flow/calendar.h).
 */
#include "study/prose.h"

#include "flow/calendar.h"

#include <inttypes.h>
#include <stddef.h>
#include <string.h>

/* ---- counts ---- */

const char *prose_count(arena *a, int64_t n, int approx)
{
    if (n < 0) n = 0;
    int64_t step = n >= 10000 ? 10000 : n >= 1000 ? 100 : (approx && n >= 10) ? 10 : 1;
    int64_t kept = n / step * step;
    const char *more = kept < n ? "余" : "";
    if (step == 10000) return arena_sprintf(a, "%" PRId64 "万%s", kept / 10000, more);
    return arena_sprintf(a, "%" PRId64 "%s", kept, more);
}

/* ---- the paragraph ---- */

enum { MAX_CLAUSES = 4 };

/* The clauses of one group, each without a subject unless `named` says it names the scope. */
typedef struct {
    const char *text[MAX_CLAUSES];
    size_t n;
} group;

typedef struct {
    arena *a;
    const prose_input *in;
    const char *out; /* the paragraph so far, NULL before the first clause */
    int named;       /* the next clause starts by naming the scope itself */
} para;

static int starts_with(const char *s, const char *prefix)
{
    return prefix[0] && strncmp(s, prefix, strlen(prefix)) == 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* "全县", "全镇", "全乡", "全街道" for a territorial scope; any other unit keeps its name. */
static const char *scope_whole(const char *scope)
{
    static const char *const kinds[] = {"县", "镇", "乡", "街道"};
    static const char *const whole[] = {"全县", "全镇", "全乡", "全街道"};
    if (starts_with(scope, "全")) return scope;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (ends_with(scope, kinds[i])) return whole[i];
    return scope;
}

/* Appends "<prefix><count><unit><suffix>" to g when n > 0. */
static void add(para *p, group *g, const char *prefix, int64_t n, int approx, const char *unit,
                const char *suffix)
{
    if (n <= 0 || g->n == MAX_CLAUSES) return;
    g->text[g->n++] =
        arena_sprintf(p->a, "%s%s%s%s", prefix, prose_count(p->a, n, approx), unit, suffix);
}

/* Appends group g: its clauses joined by "，", after "；" unless it is the first. */
static void flush(para *p, const group *g)
{
    for (size_t i = 0; i < g->n; i++) {
        if (!p->out) {
            const char *period = p->in->period && *p->in->period ? p->in->period : NULL;
            p->out = arena_sprintf(p->a, "%s%s%s%s", period ? period : "", period ? "，" : "",
                                   p->named ? "" : p->in->scope, g->text[i]);
        } else {
            p->out = arena_sprintf(p->a, "%s%s%s", p->out, i ? "，" : "；", g->text[i]);
        }
        p->named = 0;
    }
}

/* "开展县委理论学习中心组学习16次、研讨13次", or with a group named after the scope
 * "柴胡店镇党委理论学习中心组开展学习16次、研讨13次". */
static void top_group(para *p)
{
    const prose_input *in = p->in;
    group counts = {0}, g = {0};
    add(p, &counts, "学习", in->top_sessions, 0, "次", "");
    add(p, &counts, "研讨", in->top_discussions, 0, "次", "");
    if (!counts.n) return;
    const char *what = counts.n == 2 ? arena_sprintf(p->a, "%s、%s", counts.text[0], counts.text[1])
                                     : counts.text[0];
    const char *name = in->top_group && *in->top_group ? in->top_group : "理论学习中心组";
    p->named = starts_with(name, in->scope);
    g.text[g.n++] = p->named ? arena_sprintf(p->a, "%s开展%s", name, what)
                             : arena_sprintf(p->a, "开展%s%s", name, what);
    flush(p, &g);
}

/* Study across the subtree: every level's 中心组, discussions, members at the lectern. */
static void subtree_study(para *p)
{
    const prose_input *in = p->in;
    group g = {0};
    if (in->group_sessions > 0) {
        /* The scope is named once: first by its name, afterwards as 全县/全镇. */
        const char *who = p->out ? scope_whole(in->scope) : in->scope;
        add(p, &g, arena_sprintf(p->a, "%s各级理论学习中心组开展学习", who), in->group_sessions, 0,
            "次", "");
        p->named = !p->out;
    }
    add(p, &g, "开展集中交流研讨", in->discussions, 0, "场", "");
    add(p, &g, "", in->member_lecturers, 0, "名", "普通党员上讲台讲党课");
    flush(p, &g);
}

static void outreach(para *p)
{
    const prose_input *in = p->in;
    group g = {0};
    add(p, &g, "开展宣讲活动", in->outreach_events, 0, "场次", "");
    add(p, &g, g.n ? "受众" : "宣讲受众", in->audience, 0, "人次", "");
    flush(p, &g);
}

static void sites(para *p)
{
    const prose_input *in = p->in;
    group g = {0};
    add(p, &g, "组织党员群众到红色教育基地参观学习", in->site_visits, 0, "次", "");
    add(p, &g, g.n ? "受教育" : "到红色教育基地参观学习", in->visitors, 0, "人次", "");
    flush(p, &g);
}

static void outputs(para *p)
{
    group g = {0};
    add(p, &g, "形成调研报告和理论文章", p->in->outputs, 1, "篇", "");
    flush(p, &g);
}

const char *prose_summary(arena *a, const prose_input *in)
{
    prose_input copy = *in;
    if (!copy.scope) copy.scope = "";
    para p = {.a = a, .in = &copy};
    top_group(&p);
    subtree_study(&p);
    outreach(&p);
    sites(&p);
    outputs(&p);
    if (p.out) return arena_sprintf(a, "%s。", p.out);
    const char *period = copy.period && *copy.period ? copy.period : NULL;
    return arena_sprintf(a, "%s%s%s暂无学习宣讲活动记录。", period ? period : "",
                         period ? "，" : "", copy.scope);
}

/* ---- the period ---- */

typedef struct {
    int y, m, d;
} ymd;

static ymd split(cal_day day)
{
    ymd r;
    cal_to_ymd(day, &r.y, &r.m, &r.d);
    return r;
}

static int month_end(cal_day day)
{
    return split(day + 1).d == 1;
}

static int year_end(cal_day day)
{
    ymd r = split(day);
    return r.m == 12 && r.d == 31;
}

static const char *full_date(arena *a, cal_day day)
{
    ymd r = split(day);
    return arena_sprintf(a, "%d年%d月%d日", r.y, r.m, r.d);
}

/* "2023年以来", "2024年3月以来", "2024年3月5日以来". */
static const char *since(arena *a, cal_day from)
{
    ymd f = split(from);
    if (f.m == 1 && f.d == 1) return arena_sprintf(a, "%d年以来", f.y);
    if (f.d == 1) return arena_sprintf(a, "%d年%d月以来", f.y, f.m);
    return arena_sprintf(a, "%s以来", full_date(a, from));
}

/* Whole months [from's month, to's month]: whole years, one month, or a span of months. */
static const char *months(arena *a, cal_day from, cal_day to)
{
    ymd f = split(from), t = split(to);
    if (f.m == 1 && t.m == 12)
        return f.y == t.y ? arena_sprintf(a, "%d年", f.y)
                          : arena_sprintf(a, "%d年至%d年", f.y, t.y);
    if (f.y == t.y && f.m == t.m) return arena_sprintf(a, "%d年%d月", f.y, f.m);
    if (f.y == t.y) return arena_sprintf(a, "%d年%d月至%d月", f.y, f.m, t.m);
    return arena_sprintf(a, "%d年%d月至%d年%d月", f.y, f.m, t.y, t.m);
}

/* Any other span of days; the year is not repeated within one year. */
static const char *days(arena *a, cal_day from, cal_day to)
{
    if (from == to) return full_date(a, from);
    ymd f = split(from), t = split(to);
    if (f.y == t.y) return arena_sprintf(a, "%s至%d月%d日", full_date(a, from), t.m, t.d);
    return arena_sprintf(a, "%s至%s", full_date(a, from), full_date(a, to));
}

/* Parses an optional date: 1 when given and valid, 0 when NULL, -1 when it does not parse. */
static int optional_day(const char *s, cal_day *out)
{
    if (!s) return 0;
    return cal_parse(s, out) == 0 ? 1 : -1;
}

const char *prose_period(arena *a, const char *from, const char *to, const char *today)
{
    cal_day f = 0, t = 0, now;
    int has_from = optional_day(from, &f), has_to = optional_day(to, &t);
    if (!today || cal_parse(today, &now) != 0 || has_from < 0 || has_to < 0) return NULL;
    if (!has_from) return arena_sprintf(a, "截至%s", full_date(a, has_to ? t : now));
    if (!has_to) t = now;
    if (f > t) return NULL;
    int whole = split(f).d == 1 && month_end(t);
    int whole_years = whole && split(f).m == 1 && year_end(t);
    if (t == now && !whole_years) return since(a, f);
    if (whole) return months(a, f, t);
    return days(a, f, t);
}
