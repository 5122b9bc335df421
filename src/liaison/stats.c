/*
 * stats — the liaison mechanism's figures of a year, a quarter or a month, each with the
 * filters of the list behind it (the same records the number counts, for drilling down):
 * persons by category and by status; visits planned against done, pending and overdue by
 * unit, by period and by cadre (from the visit plans of schedule.c, listed one row per target
 * and period by GET /liaison/plan); visits
 * recorded and festival visits; enterprises covered; requests and problems raised here and
 * solved through the problem list, by origin; 驻厂员 and their enterprises; alliances'
 * meetings, activities by kind and talents recruited; and the paragraph in the reports' style
 * ("2024年以来，西城街道12名领导干部联系统战对象260人……"), which names the unit the figures
 * cover: the one asked for, else the caller's own scope (全县 only for the county's).
 */
#include "liaison/liaison_int.h"

#include "base/clock.h"

#include <stdlib.h>
#include <string.h>

extern const char *const liaison_activity_codes[];
extern const char *const liaison_activity_titles[];

/* A count as the reports write it: exact below 1000, else floored to hundreds with 余. */
const char *liaison_count_text(arena *a, int64_t n)
{
    if (n < 1000) return arena_sprintf(a, "%lld", (long long)(n < 0 ? 0 : n));
    return arena_sprintf(a, "%lld%s", (long long)(n / 100 * 100), n % 100 ? "余" : "");
}

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    const char *scope, *subtree, *scope_name;
    int64_t unit_id;
    liaison_window w;
    json_t *out;
    json_t *base; /* the lists' filters every figure shares: from, to, unit_id */
} stats_ctx;

static const char *const cn_digits[] = {"一", "二", "三", "四"};

err_code liaison_window_set(liaison_window *w, int year, int quarter, int month)
{
    if (year < 2000 || year > 2100) return E_BAD_QUERY;
    if (quarter < 0 || quarter > 4 || month < 0 || month > 12 || (quarter && month))
        return E_BAD_QUERY;
    *w = (liaison_window){.year = year, .quarter = quarter, .month = month};
    if (month) {
        w->from = cal_from_ymd(year, month, 1);
        w->to = cal_add_months(w->from, 1) - 1;
        snprintf(w->title, sizeof w->title, "%d年%d月", year, month);
    } else if (quarter) {
        w->from = cal_from_ymd(year, 3 * quarter - 2, 1);
        w->to = cal_add_months(w->from, 3) - 1;
        snprintf(w->title, sizeof w->title, "%d年第%s季度", year, cn_digits[quarter - 1]);
    } else {
        w->from = cal_from_ymd(year, 1, 1);
        w->to = cal_from_ymd(year, 12, 31);
        snprintf(w->title, sizeof w->title, "%d年", year);
    }
    cal_format(w->from, w->from_text);
    cal_format(w->to, w->to_text);
    return E_OK;
}

err_code liaison_window_query(http_req *r, liaison_window *w)
{
    int y, m, d;
    cal_to_ymd(cal_local_day(clock_now()), &y, &m, &d);
    int64_t year, quarter, month;
    err_code e = http_query_int(r, "year", y, 2000, 2100, &year);
    if (e == E_OK) e = http_query_int(r, "quarter", 0, 1, 4, &quarter);
    if (e == E_OK) e = http_query_int(r, "month", 0, 1, 12, &month);
    if (e != E_OK) return e;
    if (liaison_window_set(w, (int)year, (int)quarter, (int)month) != E_OK)
        return http_fail(r, E_BAD_QUERY, "month");
    return E_OK;
}

/* A copy of the shared filters with key=value added (value NULL: none added). */
static json_t *filters(const stats_ctx *c, const char *key, const char *value)
{
    json_t *f = json_deep_copy(c->base);
    if (key && value) json_object_set_new(f, key, json_string(value));
    return f;
}

static const char *id_text(arena *a, int64_t id)
{
    return arena_sprintf(a, "%lld", (long long)id);
}

/* Rows of (key, title, count[, count2]) into an array of objects. */
static err_code rows(store_tx *tx, sq_stmt *st, int ncounts, const char *k1, const char *k2,
                     json_t *arr)
{
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW) {
        json_t *o = json_pack("{ss ss sI}", "code", sq_text_peek(st, 0), "title",
                              sq_text_peek(st, 1), k1, (json_int_t)sq_int(st, 2));
        if (ncounts > 1) json_object_set_new(o, k2, json_integer(sq_int(st, 3)));
        json_array_append_new(arr, o);
    }
    sq_reset(st);
    return rc == SQ_DONE ? E_OK : (err_code)rc;
}

