/*
 * public — the public results page (可公开、可查询). The supervising side (problem.publish over
 * the problem's unit) marks a problem public, writing the result text meant for the public;
 * the mark and its removal are audited and shown on the problem's timeline. Anyone, without
 * signing in, reads GET /api/v1/public/results?county_id=&q=&limit=&offset= : per county, by
 * a search word in the title or category, paged. Each item carries exactly the whitelisted
 * fields built here — title, category, responsible unit, deadline, state, closure date and the
 * published result — and nothing else of the problem is ever read into the reply (the SQL
 * selects those columns alone). Replies are cached for a minute (a publish clears the cache) and
 * each client address may ask 60 times a minute (429 beyond).
 */
#include "feeds/feeds_int.h"

#include "base/clock.h"
#include "flow/calendar.h"
#include "problem/problem.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- marking a problem public ---- */

typedef struct {
    const char *result;
} publish_body;

static const jfield publish_spec[] = {
    {"result", JF_STR, 0, offsetof(publish_body, result), 500, 0, 0},
    JF_END,
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned cache_generation; /* bumped by every publish and unpublish */

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    int64_t id;
    int publish; /* 1 publish, 0 unpublish, -1 read */
    const char *result;
    int found;
    int64_t marked_at;
} mark_ctx;

static err_code mark_fn(store_tx *tx, void *ctx)
{
    mark_ctx *c = ctx;
    store_problem pr;
    err_code e = store_problem_get(tx, c->a, c->id, &pr);
    if (e != E_OK) return e;
    const char *perm = c->publish < 0 ? "problem.read" : "problem.publish";
    if (!authz_can(c->p, perm, pr.unit_path)) return c->publish < 0 ? E_NOT_FOUND : E_FORBIDDEN;
    static const char get[] = "SELECT result, marked_at FROM problem_public WHERE problem_id = ?";
    static const char del[] = "DELETE FROM problem_public WHERE problem_id = ?";
    static const char ins[] = "INSERT INTO problem_public(problem_id, result, marked_by, marked_at)"
                              " VALUES (?, ?, ?, ?)";
    sq_stmt *st = sq_prep(tx, get);
    sq_bind(st, "i", c->id);
    int rc = sq_step(st);
    if (rc == SQ_ROW) {
        c->found = 1;
        c->marked_at = sq_int(st, 1);
        if (c->publish < 0) c->result = sq_text(c->a, st, 0);
    } else if (rc != SQ_DONE) {
        return rc;
    }
    if (c->publish < 0) return E_OK;
    if (!c->publish && !c->found) return E_NOT_FOUND;
    st = sq_prep(tx, del);
    sq_bind(st, "i", c->id);
    e = sq_exec(tx, st);
    int64_t now = clock_now();
    if (e == E_OK && c->publish) {
        st = sq_prep(tx, ins);
        sq_bind(st, "isii", c->id, c->result, c->p->user_id, now);
        e = sq_exec(tx, st);
        c->marked_at = now;
    }
    if (e != E_OK) return e;
    json_t *fields = c->publish ? json_pack("{ss}", "public_result", c->result) : json_object();
    char *dump = json_dumps(fields, JSON_COMPACT);
    json_decref(fields);
    store_event ev = {.flow = "problem",
                      .item_id = c->id,
                      .action = c->publish ? "publish" : "unpublish",
                      .from_state = pr.state,
                      .to_state = pr.state,
                      .actor_id = c->p->user_id,
                      .actor = c->p->login,
                      .at = now,
                      .fields = arena_strdup(c->a, dump)};
    free(dump);
    e = store_event_insert(tx, &ev);
    if (e != E_OK) return e;
    return app_audit(c->ap, tx, c->a, c->p, c->publish ? "problem.publish" : "problem.unpublish",
                     arena_sprintf(c->a, "problem:%lld", (long long)c->id),
                     c->publish ? json_pack("{ss}", "result", c->result) : NULL);
}

static err_code mark_reply(http_req *r, const mark_ctx *c, int status)
{
    json_t *j = json_pack("{sb ss}", "public", c->found, "result", c->result ? c->result : "");
    json_object_set_new(j, "marked_at", c->found ? api_time(c->marked_at) : json_null());
    return http_reply(r, status, j);
}

err_code feeds_publish(app *ap, arena *a, const principal *p, int64_t problem_id,
                       const char *result)
{
    mark_ctx c = {.ap = ap, .a = a, .p = p, .id = problem_id, .publish = 1, .result = result};
    err_code e = store_write(ap->st, mark_fn, &c);
    pthread_mutex_lock(&cache_lock);
    cache_generation++;
    pthread_mutex_unlock(&cache_lock);
    return e;
}

