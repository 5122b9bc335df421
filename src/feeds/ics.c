/*
 * ics — each user's private calendar feed (iCalendar, RFC 5545), for the phone calendars people
 * use. A user makes a feed token on the profile page (POST /me/feed: the URL is shown once; only
 * a hash is kept), and may revoke it (DELETE) or make a new one, which retires the old. The
 * feed, GET /feeds/duban.ics?token=… without a session (the token in the query, which the access
 * log leaves out), lists
 *   - the open problems of the user's unit (lead or co-unit) by their 完成时限: all-day events
 *     with a reminder at 09:00 the day before, "（估算）" when the year's notice is missing;
 *   - the study sessions (学习活动: 专题研讨, 党课, 宣讲, …, by their kind's title) of the user's
 *     unit from 30 days ago on;
 *   - the liaison visits (走访) the user registered, from 30 days ago on (no person named).
 * Output: CRLF lines folded at 75 octets (never inside a UTF-8 character), TEXT values escaped,
 * a stable UID per item, DTSTAMP in UTC, all-day dates as VALUE=DATE (floating, no VTIMEZONE).
 */
#include "feeds/feeds_int.h"

#include "auth/secret.h"
#include "base/clock.h"
#include "flow/calendar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- writing RFC 5545 ---- */

typedef struct {
    char *s;
    size_t n, cap;
} buf;

static void put(buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        while (b->n + n + 1 > b->cap)
            b->cap = b->cap ? b->cap * 2 : 4096;
        b->s = xrealloc(b->s, b->cap);
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = 0;
}

/* One content line: folded so that no line exceeds 75 octets, ending in CRLF. */
static void line(buf *b, const char *text)
{
    size_t n = strlen(text), col = 0;
    for (size_t i = 0; i < n;) {
        size_t len = 1; /* the whole UTF-8 sequence at i */
        unsigned char c = (unsigned char)text[i];
        if (c >= 0xF0) len = 4;
        else if (c >= 0xE0) len = 3;
        else if (c >= 0xC0) len = 2;
        if (i + len > n) len = n - i;
        if (col + len > 75) {
            put(b, "\r\n ", 3);
            col = 1;
        }
        put(b, text + i, len);
        col += len;
        i += len;
    }
    put(b, "\r\n", 2);
}

/* A TEXT value escaped (backslash, semicolon, comma, newline); controls dropped. */
static char *escaped(const char *s)
{
    buf b = {0};
    put(&b, "", 0);
    for (; *s; s++) {
        if (*s == '\\' || *s == ';' || *s == ',') {
            char e[2] = {'\\', *s};
            put(&b, e, 2);
        } else if (*s == '\n') {
            put(&b, "\\n", 2);
        } else if ((unsigned char)*s >= 0x20 && *s != 0x7f) {
            put(&b, s, 1);
        }
    }
    return b.s;
}

static void prop(buf *b, const char *name, const char *text)
{
    char *v = escaped(text);
    char *l = xasprintf("%s:%s", name, v);
    line(b, l);
    free(l);
    free(v);
}

static void utc_stamp(int64_t t, char out[32])
{
    cal_day d = (cal_day)(t >= 0 ? t / 86400 : (t - 86399) / 86400);
    int64_t s = t - (int64_t)d * 86400;
    int y, m, dd;
    cal_to_ymd(d, &y, &m, &dd);
    snprintf(out, 32, "%04d%02d%02dT%02d%02d%02dZ", y, m, dd, (int)(s / 3600),
             (int)(s / 60 % 60), (int)(s % 60));
}