static int64_t sum(json_t *arr, const char *key)
{
    int64_t n = 0;
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o) n += json_integer_value(json_object_get(o, key));
    return n;
}

/* The filters of a list of records that are not dated (persons, enterprises): the unit only. */
static json_t *undated(const stats_ctx *c, const char *key, const char *value)
{
    json_t *f = json_object();
    if (c->unit_id) json_object_set_new(f, "unit_id", json_string(id_text(c->a, c->unit_id)));
    if (key && value) json_object_set_new(f, key, json_string(value));
    return f;
}

static err_code persons(stats_ctx *c, store_tx *tx)
{
    static const char cat_sql[] =
        "SELECT COALESCE(c.parent, c.code), COALESCE(pc.title, c.title), count(*)"
        " FROM liaison_person p JOIN unit u ON u.id = p.unit_id"
        " JOIN liaison_category c ON c.code = p.category"
        " LEFT JOIN liaison_category pc ON pc.code = c.parent"
        " WHERE {in_scope u.path} AND {in_subtree u.path}"
        " GROUP BY COALESCE(c.parent, c.code), COALESCE(pc.title, c.title)"
        " ORDER BY min(COALESCE(pc.seq, c.seq)), 1";
    static const char status_sql[] =
        "SELECT p.status, p.status, count(*) FROM liaison_person p JOIN unit u ON u.id = p.unit_id"
        " WHERE {in_scope u.path} AND {in_subtree u.path} GROUP BY p.status ORDER BY p.status";
    json_t *cats = json_array(), *status = json_array();
    json_object_set_new(c->out, "persons",
                        json_pack("{so so}", "by_category", cats, "by_status", status));
    /* persons are personal data: their figures need liaison.person */
    const char *scope = authz_scope(c->p, "liaison.person", c->a);
    sq_stmt *st = sq_prep(tx, cat_sql);
    sq_bind(st, "ss", scope, c->subtree);
    err_code e = rows(tx, st, 1, "count", NULL, cats);
    if (e != E_OK) return e;
    st = sq_prep(tx, status_sql);
    sq_bind(st, "ss", scope, c->subtree);
    e = rows(tx, st, 1, "count", NULL, status);
    size_t i;
    json_t *o;
    json_array_foreach(cats, i, o) json_object_set_new(
        o, "filters", undated(c, "category", json_string_value(json_object_get(o, "code"))));
    json_array_foreach(status, i, o)
    {
        const char *code = json_string_value(json_object_get(o, "code"));
        json_object_set_new(o, "title", json_string(liaison_choice_title("person", "status", code)));
        json_object_set_new(o, "filters", undated(c, "status", code));
    }
    json_t *persons = json_object_get(c->out, "persons");
    json_object_set_new(persons, "total", json_integer(sum(cats, "count")));
    json_object_set_new(persons, "filters", undated(c, NULL, NULL));
    return e;
}

/* ---- the visit plans: one walk for the figures and for the list behind them ---- */

err_code liaison_plan_walk(store_tx *tx, arena *a, const app *ap, const char *scope,
                           const char *subtree, cal_day from, cal_day to, liaison_plan_fn fn,
                           void *ctx)
{
    liaison_target *ts;
    size_t n;
    err_code e = liaison_targets(tx, a, scope, 0, 0, &ts, &n);
    if (e != E_OK) return e;
    cal_day today = cal_local_day(clock_now());
    for (size_t i = 0; e == E_OK && i < n; i++) {
        const liaison_target *t = &ts[i];
        if (subtree && !authz_within(subtree, t->unit_path)) continue;
        fn(ctx, tx, t, NULL, LIAISON_PENDING);
        cal_day start = 0, end = 0, *days;
        size_t nd;
        cal_parse(t->starts_on, &start);
        if (*t->ends_on) cal_parse(t->ends_on, &end);
        liaison_period pd[16];
        size_t np = liaison_periods(ap->cal, (liaison_freq)t->freq, t->festivals, start, end, from,
                                    to, pd, 16);
        e = liaison_target_visits(tx, a, t, &days, &nd);
        for (size_t k = 0; e == E_OK && k < np; k++) {
            if (pd[k].from > today) continue; /* not begun: not yet planned */
            fn(ctx, tx, t, &pd[k], liaison_period_status(&pd[k], days, nd, today));
        }
    }
    return e;
}

