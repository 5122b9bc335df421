/*
 * study_stats — the study registry's figures and its summary paragraph. Figures (sessions,
 * discussions, lectures, outreach events and audience, attendance rate, ordinary members who
 * gave a 党课, outputs, site visits) for a unit subtree and period, grouped by kind, unit or
 * month, each carrying the activity-list filters behind it. The summary writes the same
 * figures in the county reports' own prose, as JSON, plain text or a Word document.
 */
#include "study/study_int.h"

#include "base/clock.h"
#include "io/docx.h"
#include "study/prose.h"
#include "study/study.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    arena *a;
    store_activity_filter f;
    int64_t unit_id;
    study_grouping g;
    store_unit parent, root;
    store_study_group *groups, *total;
    size_t ngroups, ntotal;
    store_unit *units;
    size_t nunits;
} stats_ctx;

static err_code stats_fn(store_tx *tx, void *ctx)
{
    stats_ctx *c = ctx;
    err_code e = store_unit_root(tx, c->a, &c->root);
    if (e == E_OK) e = c->unit_id ? store_unit_get(tx, c->a, c->unit_id, &c->parent) : E_OK;
    if (e != E_OK) return e;
    if (!c->unit_id) c->parent = c->root;
    c->f.subtree = c->parent.path;
    e = store_study_stats(tx, c->a, &c->f, SG_TOTAL, NULL, &c->total, &c->ntotal);
    if (e == E_OK && c->g != SG_TOTAL)
        e = store_study_stats(tx, c->a, &c->f, c->g, c->parent.path, &c->groups, &c->ngroups);
    if (e == E_OK && c->g == SG_UNIT)
        e = store_unit_list(tx, c->a, NULL, c->parent.id, &c->units, &c->nunits);
    return e;
}

/* The request's filters as activity-list query parameters. */
static json_t *base_filter(const stats_ctx *c)
{
    json_t *j = json_object();
    if (c->unit_id) json_object_set_new(j, "unit_id", json_integer(c->unit_id));
    if (c->f.from) json_object_set_new(j, "from", json_string(c->f.from));
    if (c->f.to) json_object_set_new(j, "to", json_string(c->f.to));
    if (c->f.kind) json_object_set_new(j, "kind", json_string(c->f.kind));
    if (c->f.category) json_object_set_new(j, "category", json_string(c->f.category));
    return j;
}

/* The filters behind each figure of a group whose own filter is `own` (taken). */
static json_t *figure_filters(json_t *own)
{
    static const struct {
        const char *figure, *category;
    } by_category[] = {
        {"discussions", "discussion"}, {"lectures", "lecture"}, {"outreach", "outreach"}};
    json_t *f = json_object();
    json_object_set(f, "sessions", own);
    for (size_t i = 0; i < 3; i++) {
        json_t *x = json_deep_copy(own);
        json_object_set_new(x, "category", json_string(by_category[i].category));
        json_object_set_new(f, by_category[i].figure, x);
    }
    json_t *m = json_deep_copy(own);
    json_object_set_new(m, "category", json_string("lecture"));
    json_object_set_new(m, "member_lecture", json_integer(1));
    json_object_set_new(f, "member_lecturers", m);
    json_decref(own);
    return f;
}

static json_t *group_json(const store_study_group *g, json_t *own)
{
    json_t *j =
        json_pack("{ss ss sI sI sI sI sI sI}", "key", g->key, "label", g->label, "sessions",
                  (json_int_t)g->sessions, "discussions", (json_int_t)g->discussions, "lectures",
                  (json_int_t)g->lectures, "outreach", (json_int_t)g->outreach, "audience",
                  (json_int_t)g->audience, "member_lecturers", (json_int_t)g->member_lecturers);
    json_object_set_new(j, "attendance_rate",
                        g->expected ? json_real((double)g->present / (double)g->expected)
                                    : json_null());
    json_object_set_new(j, "filters", figure_filters(own));
    return j;
}

