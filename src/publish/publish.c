/*
 * publish.c — the publishing review's rules: term lists (replaced whole, validated by
 * compiling them), the scanner kept current by the lists' versions, drafts scanned on every save
 * and again at 终审, the 三审 decisions with their refusals (the author reviewing their own
 * draft, one person taking two levels of one round, a level without its permission over the
 * draft's unit, a high-severity hit at 终审 without an override reason), publishing with the URL
 * and withdrawal with a reason. Each change is one transaction with its audit record.
 */
#include "publish/publish_int.h"
#include "publish/scan.h"

#include "base/clock.h"
#include "base/log.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the scanner, current with the lists ---- */

static pthread_mutex_t cur_mu = PTHREAD_MUTEX_INITIALIZER;
static scan_holder *cur_holder;
static int64_t cur_fp[2] = {-1, -1};

typedef struct {
    const char *name, *kind, *category, *terms;
    int severity;
} list_row;

static void read_list(arena *a, sq_stmt *st, void *row)
{
    list_row *l = row;
    l->name = sq_text(a, st, 0);
    l->kind = sq_text(a, st, 1);
    l->category = sq_text(a, st, 2);
    l->severity = (int)sq_int(st, 3);
    l->terms = sq_text(a, st, 4);
}

/* Splits the lines of rows into terms and whitelist phrases (arena strings). */
static void split_lists(arena *a, const list_row *rows, size_t n, scan_term **terms, size_t *nt,
                        const char ***white, size_t *nw)
{
    size_t cap = 1;
    for (size_t i = 0; i < n; i++)
        for (const char *s = rows[i].terms; *s; s++) cap += *s == '\n';
    cap += n;
    *terms = arena_alloc(a, cap * sizeof **terms);
    *white = arena_alloc(a, cap * sizeof **white);
    *nt = *nw = 0;
    for (size_t i = 0; i < n; i++) {
        const char *s = rows[i].terms;
        while (*s) {
            const char *e = strchr(s, '\n');
            size_t len = e ? (size_t)(e - s) : strlen(s);
            if (len) {
                char *t = arena_strndup(a, s, len);
                if (strcmp(rows[i].kind, "white") == 0) (*white)[(*nw)++] = t;
                else (*terms)[(*nt)++] = (scan_term){t, rows[i].name, rows[i].category,
                                                    rows[i].severity};
            }
            s += len + (e ? 1 : 0);
        }
    }
}

static err_code current_db(store_tx *tx, arena *a, scan_db **out)
{
    static const char fp_sql[] = "SELECT count(*), CAST(COALESCE(sum(version), 0) AS BIGINT)"
                                 " FROM publish_list";
    sq_stmt *st = sq_prep(tx, fp_sql);
    int64_t fp[2] = {0, 0};
    int rc = sq_step(st);
    if (rc == SQ_ROW) { fp[0] = sq_int(st, 0); fp[1] = sq_int(st, 1); }
    sq_reset(st);
    if (rc != SQ_ROW) return rc == SQ_DONE ? E_INTERNAL : (err_code)rc;
    pthread_mutex_lock(&cur_mu);
    if (!cur_holder) cur_holder = scan_holder_new();
    if (cur_fp[0] == fp[0] && cur_fp[1] == fp[1]) {
        *out = scan_holder_get(cur_holder);
        pthread_mutex_unlock(&cur_mu);
        return *out ? E_OK : E_INTERNAL;
    }
    pthread_mutex_unlock(&cur_mu);
    /* Compile outside the lock: scans go on with the old database meanwhile. */
    static const char sql[] = "SELECT name, kind, category, severity, terms FROM publish_list"
                              " ORDER BY id";
    list_row *rows;
    size_t n;
    err_code e = sq_collect(tx, a, sq_prep(tx, sql), sizeof *rows, read_list, (void **)&rows, &n);
    if (e != E_OK) return e;
    scan_term *terms;
    const char **white;
    size_t nt, nw;
    split_lists(a, rows, n, &terms, &nt, &white, &nw);
    char err[300];
    scan_db *db = scan_db_compile(terms, nt, white, nw, SCAN_OPT_CN_FINANCIAL, err, sizeof err);
    if (!db) {
        log_error("publish: the stored term lists do not compile: %s", err);
        return E_INTERNAL;
    }
    pthread_mutex_lock(&cur_mu);
    scan_db_ref(db);
    scan_holder_set(cur_holder, db); /* the holder takes one reference, the caller the other */
    cur_fp[0] = fp[0];
    cur_fp[1] = fp[1];
    pthread_mutex_unlock(&cur_mu);
    *out = db;
    return E_OK;
}