/* PUT /api/v1/problems/{id}/public {result} */
err_code api_problem_publish(http_req *r)
{
    mark_ctx c = {.ap = http_app(r), .a = http_arena(r), .p = http_principal(r), .publish = 1};
    err_code e = http_param_id(r, "id", &c.id);
    if (e != E_OK) return e;
    publish_body b = {0};
    uint32_t present;
    e = http_parse(r, publish_spec, &b, &present);
    if (e != E_OK) return e;
    c.result = b.result ? b.result : "";
    e = store_write(c.ap->st, mark_fn, &c);
    if (e != E_OK) return e;
    pthread_mutex_lock(&cache_lock);
    cache_generation++;
    pthread_mutex_unlock(&cache_lock);
    c.found = 1;
    return mark_reply(r, &c, 200);
}

/* DELETE /api/v1/problems/{id}/public */
err_code api_problem_unpublish(http_req *r)
{
    mark_ctx c = {.ap = http_app(r), .a = http_arena(r), .p = http_principal(r), .publish = 0};
    err_code e = http_param_id(r, "id", &c.id);
    if (e == E_OK) e = store_write(c.ap->st, mark_fn, &c);
    if (e != E_OK) return e;
    pthread_mutex_lock(&cache_lock);
    cache_generation++;
    pthread_mutex_unlock(&cache_lock);
    c.found = 0;
    c.result = "";
    return mark_reply(r, &c, 200);
}

/* GET /api/v1/problems/{id}/public */
err_code api_problem_public_get(http_req *r)
{
    mark_ctx c = {.ap = http_app(r), .a = http_arena(r), .p = http_principal(r), .publish = -1};
    err_code e = http_param_id(r, "id", &c.id);
    if (e == E_OK) e = store_read(c.ap->st, mark_fn, &c);
    return e != E_OK ? e : mark_reply(r, &c, 200);
}

/* ---- the rate limit: 60 requests a minute per client address ---- */

enum { RATE_SLOTS = 512, RATE_PER_MINUTE = 60, CACHE_SLOTS = 64, CACHE_SECONDS = 60 };

typedef struct {
    char ip[64];
    int64_t minute;
    int count;
} rate_slot;

static rate_slot rates[RATE_SLOTS];

static int rate_ok(const char *ip, int64_t now)
{
    unsigned h = 5381;
    for (const char *s = ip; *s; s++)
        h = h * 33 + (unsigned char)*s;
    pthread_mutex_lock(&cache_lock);
    rate_slot *r = &rates[h % RATE_SLOTS];
    int64_t minute = now / 60;
    if (strcmp(r->ip, ip) != 0 || r->minute != minute) {
        snprintf(r->ip, sizeof r->ip, "%s", ip);
        r->minute = minute;
        r->count = 0;
    }
    int ok = ++r->count <= RATE_PER_MINUTE;
    pthread_mutex_unlock(&cache_lock);
    return ok;
}

/* ---- the cache: the reply text by its query ---- */

typedef struct {
    char *key, *body;
    int64_t at;
    unsigned generation;
} cache_slot;

static cache_slot cache[CACHE_SLOTS];

static char *cache_get(const char *key, int64_t now)
{
    char *hit = NULL;
    pthread_mutex_lock(&cache_lock);
    for (int i = 0; i < CACHE_SLOTS; i++)
        if (cache[i].key && strcmp(cache[i].key, key) == 0 &&
            cache[i].generation == cache_generation && now - cache[i].at < CACHE_SECONDS &&
            now >= cache[i].at)
            hit = xstrdup(cache[i].body);
    pthread_mutex_unlock(&cache_lock);
    return hit;
}

static void cache_put(const char *key, const char *body, int64_t now)
{
    pthread_mutex_lock(&cache_lock);
    int slot = 0;
    for (int i = 0; i < CACHE_SLOTS; i++) {
        if (!cache[i].key || strcmp(cache[i].key, key) == 0) {
            slot = i;
            break;
        }
        if (cache[i].at < cache[slot].at) slot = i; /* else the oldest */
    }
    free(cache[slot].key);
    free(cache[slot].body);
    cache[slot] = (cache_slot){xstrdup(key), xstrdup(body), now, cache_generation};
    pthread_mutex_unlock(&cache_lock);
}

/* ---- the public list ---- */

typedef struct {
    app *ap;
    arena *a;
    int64_t county_id, limit, offset, total;
    const char *q;
    json_t *items;
} results_ctx;

/* Exactly the whitelisted columns: nothing else of a problem is read. */
#define RESULTS_FROM                                                                               \
    " FROM problem_public pp JOIN problem p ON p.id = pp.problem_id"                               \
    " JOIN unit u ON u.id = p.unit_id JOIN unit c ON c.kind = 'county'"                            \
    " AND {instr u.path, c.path} = 1"                                                              \
    " WHERE (?1 = 0 OR c.id = ?1) AND (?2 IS NULL OR {instr p.title, ?2} > 0"                      \
    " OR {instr p.category, ?2} > 0)"