/* planned/done/pending/overdue counters under a key in obj (created on first use), with the
 * filters of GET /liaison/plan that lists the same rows (the UI adds status=). */
static void tally(stats_ctx *c, json_t *obj, const char *key, const char *title, int64_t id,
                  const char *fkey, const char *fvalue, liaison_status s)
{
    json_t *o = json_object_get(obj, key);
    if (!o) {
        o = json_pack("{ss ss sI si si si si so}", "key", key, "title", title, "id",
                      (json_int_t)id, "planned", 0, "done", 0, "pending", 0, "overdue", 0,
                      "filters", filters(c, fkey, fvalue));
        json_object_set_new(obj, key, o);
    }
    static const char *const names[] = {"done", "pending", "overdue"};
    json_object_set_new(o, "planned", json_integer(json_integer_value(json_object_get(o, "planned")) + 1));
    json_object_set_new(o, names[s],
                        json_integer(json_integer_value(json_object_get(o, names[s])) + 1));
}

static json_t *values_sorted(json_t *obj)
{
    /* keys were made sortable (paths, period codes, padded ids) */
    const char **keys = NULL;
    size_t n = json_object_size(obj), k = 0;
    keys = malloc(n * sizeof *keys + 1);
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) keys[k++] = key;
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(keys[j - 1], keys[j]) > 0; j--) {
            const char *t = keys[j];
            keys[j] = keys[j - 1];
            keys[j - 1] = t;
        }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append(arr, json_object_get(obj, keys[i]));
    free(keys);
    return arr;
}

typedef struct {
    stats_ctx *c;
    json_t *by_unit, *by_period, *by_cadre, *total, *cadres;
    int64_t last_owner;
} plan_tally;

static void plan_count(void *ctx, store_tx *tx, const liaison_target *t, const liaison_period *pd,
                       liaison_status s)
{
    plan_tally *x = ctx;
    stats_ctx *c = x->c;
    if (!pd) {
        if (t->owner_id != x->last_owner)
            json_object_set_new(x->cadres, id_text(c->a, t->cadre_user_id), json_true());
        x->last_owner = t->owner_id;
        return;
    }
    tally(c, x->total, "all", "合计", 0, NULL, NULL, s);
    tally(c, x->by_unit, t->unit_path, t->unit_name, t->unit_id, "owner_unit_id",
          id_text(c->a, t->unit_id), s);
    tally(c, x->by_period, pd->code, pd->title, 0, "period", pd->code, s);
    char ck[24];
    snprintf(ck, sizeof ck, "%012lld", (long long)t->cadre_user_id);
    tally(c, x->by_cadre, ck, liaison_user_label(tx, c->a, t->cadre_user_id), t->cadre_user_id,
          "cadre_user_id", id_text(c->a, t->cadre_user_id), s);
}

static err_code visits(stats_ctx *c, store_tx *tx)
{
    plan_tally x = {c, json_object(), json_object(), json_object(), json_object(), json_object(), 0};
    err_code e = liaison_plan_walk(tx, c->a, c->ap, c->scope, c->subtree, c->w.from, c->w.to,
                                   plan_count, &x);
    json_t *all = json_object_get(x.total, "all");
    json_t *v = all ? json_incref(all)
                    : json_pack("{si si si si so}", "planned", 0, "done", 0, "pending", 0,
                                "overdue", 0, "filters", filters(c, NULL, NULL));
    json_object_del(v, "key");
    json_object_del(v, "id");
    json_object_del(v, "title");
    json_object_set_new(v, "by_unit", values_sorted(x.by_unit));
    json_object_set_new(v, "by_period", values_sorted(x.by_period));
    json_object_set_new(v, "by_cadre", values_sorted(x.by_cadre));
    json_object_set_new(v, "cadres", json_integer((json_int_t)json_object_size(x.cadres)));
    json_decref(x.by_unit);
    json_decref(x.by_period);
    json_decref(x.by_cadre);
    json_decref(x.total);
    json_decref(x.cadres);
    json_object_set_new(c->out, "plan", v);
    return e;
}

/* One integer of a statement bound with scope, subtree, the window's first and last day. */
static err_code one(stats_ctx *c, store_tx *tx, const char *sql, int64_t *v)
{
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "ssss", c->scope, c->subtree, c->w.from_text, c->w.to_text);
    return sq_int_or(tx, st, 0, v);
}