/* A unit group's filter: the child's subtree, or the parent unit alone for its own records. */
static json_t *unit_filter(const stats_ctx *c, const store_study_group *g)
{
    json_t *own = base_filter(c);
    if (strcmp(g->key, "0") == 0) {
        json_object_set_new(own, "unit_id", json_integer(c->parent.id));
        json_object_set_new(own, "unit_only", json_integer(1));
    } else {
        json_object_set_new(own, "unit_id", json_integer(strtoll(g->key, NULL, 10)));
    }
    return own;
}

static const char *unit_label(const stats_ctx *c, const char *key)
{
    if (strcmp(key, "0") == 0) return arena_sprintf(c->a, "%s（本级）", c->parent.name);
    int64_t id = strtoll(key, NULL, 10);
    for (size_t i = 0; i < c->nunits; i++)
        if (c->units[i].id == id) return c->units[i].name;
    return key;
}

static json_t *group_filter(const stats_ctx *c, const store_study_group *g)
{
    if (c->g == SG_UNIT) return unit_filter(c, g);
    json_t *own = base_filter(c);
    if (c->g == SG_KIND) json_object_set_new(own, "kind", json_string(g->key));
    if (c->g == SG_MONTH) { /* the month, within the period asked for */
        char from[11], to[11];
        cal_day first, last;
        snprintf(from, sizeof from, "%.7s-01", g->key);
        if (cal_parse(from, &first) == 0) {
            last = cal_add_months(first, 1) - 1;
            cal_format(last, to);
            if (c->f.from && strcmp(c->f.from, from) > 0)
                snprintf(from, sizeof from, "%s", c->f.from);
            if (c->f.to && strcmp(c->f.to, to) < 0) snprintf(to, sizeof to, "%s", c->f.to);
            json_object_set_new(own, "from", json_string(from));
            json_object_set_new(own, "to", json_string(to));
        }
    }
    return own;
}

static err_code read_stats(http_req *r, stats_ctx *c)
{
    int64_t unit_id;
    err_code e = api_study_activity_filter(r, &c->f, &unit_id);
    if (e != E_OK) return e;
    c->unit_id = unit_id;
    c->f.unit_only = 0;
    return api_read_filtered(r, stats_fn, c);
}

err_code api_study_stats(http_req *r)
{
    stats_ctx c = {.a = http_arena(r), .g = SG_TOTAL};
    static const char *const names[] = {
        [SG_KIND] = "kind", [SG_UNIT] = "unit", [SG_MONTH] = "month", [SG_TOTAL] = NULL};
    int group;
    err_code e =
        http_query_choice(r, "group", names, sizeof names / sizeof *names, SG_TOTAL, &group);
    c.g = (study_grouping)group;
    if (e == E_OK) e = read_stats(r, &c);
    if (e != E_OK) return e;
    json_t *groups = json_array();
    for (size_t i = 0; i < c.ngroups; i++) {
        store_study_group *g = &c.groups[i];
        if (c.g == SG_UNIT) g->label = unit_label(&c, g->key);
        json_array_append_new(groups, group_json(g, group_filter(&c, g)));
    }
    json_t *total = group_json(c.total, base_filter(&c));
    json_object_set_new(total, "outputs", json_integer(c.total->outputs));
    json_object_set_new(total, "site_visits", json_integer(c.total->visits));
    json_object_set_new(total, "visitors", json_integer(c.total->visitors));
    return http_reply(r, 200, json_pack("{so so}", "total", total, "groups", groups));
}

/* ---- the summary ---- */

/* The scope unit's own 中心组, as reports name it. */
static const char *group_name(arena *a, const store_unit *u, int is_root)
{
    if (is_root) return "县委理论学习中心组";
    if (strcmp(u->kind, "township") == 0) return arena_sprintf(a, "%s党委理论学习中心组", u->name);
    if (strcmp(u->kind, "department") == 0)
        return arena_sprintf(a, "%s党组理论学习中心组", u->name);
    return arena_sprintf(a, "%s理论学习中心组", u->name);
}