static const char *const how_codes[] = {"fullwidth", "t2s", "case", "digit",
                                        "separator", "repeat", "zerowidth"};

static int64_t cp_offset(const char *s, size_t byte)
{
    int64_t n = 0;
    for (size_t i = 0; i < byte; i++) n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

err_code publish_scan(app *ap, store_tx *tx, arena *a, const char *text, json_t **hits, int *high)
{
    (void)ap;
    scan_db *db;
    err_code e = current_db(tx, a, &db);
    if (e != E_OK) return e;
    scan_result r;
    int rc = scan_text(db, text, strlen(text), &r);
    scan_db_unref(db);
    if (rc) return E_INTERNAL;
    *hits = json_array();
    *high = 0;
    for (size_t i = 0; i < r.n; i++) {
        const scan_hit *h = &r.hits[i];
        json_t *how = json_array();
        for (int k = 0; k < 7; k++)
            if (h->how & (1u << k)) json_array_append_new(how, json_string(how_codes[k]));
        char how_text[200];
        scan_how_text(h->how, how_text, sizeof how_text);
        json_t *o = json_pack("{ss ss ss ss si sI sI sI sI so ss}", "kind", scan_kind_name(h->kind),
                              "term", h->term, "list", h->list, "category", h->category,
                              "severity", h->severity, "start", (json_int_t)h->start, "end",
                              (json_int_t)h->end, "from", (json_int_t)cp_offset(text, h->start),
                              "to", (json_int_t)cp_offset(text, h->end), "how", how, "how_text",
                              how_text);
        json_object_set_new(o, "text", jsonx_text(arena_strndup(a, text + h->start, h->end - h->start)));
        json_array_append_new(*hits, o);
        *high += h->severity >= 3;
    }
    scan_result_free(&r);
    return E_OK;
}

/* ---- term lists ---- */

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    const char **bad;
    const char *name, *kind, *category, *terms;
    int severity, count;
    int64_t version; /* the list's version being replaced; 0 for a new list */
} list_op;

static err_code fail(const char **bad, arena *a, err_code e, const char *field)
{
    *bad = field ? arena_strdup(a, field) : NULL;
    return e;
}

static err_code list_fn(store_tx *tx, void *ctx)
{
    list_op *op = ctx;
    /* Replacing a list needs the version its editor saw: two editors of one list must not
     * silently overwrite each other's terms. */
    static const char cur_sql[] = "SELECT version FROM publish_list WHERE name = ?";
    sq_stmt *cur = sq_prep(tx, cur_sql);
    sq_bind(cur, "s", op->name);
    int rc = sq_step(cur);
    int64_t current = rc == SQ_ROW ? sq_int(cur, 0) : 0;
    sq_reset(cur);
    if (rc != SQ_ROW && rc != SQ_DONE) return (err_code)rc;
    if (current && !op->version) return E_VERSION_REQUIRED;
    if (op->version != current) return E_CONFLICT;
    static const char sql[] =
        "INSERT INTO publish_list(name, kind, category, severity, terms, updated_at, updated_by)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(name) DO UPDATE SET kind = excluded.kind,"
        " category = excluded.category, severity = excluded.severity, terms = excluded.terms,"
        " updated_at = excluded.updated_at, updated_by = excluded.updated_by,"
        " version = publish_list.version + 1";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "sssisi", op->name, op->kind, op->category, (int64_t)op->severity, op->terms,
            clock_now());
    sq_bind_ref(st, 7, op->p->user_id);
    err_code e = sq_exec(tx, st);
    if (e != E_OK) return e;
    return app_audit(op->ap, tx, op->a, op->p, "publish.list.put",
                     arena_sprintf(op->a, "publish_list:%s", op->name),
                     json_pack("{ss ss si si}", "kind", op->kind, "category", op->category,
                               "severity", op->severity, "terms", op->count));
}