#define IN_UNIT " JOIN unit u ON u.id = x.unit_id WHERE {in_scope u.path} AND {in_subtree u.path}"

static err_code counts(stats_ctx *c, store_tx *tx)
{
    static const char visits_sql[] = "SELECT count(*) FROM liaison_visit x" IN_UNIT
                                     " AND x.visited_on >= ?3 AND x.visited_on <= ?4"
                                     " AND x.assignment_id IS NOT NULL";
    static const char ent_sql[] = "SELECT count(*) FROM liaison_enterprise x" IN_UNIT
                                  " AND ?3 <= ?4";
    static const char covered_sql[] =
        "SELECT count(*) FROM liaison_enterprise x" IN_UNIT " AND EXISTS (SELECT 1 FROM"
        " liaison_visit v WHERE v.enterprise_id = x.id AND v.visited_on >= ?3 AND"
        " v.visited_on <= ?4)";
    static const char st_cadres_sql[] =
        "SELECT count(DISTINCT x.cadre_user_id) FROM liaison_station x" IN_UNIT
        " AND x.starts_on <= ?4 AND x.ends_on >= ?3";
    static const char st_firms_sql[] =
        "SELECT count(DISTINCT l.ref_id) FROM liaison_station x JOIN liaison_station_enterprise l"
        " ON l.owner_id = x.id" IN_UNIT " AND x.starts_on <= ?4 AND x.ends_on >= ?3";
    static const char st_visits_sql[] = "SELECT count(*) FROM liaison_visit x" IN_UNIT
                                        " AND x.visited_on >= ?3 AND x.visited_on <= ?4"
                                        " AND x.station_id IS NOT NULL";
    static const char alliances_sql[] = "SELECT count(*) FROM liaison_alliance x" IN_UNIT
                                        " AND ?3 <= ?4";
    static const char meetings_sql[] = "SELECT count(*) FROM liaison_meeting x" IN_UNIT
                                       " AND x.held_on >= ?3 AND x.held_on <= ?4";
    int64_t v[8];
    const char *sqls[] = {visits_sql,   ent_sql,       covered_sql,  st_cadres_sql,
                          st_firms_sql, st_visits_sql, alliances_sql, meetings_sql};
    for (int i = 0; i < 8; i++) {
        err_code e = one(c, tx, sqls[i], &v[i]);
        if (e != E_OK) return e;
    }
    json_object_set_new(c->out, "visits",
                        json_pack("{sI so}", "recorded", (json_int_t)v[0], "filters",
                                  filters(c, "owner", "assignment")));
    json_object_set_new(c->out, "enterprises",
                        json_pack("{sI sI so}", "total", (json_int_t)v[1], "covered",
                                  (json_int_t)v[2], "filters", undated(c, NULL, NULL)));
    json_object_set_new(c->out, "stations",
                        json_pack("{sI sI sI so}", "cadres", (json_int_t)v[3], "enterprises",
                                  (json_int_t)v[4], "visits", (json_int_t)v[5], "filters",
                                  filters(c, "owner", "station")));
    json_object_set_new(c->out, "alliances",
                        json_pack("{sI sI so so}", "count", (json_int_t)v[6], "meetings",
                                  (json_int_t)v[7], "filters", undated(c, NULL, NULL),
                                  "meeting_filters", filters(c, NULL, NULL)));
    return E_OK;
}

static err_code problems(stats_ctx *c, store_tx *tx)
{
    static const char sql[] =
        "SELECT x.origin, x.origin, count(*), count(*) FILTER (WHERE p.state = 'closed')"
        " FROM liaison_problem x JOIN problem p ON p.id = x.problem_id" IN_UNIT
        " AND p.found_on >= ?3 AND p.found_on <= ?4 GROUP BY x.origin ORDER BY x.origin";
    json_t *arr = json_array();
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "ssss", c->scope, c->subtree, c->w.from_text, c->w.to_text);
    err_code e = rows(tx, st, 2, "raised", "solved", arr);
    static const char *const titles[][2] = {
        {"visit", "统战走访"}, {"meeting", "联盟议事"}, {"station", "驻厂"}};
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o)
    {
        const char *code = json_string_value(json_object_get(o, "code"));
        for (int k = 0; k < 3; k++)
            if (strcmp(code, titles[k][0]) == 0)
                json_object_set_new(o, "title", json_string(titles[k][1]));
        json_t *solved = filters(c, "origin", code);
        json_object_set_new(solved, "closed", json_string("1"));
        json_object_set_new(o, "filters",
                            json_pack("{so so}", "raised", filters(c, "origin", code), "solved",
                                      solved));
    }
    json_object_set_new(c->out, "problems", arr);
    return e;
}