char *ics_render(const ics_event *ev, size_t n, const char *name, int64_t stamp)
{
    buf b = {0};
    char dtstamp[32], l[128];
    utc_stamp(stamp, dtstamp);
    line(&b, "BEGIN:VCALENDAR");
    line(&b, "VERSION:2.0");
    line(&b, "PRODID:-//duban//督办平台//ZH");
    line(&b, "CALSCALE:GREGORIAN");
    line(&b, "METHOD:PUBLISH");
    prop(&b, "X-WR-CALNAME", name);
    line(&b, "X-WR-TIMEZONE:Asia/Shanghai");
    line(&b, "REFRESH-INTERVAL;VALUE=DURATION:PT1H");
    for (size_t i = 0; i < n; i++) {
        const ics_event *e = &ev[i];
        cal_day d;
        if (!e->date || cal_parse(e->date, &d)) continue;
        line(&b, "BEGIN:VEVENT");
        prop(&b, "UID", e->uid);
        snprintf(l, sizeof l, "DTSTAMP:%s", dtstamp);
        line(&b, l);
        int y, m, dd;
        cal_to_ymd(d, &y, &m, &dd);
        snprintf(l, sizeof l, "DTSTART;VALUE=DATE:%04d%02d%02d", y, m, dd);
        line(&b, l);
        cal_to_ymd(d + 1, &y, &m, &dd);
        snprintf(l, sizeof l, "DTEND;VALUE=DATE:%04d%02d%02d", y, m, dd);
        line(&b, l);
        prop(&b, "SUMMARY", e->summary);
        if (e->description && *e->description) prop(&b, "DESCRIPTION", e->description);
        line(&b, "TRANSP:TRANSPARENT");
        if (e->alarm_days > 0) {
            line(&b, "BEGIN:VALARM");
            line(&b, "ACTION:DISPLAY");
            prop(&b, "DESCRIPTION", e->summary);
            /* 09:00 on the day alarm_days before the (floating) day */
            snprintf(l, sizeof l, "TRIGGER;RELATED=START:-P%dDT15H", e->alarm_days - 1);
            line(&b, l);
            line(&b, "END:VALARM");
        }
        line(&b, "END:VEVENT");
    }
    line(&b, "END:VCALENDAR");
    return b.s;
}

/* ---- the token ---- */

static void hash_hex(const char *token, char out[65])
{
    unsigned char h[32];
    secret_hash(token, h);
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", h[i]);
}

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    const char *hash;
    int found;
    int64_t created_at, last_used_at, user_id;
} token_ctx;

static err_code token_read_fn(store_tx *tx, void *ctx)
{
    token_ctx *c = ctx;
    static const char sql[] = "SELECT created_at, last_used_at FROM feed_token WHERE user_id = ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", c->p->user_id);
    int rc = sq_step(st);
    if (rc == SQ_ROW) {
        c->found = 1;
        c->created_at = sq_int(st, 0);
        c->last_used_at = sq_int(st, 1);
        return E_OK;
    }
    return rc;
}

static json_t *status_json(const token_ctx *c)
{
    json_t *j = json_pack("{sb}", "active", c->found);
    json_object_set_new(j, "created_at", c->found ? api_time(c->created_at) : json_null());
    json_object_set_new(j, "last_used_at", c->found ? api_time(c->last_used_at) : json_null());
    return j;
}

/* GET /api/v1/me/feed */
err_code api_feed_get(http_req *r)
{
    token_ctx c = {.ap = http_app(r), .a = http_arena(r), .p = http_principal(r)};
    err_code e = store_read(c.ap->st, token_read_fn, &c);
    return e != E_OK ? e : http_reply(r, 200, status_json(&c));
}

static err_code token_write_fn(store_tx *tx, void *ctx)
{
    token_ctx *c = ctx;
    static const char del[] = "DELETE FROM feed_token WHERE user_id = ?";
    static const char ins[] =
        "INSERT INTO feed_token(user_id, token_hash, created_at) VALUES (?, ?, ?)";
    sq_stmt *st = sq_prep(tx, del);
    sq_bind(st, "i", c->p->user_id);
    err_code e = sq_exec(tx, st);
    c->found = sq_changes(tx) > 0;
    if (e != E_OK) return e;
    if (c->hash) {
        st = sq_prep(tx, ins);
        sq_bind(st, "isi", c->p->user_id, c->hash, c->created_at);
        e = sq_exec(tx, st);
        if (e != E_OK) return e;
    } else if (!c->found) {
        return E_NOT_FOUND;
    }
    return app_audit(c->ap, tx, c->a, c->p, c->hash ? "feed.create" : "feed.revoke",
                     arena_sprintf(c->a, "user:%lld", (long long)c->p->user_id), NULL);
}