err_code publish_list_put(app *ap, arena *a, const principal *p, const char *name,
                          const char *kind, const char *category, int severity, json_t *terms,
                          int64_t version, const char **bad)
{
    *bad = NULL;
    if (!name || !*name || strlen(name) > 120) return fail(bad, a, E_FIELD_INVALID, "name");
    if (!kind || !*kind) kind = "terms";
    if (strcmp(kind, "terms") && strcmp(kind, "white")) return fail(bad, a, E_FIELD_INVALID, "kind");
    if (severity < 1 || severity > 3) return fail(bad, a, E_FIELD_INVALID, "severity");
    if (!json_is_array(terms)) return fail(bad, a, E_FIELD_REQUIRED, "terms");
    size_t n = json_array_size(terms);
    if (n > 20000) return fail(bad, a, E_FIELD_TOO_LONG, "terms");
    /* One a line, trimmed of blanks and newlines; validated by compiling the list alone. */
    size_t total = 1;
    for (size_t i = 0; i < n; i++) {
        const char *t = json_string_value(json_array_get(terms, i));
        if (!t || strlen(t) > 300) return fail(bad, a, E_FIELD_INVALID, "terms");
        total += strlen(t) + 1;
    }
    char *joined = arena_alloc(a, total);
    scan_term *tv = arena_alloc(a, (n ? n : 1) * sizeof *tv);
    const char **wv = arena_alloc(a, (n ? n : 1) * sizeof *wv);
    size_t at = 0, count = 0;
    joined[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const char *t = json_string_value(json_array_get(terms, i));
        while (*t == ' ' || *t == '\t') t++;
        size_t len = strcspn(t, "\r\n");
        while (len && (t[len - 1] == ' ' || t[len - 1] == '\t')) len--;
        if (!len) continue;
        char *one = arena_strndup(a, t, len);
        tv[count] = (scan_term){one, name, category ? category : "", severity};
        wv[count++] = one;
        if (at) joined[at++] = '\n';
        memcpy(joined + at, one, len);
        at += len;
        joined[at] = '\0';
    }
    int white = strcmp(kind, "white") == 0;
    char err[300];
    scan_db *db = scan_db_compile(white ? NULL : tv, white ? 0 : count, white ? wv : NULL,
                                  white ? count : 0, SCAN_OPT_CN_FINANCIAL, err, sizeof err);
    if (!db) return fail(bad, a, E_PUBLISH_TERM, "terms");
    scan_db_unref(db);
    list_op op = {ap, a, p, bad, name, kind, category ? category : "", joined, severity,
                  (int)count, version};
    return store_write(ap->st, list_fn, &op);
}

/* ---- drafts ---- */

typedef struct {
    int64_t id, unit_id, author, round, high, version;
    const char *path, *state, *body, *title;
} draft_row;

static void read_draft(arena *a, sq_stmt *st, void *row)
{
    draft_row *d = row;
    d->id = sq_int(st, 0);
    d->unit_id = sq_int(st, 1);
    d->author = sq_int(st, 2);
    d->round = sq_int(st, 3);
    d->high = sq_int(st, 4);
    d->version = sq_int(st, 5);
    d->path = sq_text(a, st, 6);
    d->state = sq_text(a, st, 7);
    d->body = sq_text(a, st, 8);
    d->title = sq_text(a, st, 9);
}

static err_code load_draft(store_tx *tx, arena *a, int64_t id, draft_row *d)
{
    static const char sql[] = "SELECT d.id, d.unit_id, d.author_user_id, d.round, d.high_hits,"
                              " d.version, u.path, d.state, d.body, d.title FROM publish_draft d"
                              " JOIN unit u ON u.id = d.unit_id WHERE d.id = ?1";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind_int(st, 1, id);
    return sq_one(tx, a, st, read_draft, d);
}

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    const char **bad;
    int64_t id;
    const publish_draft_body *b;
    const publish_review_body *rv;
    const char *text; /* url or reason */
    int64_t out_id;
} draft_op;

static err_code audit_draft(draft_op *op, store_tx *tx, const char *action, int64_t id,
                            json_t *detail)
{
    return app_audit(op->ap, tx, op->a, op->p, action,
                     arena_sprintf(op->a, "publish_draft:%lld", (long long)id), detail);
}