static err_code activities(stats_ctx *c, store_tx *tx)
{
    static const char sql[] =
        "SELECT x.kind, x.kind, count(*), COALESCE(sum(x.talents), 0) FROM liaison_activity x"
        IN_UNIT " AND x.held_on >= ?3 AND x.held_on <= ?4 GROUP BY x.kind ORDER BY x.kind";
    json_t *arr = json_array();
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "ssss", c->scope, c->subtree, c->w.from_text, c->w.to_text);
    err_code e = rows(tx, st, 2, "count", "talents", arr);
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o)
    {
        const char *code = json_string_value(json_object_get(o, "code"));
        json_object_set_new(o, "title",
                            json_string(liaison_choice_title("activity", "kind", code)));
        json_object_set_new(o, "filters", filters(c, "kind", code));
    }
    json_object_set_new(c->out, "activities", arr);
    return e;
}

static int64_t field(json_t *o, const char *a, const char *b)
{
    return json_integer_value(json_object_get(json_object_get(o, a), b));
}

/* The figures for one origin of problems: raised and solved. */
static void origin_counts(json_t *out, const char *origin, int64_t *raised, int64_t *solved)
{
    *raised = *solved = 0;
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(out, "problems"), i, o) if (
        strcmp(json_string_value(json_object_get(o, "code")), origin) == 0)
    {
        *raised = json_integer_value(json_object_get(o, "raised"));
        *solved = json_integer_value(json_object_get(o, "solved"));
    }
}

/* The paragraph in the reports' style; clauses with nothing to say are left out. */
static const char *summary(stats_ctx *c)
{
    arena *a = c->a;
    json_t *o = c->out;
    const char *s = arena_sprintf(a, "%s，%s", c->w.title, c->scope_name);
    int64_t cadres = field(o, "plan", "cadres"), persons = field(o, "persons", "total");
    int64_t done = field(o, "plan", "done"), planned = field(o, "plan", "planned");
    int64_t overdue = field(o, "plan", "overdue"), recorded = field(o, "visits", "recorded");
    int any = 0;
    if (cadres) {
        s = arena_sprintf(a, "%s%lld名领导干部联系统战对象%s人、重点企业%lld家，开展走访%s次，完成计划走访%lld次中的%lld次", s,
                          (long long)cadres, liaison_count_text(a, persons),
                          (long long)field(o, "enterprises", "total"),
                          liaison_count_text(a, recorded), (long long)planned, (long long)done);
        if (overdue) s = arena_sprintf(a, "%s，逾期未走访%lld次", s, (long long)overdue);
        any = 1;
    }
    int64_t raised, solved;
    origin_counts(o, "visit", &raised, &solved);
    if (raised)
        s = arena_sprintf(a, "%s%s收集困难诉求%lld个，经问题清单解决%lld个", s, any ? "；" : "",
                          (long long)raised, (long long)solved), any = 1;
    int64_t sc = field(o, "stations", "cadres");
    origin_counts(o, "station", &raised, &solved);
    if (sc)
        s = arena_sprintf(a, "%s%s%lld名干部作为驻厂员进驻%lld家企业，帮助解决难题%s个", s,
                          any ? "；" : "", (long long)sc,
                          (long long)field(o, "stations", "enterprises"),
                          liaison_count_text(a, solved)), any = 1;
    if (field(o, "alliances", "count")) {
        const char *acts = "";
        int64_t talents = 0;
        size_t i;
        json_t *x;
        json_array_foreach(json_object_get(o, "activities"), i, x)
        {
            const char *code = json_string_value(json_object_get(x, "code"));
            talents += json_integer_value(json_object_get(x, "talents"));
            if (strcmp(code, "party_education") && strcmp(code, "forum") &&
                strcmp(code, "enterprise_service"))
                continue;
            acts = arena_sprintf(a, "%s%s%s%lld次", acts, *acts ? "、" : "",
                                 json_string_value(json_object_get(x, "title")),
                                 (long long)json_integer_value(json_object_get(x, "count")));
        }
        origin_counts(o, "meeting", &raised, &solved);
        s = arena_sprintf(a, "%s%s党建联盟召开联盟会议%lld次", s, any ? "；" : "",
                          (long long)field(o, "alliances", "meetings"));
        if (*acts) s = arena_sprintf(a, "%s，开展%s", s, acts);
        if (solved) s = arena_sprintf(a, "%s，帮助解决企业问题%lld个", s, (long long)solved);
        if (talents) s = arena_sprintf(a, "%s，引进人才%lld人", s, (long long)talents);
        any = 1;
    }
    return any ? arena_sprintf(a, "%s。", s) : arena_sprintf(a, "%s暂无统战联络和党建联盟记录。", s);
}