static int64_t kind_count(const store_study_group *g, size_t n, const char *kind)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(g[i].key, kind) == 0) return g[i].sessions;
    return 0;
}

static int64_t discussions(const store_study_group *g, size_t n)
{
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += g[i].discussions;
    return sum;
}

typedef struct {
    stats_ctx s;
    store_study_group *own;
    size_t nown;
} summary_ctx;

static err_code own_fn(store_tx *tx, void *ctx)
{
    summary_ctx *c = ctx;
    store_activity_filter f = c->s.f;
    f.unit_only = c->s.parent.id;
    return store_study_stats(tx, c->s.a, &f, SG_KIND, NULL, &c->own, &c->nown);
}

/* The summary paragraph and its title for the request's unit and period. */
static err_code summary_text(http_req *r, const char **title, const char **text)
{
    summary_ctx c = {.s = {.a = http_arena(r), .g = SG_KIND}};
    err_code e = read_stats(r, &c.s);
    if (e != E_OK) return e;
    const principal *p = http_principal(r);
    if (!c.s.unit_id && !authz_can(p, "study.read", c.s.parent.path) && p->unit_id) {
        /* no unit asked for and the county is not the caller's: the caller's own unit */
        c.s.unit_id = p->unit_id;
        e = store_read(http_app(r)->st, stats_fn, &c.s);
        if (e != E_OK) return e;
    }
    if (!authz_can(p, "study.read", c.s.parent.path)) return E_FORBIDDEN;
    e = store_read(http_app(r)->st, own_fn, &c);
    if (e != E_OK) return e;
    char today[11];
    cal_format(cal_local_day(clock_now()), today);
    const char *period = prose_period(c.s.a, c.s.f.from, c.s.f.to, today);
    if (!period) return http_fail(r, E_BAD_QUERY, "from");
    int is_root = c.s.parent.id == c.s.root.id;
    const store_study_group *all = c.s.groups, *t = c.s.total;
    prose_input in = {
        .period = period,
        .scope = is_root ? "全县" : c.s.parent.name,
        .top_group = group_name(c.s.a, &c.s.parent, is_root),
        .top_sessions = kind_count(c.own, c.nown, "center_group"),
        .top_discussions = discussions(c.own, c.nown),
        .group_sessions = kind_count(all, c.s.ngroups, "center_group"),
        .discussions = t->discussions,
        .member_lecturers = t->member_lecturers,
        .outreach_events = t->outreach,
        .audience = t->audience,
        .outputs = t->outputs,
        .site_visits = t->visits,
        .visitors = t->visitors,
    };
    *text = prose_summary(c.s.a, &in);
    *title = arena_sprintf(c.s.a, "%s理论学习和宣讲工作情况（%s）", c.s.parent.name, period);
    return E_OK;
}

err_code api_study_summary(http_req *r)
{
    const char *title, *text;
    err_code e = summary_text(r, &title, &text);
    if (e != E_OK) return e;
    return http_reply(r, 200, json_pack("{ss ss}", "title", title, "text", text));
}

err_code api_study_summary_txt(http_req *r)
{
    const char *title, *text;
    err_code e = summary_text(r, &title, &text);
    if (e != E_OK) return e;
    char *body = xasprintf("%s\r\n\r\n%s\r\n", title, text);
    return http_reply_download(r, "text/plain; charset=utf-8", body, strlen(body),
                               arena_sprintf(http_arena(r), "%s.txt", title));
}

err_code api_study_summary_docx(http_req *r)
{
    const char *title, *text;
    err_code e = summary_text(r, &title, &text);
    if (e != E_OK) return e;
    char *bytes;
    size_t len;
    const char *paras[] = {text};
    e = docx_write(title, paras, 1, &bytes, &len);
    if (e != E_OK) return e;
    return http_reply_download(
        r, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", bytes, len,
        arena_sprintf(http_arena(r), "%s.docx", title));
}