static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static err_code check_body(draft_op *op, const publish_draft_body *b)
{
    if (!b->title || !*b->title) return fail(op->bad, op->a, E_FIELD_REQUIRED, "title");
    if (chars(b->title) > 200) return fail(op->bad, op->a, E_FIELD_TOO_LONG, "title");
    if (!b->body || !*b->body) return fail(op->bad, op->a, E_FIELD_REQUIRED, "body");
    if (chars(b->body) > 50000) return fail(op->bad, op->a, E_FIELD_TOO_LONG, "body");
    if (!b->outlet || !*b->outlet) return fail(op->bad, op->a, E_FIELD_REQUIRED, "outlet");
    if (chars(b->outlet) > 100) return fail(op->bad, op->a, E_FIELD_TOO_LONG, "outlet");
    return E_OK;
}

static err_code save_fn(store_tx *tx, void *ctx)
{
    draft_op *op = ctx;
    const publish_draft_body *b = op->b;
    err_code e = check_body(op, b);
    if (e != E_OK) return e;
    json_t *hits;
    int high;
    /* The scanner reads the whole text: title and body, the title's offsets shown apart. */
    e = publish_scan(op->ap, tx, op->a, arena_sprintf(op->a, "%s\n%s", b->title, b->body), &hits,
                     &high);
    if (e != E_OK) return e;
    char *dump = json_dumps(hits, JSON_COMPACT);
    json_decref(hits);
    const char *hits_text = arena_strdup(op->a, dump ? dump : "[]");
    free(dump);
    int64_t now = clock_now();
    if (!op->id) {
        store_unit u;
        if (!b->unit_id) return fail(op->bad, op->a, E_FIELD_REQUIRED, "unit_id");
        e = store_unit_get(tx, op->a, b->unit_id, &u);
        if (e == E_NOT_FOUND) return fail(op->bad, op->a, E_FIELD_INVALID, "unit_id");
        if (e != E_OK) return e;
        if (!authz_can(op->p, "publish.write", u.path)) return E_FORBIDDEN;
        static const char sql[] =
            "INSERT INTO publish_draft(unit_id, author_user_id, title, body, outlet, hits,"
            " high_hits, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)"
            " {returning_id}";
        sq_stmt *st = sq_prep(tx, sql);
        sq_bind(st, "iissssii", b->unit_id, op->p->user_id, b->title, b->body, b->outlet,
                hits_text, (int64_t)high, now);
        e = sq_insert(tx, st, &op->out_id);
        if (e != E_OK) return e;
        return audit_draft(op, tx, "publish.draft.create", op->out_id,
                           json_pack("{ss ss si}", "title", b->title, "outlet", b->outlet, "high_hits",
                                     high));
    }
    draft_row d;
    e = load_draft(tx, op->a, op->id, &d);
    if (e != E_OK) return e;
    if (!authz_can(op->p, "publish.write", d.path)) return E_FORBIDDEN;
    if (strcmp(d.state, "draft")) return E_PUBLISH_STATE;
    if (!b->version) return E_VERSION_REQUIRED;
    static const char sql[] = "UPDATE publish_draft SET title = ?1, body = ?2, outlet = ?3,"
                              " hits = ?4, high_hits = ?5, updated_at = ?6, version = version + 1"
                              " WHERE id = ?7 AND version = ?8";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "ssssiiii", b->title, b->body, b->outlet, hits_text, (int64_t)high, now, op->id,
            b->version);
    e = sq_exec_some(tx, st, E_CONFLICT);
    if (e != E_OK) return e;
    op->out_id = op->id;
    return audit_draft(op, tx, "publish.draft.update", op->id,
                       json_pack("{ss si}", "title", b->title, "high_hits", high));
}

err_code publish_draft_save(app *ap, arena *a, const principal *p, int64_t id,
                            const publish_draft_body *b, int64_t *out_id, const char **bad)
{
    *bad = NULL;
    draft_op op = {.ap = ap, .a = a, .p = p, .bad = bad, .id = id, .b = b};
    err_code e = store_write(ap->st, save_fn, &op);
    *out_id = op.out_id;
    return e;
}

static err_code submit_fn(store_tx *tx, void *ctx)
{
    draft_op *op = ctx;
    draft_row d;
    err_code e = load_draft(tx, op->a, op->id, &d);
    if (e != E_OK) return e;
    if (!authz_can(op->p, "publish.write", d.path)) return E_FORBIDDEN;
    if (strcmp(d.state, "draft")) return E_PUBLISH_STATE;
    static const char sql[] = "UPDATE publish_draft SET state = 'first', round = round + 1,"
                              " override_reason = '', submitted_at = ?1, updated_at = ?1,"
                              " version = version + 1 WHERE id = ?2";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "ii", clock_now(), op->id);
    e = sq_exec_some(tx, st, E_NOT_FOUND);
    if (e != E_OK) return e;
    return audit_draft(op, tx, "publish.draft.submit", op->id,
                       json_pack("{sI}", "round", (json_int_t)(d.round + 1)));
}