/*
 * The name of what the caller's scope covers: 全县 for the county (or the system), else the
 * units whose subtrees it holds ("西城街道", "西城街道、小门家镇").
 */
static err_code scope_name(stats_ctx *c, store_tx *tx, const char **out)
{
    static const char sql[] = "SELECT name, parent_id IS NULL FROM unit WHERE path = ?1";
    *out = "全县";
    json_t *paths = c->scope ? json_loads(c->scope, 0, NULL) : NULL;
    const char *names = "";
    size_t i;
    json_t *x;
    err_code e = E_OK;
    json_array_foreach(paths, i, x)
    {
        sq_stmt *st = sq_prep(tx, sql);
        sq_bind_text(st, 1, json_string_value(x));
        int rc = sq_step(st);
        const char *name = rc == SQ_ROW ? sq_text(c->a, st, 0) : NULL;
        int root = rc == SQ_ROW && sq_int(st, 1);
        sq_reset(st);
        if (rc != SQ_ROW && rc != SQ_DONE) {
            e = (err_code)rc;
            break;
        }
        if (root) {
            names = "";
            break;
        }
        if (name) names = *names ? arena_sprintf(c->a, "%s、%s", names, name) : name;
    }
    json_decref(paths);
    if (*names) *out = names;
    return e;
}

static err_code stats_fn(store_tx *tx, void *ctx)
{
    stats_ctx *c = ctx;
    c->scope_name = "全县";
    err_code e = E_OK;
    if (c->unit_id) {
        store_unit u;
        e = store_unit_get(tx, c->a, c->unit_id, &u);
        if (e != E_OK) return e;
        c->subtree = u.path;
        if (u.parent_id) c->scope_name = u.name;
    } else {
        e = scope_name(c, tx, &c->scope_name);
        if (e != E_OK) return e;
    }
    c->base = json_pack("{ss ss}", "from", c->w.from_text, "to", c->w.to_text);
    if (c->unit_id) json_object_set_new(c->base, "unit_id", json_string(id_text(c->a, c->unit_id)));
    c->out = json_pack("{si si si ss ss ss ss}", "year", c->w.year, "quarter", c->w.quarter,
                       "month", c->w.month, "title", c->w.title, "from", c->w.from_text, "to",
                       c->w.to_text, "scope_name", c->scope_name);
    e = persons(c, tx);
    if (e == E_OK) e = visits(c, tx);
    if (e == E_OK) e = counts(c, tx);
    if (e == E_OK) e = problems(c, tx);
    if (e == E_OK) e = activities(c, tx);
    if (e == E_OK) json_object_set_new(c->out, "summary", jsonx_text(summary(c)));
    json_decref(c->base);
    c->base = NULL;
    return e;
}

err_code liaison_stats(app *ap, arena *a, const principal *p, int64_t unit_id,
                       const liaison_window *w, json_t **out)
{
    stats_ctx c = {ap, a, p, authz_scope(p, "liaison.read", a), NULL, NULL, unit_id, *w, NULL, NULL};
    err_code e = store_read(ap->st, stats_fn, &c);
    if (e != E_OK) json_decref(c.out), c.out = NULL;
    *out = c.out;
    return e;
}

err_code api_liaison_stats(http_req *r)
{
    int64_t unit_id;
    liaison_window w;
    err_code e = http_query_id(r, "unit_id", &unit_id);
    if (e == E_OK) e = liaison_window_query(r, &w);
    if (e != E_OK) return e;
    json_t *out;
    e = liaison_stats(http_app(r), http_arena(r), http_principal(r), unit_id, &w, &out);
    if (e == E_NOT_FOUND) return http_fail(r, E_BAD_QUERY, "unit_id");
    return e == E_OK ? http_reply(r, 200, out) : e;
}