/* POST /api/v1/me/feed: a new token (the old one stops working); its URL is shown once. */
err_code api_feed_create(http_req *r)
{
    char token[SECRET_TEXT], hex[65];
    secret_new(token);
    hash_hex(token, hex);
    token_ctx c = {.ap = http_app(r), .a = http_arena(r), .p = http_principal(r), .hash = hex,
                   .created_at = clock_now()};
    err_code e = store_write(c.ap->st, token_write_fn, &c);
    if (e != E_OK) return e;
    c.found = 1;
    json_t *j = status_json(&c);
    json_object_set_new(j, "path", json_string(arena_sprintf(c.a, "/api/v1/feeds/duban.ics?token=%s",
                                                             token)));
    return http_reply(r, 201, j);
}

/* DELETE /api/v1/me/feed */
err_code api_feed_delete(http_req *r)
{
    token_ctx c = {.ap = http_app(r), .a = http_arena(r), .p = http_principal(r)};
    err_code e = store_write(c.ap->st, token_write_fn, &c);
    return e != E_OK ? e : http_reply(r, 200, json_pack("{sb}", "active", 0));
}

/* ---- the feed ---- */

typedef struct {
    app *ap;
    arena *a;
    const char *hash, *since;
    int64_t now, user_id, unit_id;
    const char *user_name;
    ics_event *ev;
    size_t n, cap;
} feed_ctx;

static ics_event *add_event(feed_ctx *c)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        ics_event *grown = arena_alloc(c->a, cap * sizeof *grown);
        if (c->n) memcpy(grown, c->ev, c->n * sizeof *grown);
        c->ev = grown;
        c->cap = cap;
    }
    memset(&c->ev[c->n], 0, sizeof c->ev[c->n]);
    return &c->ev[c->n++];
}