err_code publish_draft_submit(app *ap, arena *a, const principal *p, int64_t id)
{
    const char *bad = NULL;
    draft_op op = {.ap = ap, .a = a, .p = p, .bad = &bad, .id = id};
    return store_write(ap->st, submit_fn, &op);
}

static const char *const level_states[] = {"", "first", "second", "final"};

static err_code review_fn(store_tx *tx, void *ctx)
{
    draft_op *op = ctx;
    const publish_review_body *b = op->rv;
    draft_row d;
    err_code e = load_draft(tx, op->a, op->id, &d);
    if (e != E_OK) return e;
    int level = 0;
    for (int l = 1; l <= 3; l++)
        if (strcmp(d.state, level_states[l]) == 0) level = l;
    if (!level) return E_PUBLISH_STATE;
    if (!authz_can(op->p, arena_sprintf(op->a, "publish.review%d", level), d.path))
        return E_FORBIDDEN;
    if (d.author == op->p->user_id) return E_PUBLISH_OWN_DRAFT;
    static const char other_sql[] = "SELECT count(*) FROM publish_review WHERE draft_id = ?1"
                                    " AND round = ?2 AND reviewer_user_id = ?3 AND level <> ?4";
    sq_stmt *st = sq_prep(tx, other_sql);
    sq_bind(st, "iiii", op->id, d.round, op->p->user_id, (int64_t)level);
    int64_t n = 0;
    e = sq_count(tx, st, &n);
    if (e != E_OK) return e;
    if (n) return E_PUBLISH_TWO_LEVELS;
    if (!b->decision || !*b->decision) return fail(op->bad, op->a, E_FIELD_REQUIRED, "decision");
    int approve = strcmp(b->decision, "approve") == 0;
    if (!approve && strcmp(b->decision, "reject"))
        return fail(op->bad, op->a, E_FIELD_INVALID, "decision");
    const char *comment = b->comment ? b->comment : "";
    const char *override = b->override_reason ? b->override_reason : "";
    if (!approve && !*comment) return fail(op->bad, op->a, E_FIELD_REQUIRED, "comment");
    int64_t high = d.high;
    if (approve && level == 3) {
        /* the lists may have changed since the last save: the 终审 reads a fresh scan */
        json_t *hits;
        int h;
        e = publish_scan(op->ap, tx, op->a, arena_sprintf(op->a, "%s\n%s", d.title, d.body), &hits,
                         &h);
        if (e != E_OK) return e;
        char *dump = json_dumps(hits, JSON_COMPACT);
        json_decref(hits);
        static const char usql[] = "UPDATE publish_draft SET hits = ?1, high_hits = ?2 WHERE id = ?3";
        sq_stmt *us = sq_prep(tx, usql);
        sq_bind(us, "sii", dump ? dump : "[]", (int64_t)h, op->id);
        e = sq_exec(tx, us);
        free(dump);
        if (e != E_OK) return e;
        high = h;
        if (high > 0 && !*override)
            return fail(op->bad, op->a, E_PUBLISH_BLOCKED, "override_reason");
    }
    if (!(level == 3 && approve && high > 0)) override = ""; /* a reason only where it overrides */
    static const char ins[] = "INSERT INTO publish_review(draft_id, round, level, reviewer_user_id,"
                              " decision, comment, override_reason, created_at)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) {returning_id}";
    st = sq_prep(tx, ins);
    sq_bind(st, "iiiisssi", op->id, d.round, (int64_t)level, op->p->user_id, b->decision, comment,
            override, clock_now());
    int64_t rid;
    e = sq_insert(tx, st, &rid);
    if (e != E_OK) return e;
    const char *next = !approve ? "draft" : level == 3 ? "approved" : level_states[level + 1];
    static const char up[] = "UPDATE publish_draft SET state = ?1, override_reason = CASE WHEN"
                             " ?2 <> '' THEN ?2 ELSE override_reason END, updated_at = ?3,"
                             " version = version + 1 WHERE id = ?4";
    st = sq_prep(tx, up);
    sq_bind(st, "ssii", next, override, clock_now(), op->id);
    e = sq_exec_some(tx, st, E_NOT_FOUND);
    if (e != E_OK) return e;
    return audit_draft(op, tx, "publish.draft.review", op->id,
                       json_pack("{si ss ss ss ss}", "level", level, "decision", b->decision,
                                 "comment", comment, "override_reason", override, "state", next));
}