/* ---- GET /liaison/plan: the rows (a target in a period) behind the plan's figures ---- */

typedef struct {
    arena *a;
    const principal *p;
    int64_t owner_unit_id, cadre, limit, offset, total;
    const char *period;
    int status; /* -1 any */
    json_t *items;
} plan_list;

static void plan_row(void *ctx, store_tx *tx, const liaison_target *t, const liaison_period *pd,
                     liaison_status s)
{
    static const char *const status_names[] = {"done", "pending", "overdue"};
    static const char *const status_titles[] = {"已走访", "待走访", "逾期未走访"};
    plan_list *x = ctx;
    if (!pd || (x->owner_unit_id && t->unit_id != x->owner_unit_id) ||
        (x->cadre && t->cadre_user_id != x->cadre) || (x->period && strcmp(x->period, pd->code)) ||
        (x->status >= 0 && (int)s != x->status))
        return;
    if (x->total++ < x->offset || (int64_t)json_array_size(x->items) >= x->limit) return;
    char from[11], due[11];
    cal_format(pd->from, from);
    cal_format(pd->due, due);
    json_array_append_new(
        x->items,
        json_pack("{sI sI sI ss ss sI ss ss ss ss ss ss ss}", "assignment_id",
                  (json_int_t)t->owner_id, "person_id", (json_int_t)t->person_id, "enterprise_id",
                  (json_int_t)t->enterprise_id, "name", liaison_target_name(x->p, t), "unit_name",
                  t->unit_name, "cadre_user_id", (json_int_t)t->cadre_user_id, "cadre_label",
                  liaison_user_label(tx, x->a, t->cadre_user_id), "period", pd->code,
                  "period_title", pd->title, "from", from, "due", due, "status", status_names[s],
                  "status_title", status_titles[s]));
}

typedef struct {
    app *ap;
    plan_list *x;
    const char *scope;
    int64_t unit_id;
    liaison_window w;
} plan_list_ctx;

static err_code plan_list_fn(store_tx *tx, void *ctx)
{
    plan_list_ctx *c = ctx;
    const char *subtree = NULL;
    if (c->unit_id) {
        store_unit u;
        err_code e = store_unit_get(tx, c->x->a, c->unit_id, &u);
        if (e != E_OK) return e;
        subtree = u.path;
    }
    return liaison_plan_walk(tx, c->x->a, c->ap, c->scope, subtree, c->w.from, c->w.to, plan_row,
                             c->x);
}

static const api_column plan_columns[] = {
    {"period_title", "期间"}, {"unit_name", "单位"},       {"cadre_label", "联系干部"},
    {"name", "联系对象"},     {"due", "应走访截止"},      {"status_title", "走访情况"},
};

err_code api_liaison_plan_list(http_req *r)
{
    static const char *const statuses[] = {"done", "pending", "overdue"};
    plan_list x = {.a = http_arena(r), .p = http_principal(r), .status = -1, .items = json_array()};
    plan_list_ctx c = {.ap = http_app(r), .x = &x};
    c.scope = authz_scope(x.p, "liaison.read", x.a);
    err_code e = http_query_id(r, "unit_id", &c.unit_id);
    if (e == E_OK) e = liaison_window_query(r, &c.w);
    /* the figures' filters name their window by its days (?from=&to=, as every list's) */
    const char *from = NULL, *to = NULL;
    if (e == E_OK) e = http_query_date(r, "from", &from);
    if (e == E_OK) e = http_query_date(r, "to", &to);
    if (e == E_OK && from) cal_parse(from, &c.w.from);
    if (e == E_OK && to) cal_parse(to, &c.w.to);
    if (e == E_OK) e = http_query_id(r, "owner_unit_id", &x.owner_unit_id);
    if (e == E_OK) e = http_query_id(r, "cadre_user_id", &x.cadre);
    if (e == E_OK) e = http_query_text(r, "period", 20, &x.period);
    if (e == E_OK) e = http_query_choice(r, "status", statuses, 3, -1, &x.status);
    if (e == E_OK) e = api_list_page(r, 50, &x.limit, &x.offset);
    if (e == E_OK) e = api_read_filtered(r, plan_list_fn, &c);
    if (e != E_OK) {
        json_decref(x.items);
        return e;
    }
    return api_reply_list(r, x.items, x.total, plan_columns,
                          sizeof plan_columns / sizeof plan_columns[0], "走访计划");
}