static err_code feed_fn(store_tx *tx, void *ctx)
{
    feed_ctx *c = ctx;
    static const char who[] =
        "SELECT t.user_id, u.unit_id, u.name FROM feed_token t JOIN \"user\" u ON u.id = t.user_id"
        " WHERE t.token_hash = ? AND u.disabled = 0";
    static const char used[] = "UPDATE feed_token SET last_used_at = ? WHERE user_id = ?";
    static const char problems[] =
        "SELECT p.id, p.title, p.deadline, p.deadline_estimated, un.name, p.sign_by FROM problem p"
        " JOIN unit un ON un.id = p.unit_id WHERE p.closed_at IS NULL AND (p.unit_id = ?1"
        " OR EXISTS (SELECT 1 FROM problem_counit pc WHERE pc.problem_id = p.id"
        " AND pc.unit_id = ?1)) ORDER BY p.deadline, p.id LIMIT 1000";
    static const char sessions[] =
        "SELECT a.id, coalesce(k.title, a.kind), a.topic, a.held_on, a.place FROM activity a"
        " LEFT JOIN activity_kind k ON k.name = a.kind WHERE a.unit_id = ? AND a.held_on >= ?"
        " ORDER BY a.held_on, a.id LIMIT 500";
    static const char visits[] =
        "SELECT v.id, v.visited_on, v.form FROM liaison_visit v WHERE v.visitor_user_id = ?"
        " AND v.visited_on >= ? ORDER BY v.visited_on, v.id LIMIT 500";
    sq_stmt *st = sq_prep(tx, who);
    sq_bind(st, "s", c->hash);
    int rc = sq_step(st);
    if (rc != SQ_ROW) return rc == SQ_DONE ? E_NOT_FOUND : rc;
    c->user_id = sq_int(st, 0);
    c->unit_id = sq_int(st, 1);
    c->user_name = sq_text(c->a, st, 2);
    st = sq_prep(tx, problems);
    sq_bind(st, "i", c->unit_id);
    while ((rc = sq_step(st)) == SQ_ROW) {
        int64_t id = sq_int(st, 0);
        int est = (int)sq_int(st, 3);
        const char *title = sq_text(c->a, st, 1), *unit = sq_text(c->a, st, 4);
        ics_event *e = add_event(c);
        e->uid = arena_sprintf(c->a, "problem-%lld-deadline@duban", (long long)id);
        e->date = sq_text(c->a, st, 2);
        e->summary = arena_sprintf(c->a, "【完成时限%s】%s", est ? "（估算）" : "", title);
        e->description = arena_sprintf(
            c->a, "问题清单第 %lld 号，责任单位：%s。%s", (long long)id, unit,
            est ? "该年度节假日安排尚未导入，时限按周末估算，导入后可能调整。" : "");
        e->alarm_days = 1;
        const char *sign = sq_text(c->a, st, 5);
        if (*sign) {
            ics_event *s = add_event(c);
            s->uid = arena_sprintf(c->a, "problem-%lld-sign@duban", (long long)id);
            s->date = sign;
            s->summary = arena_sprintf(c->a, "【签收时限】%s", title);
            s->description = arena_sprintf(c->a, "问题清单第 %lld 号，责任单位：%s。",
                                           (long long)id, unit);
            s->alarm_days = 1;
        }
    }
    if (rc != SQ_DONE) return rc;
    st = sq_prep(tx, sessions);
    sq_bind(st, "is", c->unit_id, c->since);
    while ((rc = sq_step(st)) == SQ_ROW) {
        ics_event *e = add_event(c);
        e->uid = arena_sprintf(c->a, "study-%lld@duban", (long long)sq_int(st, 0));
        e->summary = arena_sprintf(c->a, "【%s】%s", sq_text(c->a, st, 1), sq_text(c->a, st, 2));
        e->date = sq_text(c->a, st, 3);
        const char *place = sq_text(c->a, st, 4);
        e->description = *place ? arena_sprintf(c->a, "地点：%s", place) : "";
    }
    if (rc != SQ_DONE) return rc;
    st = sq_prep(tx, visits);
    sq_bind(st, "is", c->user_id, c->since);
    while ((rc = sq_step(st)) == SQ_ROW) {
        ics_event *e = add_event(c);
        e->uid = arena_sprintf(c->a, "liaison-visit-%lld@duban", (long long)sq_int(st, 0));
        e->date = sq_text(c->a, st, 1);
        const char *form = sq_text(c->a, st, 2);
        e->summary = strcmp(form, "talk") == 0    ? "【统战联系】谈心谈话"
                     : strcmp(form, "forum") == 0 ? "【统战联系】座谈"
                     : strcmp(form, "phone") == 0 ? "【统战联系】电话联系"
                                                  : "【统战联系】走访";
    }
    if (rc != SQ_DONE) return rc;
    st = sq_prep(tx, used);
    sq_bind(st, "ii", c->now, c->user_id);
    return sq_exec(tx, st);
}

/* GET /api/v1/feeds/duban.ics?token= (no session: the token is the key). */
err_code api_feed_ics(http_req *r)
{
    const char *token = http_query(r, "token");
    if (!token || strlen(token) != 43) return E_NOT_FOUND;
    char hex[65];
    hash_hex(token, hex);
    feed_ctx c = {.ap = http_app(r), .a = http_arena(r), .hash = hex, .now = clock_now()};
    char since[11];
    cal_format(cal_local_day(c.now) - 30, since);
    c.since = since;
    err_code e = store_write(c.ap->st, feed_fn, &c);
    if (e != E_OK) return e;
    char *text = ics_render(c.ev, c.n, arena_sprintf(c.a, "督办：%s的时限", c.user_name), c.now);
    http_add_header(r, "Cache-Control", "private, no-store");
    e = http_reply_raw(r, 200, "text/calendar; charset=utf-8", text, strlen(text));
    free(text);
    return e;
}