err_code publish_draft_review(app *ap, arena *a, const principal *p, int64_t id,
                              const publish_review_body *b, const char **bad)
{
    *bad = NULL;
    draft_op op = {.ap = ap, .a = a, .p = p, .bad = bad, .id = id, .rv = b};
    return store_write(ap->st, review_fn, &op);
}

static err_code publish_fn(store_tx *tx, void *ctx)
{
    draft_op *op = ctx;
    draft_row d;
    err_code e = load_draft(tx, op->a, op->id, &d);
    if (e != E_OK) return e;
    if (!authz_can(op->p, "publish.write", d.path)) return E_FORBIDDEN;
    if (strcmp(d.state, "approved")) return E_PUBLISH_STATE;
    const char *url = op->text;
    if (!url || !*url) return fail(op->bad, op->a, E_FIELD_REQUIRED, "url");
    if ((strncmp(url, "https://", 8) && strncmp(url, "http://", 7)) || strlen(url) > 500 ||
        strpbrk(url, " \t\r\n"))
        return fail(op->bad, op->a, E_FIELD_INVALID, "url");
    static const char sql[] = "UPDATE publish_draft SET state = 'published', url = ?1,"
                              " published_at = ?2, updated_at = ?2, version = version + 1"
                              " WHERE id = ?3";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "sii", url, clock_now(), op->id);
    e = sq_exec_some(tx, st, E_NOT_FOUND);
    if (e != E_OK) return e;
    return audit_draft(op, tx, "publish.draft.publish", op->id, json_pack("{ss}", "url", url));
}

err_code publish_draft_publish(app *ap, arena *a, const principal *p, int64_t id, const char *url,
                               const char **bad)
{
    *bad = NULL;
    draft_op op = {.ap = ap, .a = a, .p = p, .bad = bad, .id = id, .text = url};
    return store_write(ap->st, publish_fn, &op);
}

static err_code withdraw_fn(store_tx *tx, void *ctx)
{
    draft_op *op = ctx;
    draft_row d;
    err_code e = load_draft(tx, op->a, op->id, &d);
    if (e != E_OK) return e;
    if (!authz_can(op->p, "publish.write", d.path) && !authz_can(op->p, "publish.review3", d.path))
        return E_FORBIDDEN;
    if (strcmp(d.state, "published")) return E_PUBLISH_STATE;
    if (!op->text || !*op->text) return fail(op->bad, op->a, E_FIELD_REQUIRED, "reason");
    static const char sql[] = "UPDATE publish_draft SET state = 'withdrawn', withdrawn_reason = ?1,"
                              " withdrawn_at = ?2, updated_at = ?2, version = version + 1"
                              " WHERE id = ?3";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "sii", op->text, clock_now(), op->id);
    e = sq_exec_some(tx, st, E_NOT_FOUND);
    if (e != E_OK) return e;
    return audit_draft(op, tx, "publish.draft.withdraw", op->id,
                       json_pack("{ss}", "reason", op->text));
}

err_code publish_draft_withdraw(app *ap, arena *a, const principal *p, int64_t id,
                                const char *reason, const char **bad)
{
    *bad = NULL;
    draft_op op = {.ap = ap, .a = a, .p = p, .bad = bad, .id = id, .text = reason};
    return store_write(ap->st, withdraw_fn, &op);
}

/* ---- a draft as the API shows it ---- */

static const char *state_title(const char *s)
{
    static const char *const codes[] = {"draft", "first", "second", "final",
                                        "approved", "published", "withdrawn"};
    static const char *const titles[] = {"草稿", "待初审", "待复审", "待终审",
                                         "审核通过待发布", "已发布", "已撤稿"};
    for (int i = 0; i < 7; i++)
        if (strcmp(codes[i], s) == 0) return titles[i];
    return s;
}