static err_code results_fn(store_tx *tx, void *ctx)
{
    results_ctx *c = ctx;
    static const char count[] = "SELECT COUNT(*)" RESULTS_FROM;
    static const char page[] =
        "SELECT p.title, p.category, u.name, p.deadline, p.state, p.closed_at, pp.result,"
        " c.id, c.name" RESULTS_FROM " ORDER BY pp.marked_at DESC, p.id DESC LIMIT ?3 OFFSET ?4";
    sq_stmt *st = sq_prep(tx, count);
    sq_bind(st, "is", c->county_id, c->q);
    int rc = sq_step(st);
    if (rc != SQ_ROW) return rc == SQ_DONE ? E_INTERNAL : rc;
    c->total = sq_int(st, 0);
    st = sq_prep(tx, page);
    sq_bind(st, "isii", c->county_id, c->q, c->limit, c->offset);
    const flow_def *f = problem_flow_def(c->ap);
    while ((rc = sq_step(st)) == SQ_ROW) {
        const char *state = sq_text(c->a, st, 4);
        const flow_state *fs = flow_state_named(f, state);
        int64_t closed = sq_int(st, 5);
        char day[11] = "";
        if (closed) cal_format(cal_local_day(closed), day);
        json_t *j = json_pack("{s:o s:o s:o s:o s:o s:o s:o s:o}", "title",
                              jsonx_text(sq_text(c->a, st, 0)), "category",
                              jsonx_text(sq_text(c->a, st, 1)), "unit_name",
                              jsonx_text(sq_text(c->a, st, 2)), "deadline",
                              jsonx_text(sq_text(c->a, st, 3)), "state_title",
                              jsonx_text(fs ? fs->title : state), "closed_on",
                              closed ? json_string(day) : json_null(), "result",
                              jsonx_text(sq_text(c->a, st, 6)), "county",
                              jsonx_text(sq_text(c->a, st, 8)));
        json_array_append_new(c->items, j);
    }
    return rc == SQ_DONE ? E_OK : rc;
}

/* GET /api/v1/public/results */
err_code api_public_results(http_req *r)
{
    int64_t now = clock_now();
    if (!rate_ok(http_ip(r), now)) return E_FEEDS_RATE_LIMITED;
    results_ctx c = {.ap = http_app(r), .a = http_arena(r)};
    err_code e = http_query_id(r, "county_id", &c.county_id);
    if (e == E_OK) e = http_query_text(r, "q", 50, &c.q);
    if (e == E_OK) e = http_query_int(r, "limit", 20, 1, 100, &c.limit);
    if (e == E_OK) e = http_query_int(r, "offset", 0, 0, 1000000, &c.offset);
    if (e != E_OK) return e;
    const char *key = arena_sprintf(c.a, "r|%lld|%lld|%lld|%s", (long long)c.county_id,
                                    (long long)c.limit, (long long)c.offset, c.q ? c.q : "");
    char *hit = cache_get(key, now);
    if (!hit) {
        c.items = json_array();
        e = store_read(c.ap->st, results_fn, &c);
        if (e != E_OK) {
            json_decref(c.items);
            return e;
        }
        json_t *body = json_pack("{so sI}", "items", c.items, "total", (json_int_t)c.total);
        hit = json_dumps(body, JSON_COMPACT);
        json_decref(body);
        cache_put(key, hit, now);
    }
    http_add_header(r, "Cache-Control", "public, max-age=60");
    e = http_reply_raw(r, 200, "application/json", hit, strlen(hit));
    free(hit);
    return e;
}

typedef struct {
    arena *a;
    json_t *items;
} counties_ctx;

static err_code counties_fn(store_tx *tx, void *ctx)
{
    counties_ctx *c = ctx;
    static const char sql[] =
        "SELECT c.id, c.name, COUNT(pp.problem_id) FROM unit c"
        " LEFT JOIN unit u ON {instr u.path, c.path} = 1"
        " LEFT JOIN problem p ON p.unit_id = u.id"
        " LEFT JOIN problem_public pp ON pp.problem_id = p.id"
        " WHERE c.kind = 'county' GROUP BY c.id, c.name ORDER BY c.id";
    sq_stmt *st = sq_prep(tx, sql);
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW)
        json_array_append_new(c->items, json_pack("{sI s:o sI}", "id", (json_int_t)sq_int(st, 0),
                                                  "name", jsonx_text(sq_text(c->a, st, 1)),
                                                  "public", (json_int_t)sq_int(st, 2)));
    return rc == SQ_DONE ? E_OK : rc;
}

/* GET /api/v1/public/counties: the counties, with how many items each has made public. */
err_code api_public_counties(http_req *r)
{
    int64_t now = clock_now();
    if (!rate_ok(http_ip(r), now)) return E_FEEDS_RATE_LIMITED;
    char *hit = cache_get("counties", now);
    if (!hit) {
        counties_ctx c = {http_arena(r), json_array()};
        err_code e = store_read(http_app(r)->st, counties_fn, &c);
        if (e != E_OK) {
            json_decref(c.items);
            return e;
        }
        json_t *body = json_pack("{so}", "items", c.items);
        hit = json_dumps(body, JSON_COMPACT);
        json_decref(body);
        cache_put("counties", hit, now);
    }
    http_add_header(r, "Cache-Control", "public, max-age=60");
    err_code e = http_reply_raw(r, 200, "application/json", hit, strlen(hit));
    free(hit);
    return e;
}