err_code publish_draft_json(store_tx *tx, arena *a, const principal *p, int64_t id, json_t **out)
{
    static const char sql[] =
        "SELECT d.id, d.unit_id, u.name, u.path, d.author_user_id, au.name, COALESCE(aun.name, ''),"
        " d.title, d.body, d.outlet, d.state, d.round, d.hits, d.high_hits, d.override_reason,"
        " d.url, COALESCE(d.published_at, 0), d.withdrawn_reason, COALESCE(d.withdrawn_at, 0),"
        " d.created_at, d.updated_at, d.version FROM publish_draft d JOIN unit u ON u.id = d.unit_id"
        " JOIN \"user\" au ON au.id = d.author_user_id LEFT JOIN unit aun ON aun.id = au.unit_id"
        " WHERE d.id = ?1";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind_int(st, 1, id);
    int rc = sq_step(st);
    if (rc != SQ_ROW) {
        sq_reset(st);
        return rc == SQ_DONE ? E_NOT_FOUND : (err_code)rc;
    }
    const char *path = sq_text(a, st, 3);
    if (p && !authz_can(p, "publish.read", path)) {
        sq_reset(st);
        return E_FORBIDDEN;
    }
    const char *state = sq_text(a, st, 10);
    json_t *hits = json_loads(sq_text_peek(st, 12), 0, NULL);
    json_t *o = json_pack(
        "{sI sI ss sI ss ss ss ss ss ss sI so sI ss ss so ss so so so sI}", "id",
        (json_int_t)sq_int(st, 0), "unit_id", (json_int_t)sq_int(st, 1), "unit_name",
        sq_text(a, st, 2), "author_user_id", (json_int_t)sq_int(st, 4), "author_label",
        arena_sprintf(a, "%s（%s）", sq_text_peek(st, 5), sq_text_peek(st, 6)), "title",
        sq_text(a, st, 7), "body", sq_text(a, st, 8), "outlet", sq_text(a, st, 9), "state", state,
        "state_title", state_title(state), "round", (json_int_t)sq_int(st, 11), "hits",
        hits ? hits : json_array(), "high_hits", (json_int_t)sq_int(st, 13), "override_reason",
        sq_text(a, st, 14), "url", sq_text(a, st, 15), "published_at", api_time(sq_int(st, 16)),
        "withdrawn_reason", sq_text(a, st, 17), "withdrawn_at", api_time(sq_int(st, 18)),
        "created_at", api_time(sq_int(st, 19)), "updated_at", api_time(sq_int(st, 20)), "version",
        (json_int_t)sq_int(st, 21));
    sq_reset(st);
    /* the title's length in code points, so the UI can show the body's hits in place */
    const char *title = json_string_value(json_object_get(o, "title"));
    json_object_set_new(o, "title_chars", json_integer((json_int_t)chars(title)));
    static const char tsql[] =
        "SELECT r.round, r.level, r.decision, r.comment, r.override_reason, r.created_at, ru.name,"
        " COALESCE(run.name, ''), r.reviewer_user_id FROM publish_review r"
        " JOIN \"user\" ru ON ru.id = r.reviewer_user_id LEFT JOIN unit run ON run.id = ru.unit_id"
        " WHERE r.draft_id = ?1 ORDER BY r.id";
    static const char *const level_titles[] = {"", "初审", "复审", "终审"};
    st = sq_prep(tx, tsql);
    sq_bind_int(st, 1, id);
    json_t *trail = json_array();
    while ((rc = sq_step(st)) == SQ_ROW) {
        int level = (int)sq_int(st, 1);
        const char *dec = sq_text(a, st, 2);
        json_array_append_new(
            trail, json_pack("{sI si ss ss ss ss ss so ss sI}", "round", (json_int_t)sq_int(st, 0),
                             "level", level, "level_title", level_titles[level >= 1 && level <= 3 ? level : 0],
                             "decision", dec, "decision_title",
                             strcmp(dec, "approve") == 0 ? "通过" : "退回", "comment",
                             sq_text(a, st, 3), "override_reason", sq_text(a, st, 4), "at",
                             api_time(sq_int(st, 5)), "reviewer_label",
                             arena_sprintf(a, "%s（%s）", sq_text_peek(st, 6), sq_text_peek(st, 7)),
                             "reviewer_user_id", (json_int_t)sq_int(st, 8)));
    }
    sq_reset(st);
    if (rc != SQ_DONE) {
        json_decref(trail);
        json_decref(o);
        return (err_code)rc;
    }
    json_object_set_new(o, "trail", trail);
    *out = o;
    return E_OK;
}
