/*
 * sq — the portable half of the statement layer (see sq.h): the helpers every operation file
 * repeats, written on the driver's primitives (prepare, bind, step, columns), and the dialect
 * rewrite that turns the store's SQL into the text of one engine. Nothing here names an engine;
 * a new driver gets all of it for free.
 */
#include "store/sq.h"

#include "base/log.h"
#include "store/driver.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- dialect rewrite ---- */

/*
 * Each fragment's text per dialect; '@' stands for the fragment's argument. The PostgreSQL
 * texts are what the PostgreSQL driver will prepare; docs/design.md "Portable SQL" says why
 * each fragment exists.
 */
static const struct {
    const char *name;
    const char *text[SQ__DIALECTS];
} fragments[] = {
    {"in_scope",
     {"(?1 IS NULL OR EXISTS (SELECT 1 FROM json_each(?1) j"
      " WHERE substr(@, 1, length(j.value)) = j.value))",
      "(?1 IS NULL OR EXISTS (SELECT 1 FROM json_array_elements_text(CAST(?1 AS json)) j"
      " WHERE substr(@, 1, length(j.value)) = j.value))"}},
    /* The same in both: a fragment only so that it reads as one word, like in_scope. */
    {"in_subtree",
     {"(?2 IS NULL OR substr(@, 1, length(?2)) = ?2)",
      "(?2 IS NULL OR substr(@, 1, length(?2)) = ?2)"}},
    {"json_each", {"json_each(@)", "json_array_elements_text(CAST(@ AS json))"}},
    {"instr", {"instr(@)", "strpos(@)"}},
    {"next_day", {"date(@, '+1 day')", "to_char(CAST(@ AS date) + 1, 'YYYY-MM-DD')"}},
    /* SQLite's unary plus keeps a column from driving the plan; PostgreSQL has no such hint
     * (and no unary plus on text). */
    {"unindexed", {"+@", "@"}},
    /* PostgreSQL has no rowid: its schema gives such tables an identity column `seq`. */
    {"rowid", {"rowid", "seq"}},
    /* SQLite reads the id from its connection (its last insert rowid), cheaper than
     * RETURNING's result table; PostgreSQL returns it as the statement's one row. */
    {"returning_id", {"", " RETURNING id"}},
};

/* A growing string. */
typedef struct {
    char *s;
    size_t len, cap;
} buf;

static void put(buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->s = xrealloc(b->s, b->cap);
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}

/* Length of the quoted literal or identifier that starts at s ('…' or "…", doubled quotes
 * inside), so rewrites never touch text inside one. */
static size_t quoted_len(const char *s)
{
    const char *p = s + 1;
    for (;;) {
        if (!*p) return (size_t)(p - s);
        if (*p == *s) {
            if (p[1] != *s) return (size_t)(p + 1 - s);
            p++;
        }
        p++;
    }
}

static void bad_sql(const char *why, const char *sql)
{
    log_error("sq: %s: %s", why, sql);
    abort(); /* our own SQL is wrong: a bug, not an input error */
}

/* Appends the fragment written at *p ("{name arg}") in dialect d; moves *p past it. */
static void put_fragment(buf *b, sq_dialect d, const char **p, const char *sql)
{
    const char *name = *p + 1, *end = strchr(name, '}');
    if (!end) bad_sql("unterminated fragment", sql);
    size_t nlen = strcspn(name, " }");
    const char *arg = name + nlen + (name[nlen] == ' ');
    if (memchr(arg, '{', (size_t)(end - arg))) bad_sql("nested fragment", sql);
    for (size_t i = 0; i < sizeof fragments / sizeof fragments[0]; i++) {
        if (strlen(fragments[i].name) != nlen || memcmp(fragments[i].name, name, nlen)) continue;
        for (const char *t = fragments[i].text[d]; *t; t++)
            if (*t == '@')
                put(b, arg, (size_t)(end - arg));
            else
                put(b, t, 1);
        *p = end + 1;
        return;
    }
    bad_sql("unknown fragment", sql);
}

/* sql with its fragments replaced. */
static void put_fragments(buf *b, sq_dialect d, const char *sql)
{
    for (const char *p = sql; *p;) {
        size_t n = *p == '\'' || *p == '"' ? quoted_len(p) : *p == '{' ? 0 : 1;
        if (n) {
            put(b, p, n);
            p += n;
        } else {
            put_fragment(b, d, &p, sql);
        }
    }
}

/*
 * sql with its parameters written $N: "?N" keeps its number, a bare "?" takes one more than
 * the highest so far (SQLite's own rule, so both engines number alike).
 */
static void put_dollar_params(buf *b, const char *sql)
{
    long highest = 0;
    for (const char *p = sql; *p;) {
        if (*p == '\'' || *p == '"') {
            size_t n = quoted_len(p);
            put(b, p, n);
            p += n;
            continue;
        }
        if (*p != '?') {
            put(b, p++, 1);
            continue;
        }
        char *digits_end;
        long n = strtol(p + 1, &digits_end, 10);
        if (digits_end == p + 1) n = highest + 1;
        if (n > highest) highest = n;
        char num[24];
        size_t len = (size_t)snprintf(num, sizeof num, "$%ld", n);
        put(b, num, len);
        p = digits_end;
    }
}

char *sq_dialect_sql(sq_dialect d, const char *sql)
{
    if (d == SQ_SQLITE && !strchr(sql, '{')) return NULL;
    buf b = {0};
    put(&b, "", 0);
    put_fragments(&b, d, sql);
    if (d != SQ_POSTGRES) return b.s;
    buf pg = {0};
    put(&pg, "", 0);
    put_dollar_params(&pg, b.s);
    free(b.s);
    return pg.s;
}

/* ---- the driver's primitives, reached through the statement's or transaction's table ---- */

sq_stmt *sq_prep(store_tx *tx, const char *sql) { return tx->ops->prep(tx, sql); }
sq_stmt *sq_prep_once(store_tx *tx, const char *sql) { return tx->ops->prep_once(tx, sql); }
void sq_finalize(sq_stmt *st) { st->ops->finalize(st); }
void sq_reset(sq_stmt *st) { st->ops->reset(st); }
void sq_bind_int(sq_stmt *st, int i, int64_t v) { st->ops->bind_int(st, i, v); }
void sq_bind_blob(sq_stmt *st, int i, const void *p, size_t n) { st->ops->bind_blob(st, i, p, n); }
void sq_bind_null(sq_stmt *st, int i) { st->ops->bind_null(st, i); }
int sq_params(sq_stmt *st) { return st->ops->params(st); }
const char *sq_sql(sq_stmt *st) { return st->ops->sql(st); }
int sq_step(sq_stmt *st) { return st->ops->step(st); }
int64_t sq_int(sq_stmt *st, int i) { return st->ops->col_int(st, i); }
int sq_is_null(sq_stmt *st, int i) { return st->ops->col_null(st, i); }
const void *sq_blob(sq_stmt *st, int i, size_t *n) { return st->ops->col_blob(st, i, n); }
int sq_columns(sq_stmt *st) { return st->ops->col_count(st); }
const char *sq_column_name(sq_stmt *st, int i) { return st->ops->col_name(st, i); }
sq_kind sq_column_kind(sq_stmt *st, int i) { return st->ops->col_kind(st, i); }
int64_t sq_changes(store_tx *tx) { return tx->ops->changes(tx); }
err_code sq_insert(store_tx *tx, sq_stmt *st, int64_t *id) { return tx->ops->insert(tx, st, id); }
err_code sq_lock(store_tx *tx, int64_t key) { return tx->ops->lock(tx, key); }
sq_dialect sq_tx_dialect(store_tx *tx) { return tx->ops->dialect; }

void store_after_commit(store_tx *tx, void (*fn)(void *), void *arg)
{
    tx->ops->after_commit(tx, fn, arg);
}

void sq_bind_text(sq_stmt *st, int i, const char *s)
{
    if (s)
        st->ops->bind_text(st, i, s, strlen(s));
    else
        st->ops->bind_null(st, i);
}

const char *sq_text_peek(sq_stmt *st, int i)
{
    size_t n;
    const char *s = st->ops->col_text(st, i, &n);
    return s ? s : "";
}

const char *sq_text_or_null(arena *a, sq_stmt *st, int i)
{
    size_t n;
    const char *s = st->ops->col_text(st, i, &n);
    return s ? arena_strndup(a, s, n) : NULL;
}

const char *sq_text(arena *a, sq_stmt *st, int i)
{
    const char *s = sq_text_or_null(a, st, i);
    return s ? s : "";
}

/* ---- binding ---- */

void sq_bind(sq_stmt *st, const char *fmt, ...)
{
    /* More values than the statement has parameters is always a bug in the caller. */
    if (strlen(fmt) > (size_t)sq_params(st)) {
        log_error("sq_bind: %zu values for %d parameters: %s", strlen(fmt), sq_params(st),
                  sq_sql(st));
        abort();
    }
    va_list ap;
    va_start(ap, fmt);
    for (int i = 1; *fmt; fmt++, i++) {
        switch (*fmt) {
        case 'i':
            sq_bind_int(st, i, va_arg(ap, int64_t));
            break;
        case 's':
            sq_bind_text(st, i, va_arg(ap, const char *));
            break;
        case 'b': {
            const void *p = va_arg(ap, const void *);
            int n = va_arg(ap, int);
            sq_bind_blob(st, i, p, (size_t)n);
            break;
        }
        case 'n':
            sq_bind_null(st, i);
            break;
        default:
            abort();
        }
    }
    va_end(ap);
}

void sq_bind_ref(sq_stmt *st, int i, int64_t id)
{
    if (id)
        sq_bind_int(st, i, id);
    else
        sq_bind_null(st, i);
}

/* ---- running ---- */

err_code sq_exec(store_tx *tx, sq_stmt *st)
{
    (void)tx;
    int rc = sq_step(st);
    sq_reset(st);
    return rc == SQ_ROW ? E_OK : (err_code)rc;
}

err_code sq_exec_some(store_tx *tx, sq_stmt *st, err_code none)
{
    err_code e = sq_exec(tx, st);
    if (e == E_OK && sq_changes(tx) == 0) e = none;
    return e;
}

err_code sq_versioned(store_tx *tx, sq_stmt *st, int64_t *version)
{
    err_code e = sq_exec(tx, st);
    if (e != E_OK) return e;
    if (sq_changes(tx) != 1) return E_CONFLICT;
    ++*version;
    return E_OK;
}

void *sq_push(arena *a, void **rows, size_t *n, size_t *cap, size_t size)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        void *grown = arena_alloc(a, ncap * size);
        if (*n) memcpy(grown, *rows, *n * size);
        *rows = grown;
        *cap = ncap;
    }
    void *slot = (char *)*rows + (*n)++ * size;
    memset(slot, 0, size);
    return slot;
}

err_code sq_collect(store_tx *tx, arena *a, sq_stmt *st, size_t size, sq_read_fn read, void **out,
                    size_t *n)
{
    (void)tx;
    size_t cap = 0;
    *n = 0;
    *out = NULL;
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW)
        read(a, st, sq_push(a, out, n, &cap, size));
    sq_reset(st);
    return (err_code)rc;
}

err_code sq_one(store_tx *tx, arena *a, sq_stmt *st, sq_read_fn read, void *row)
{
    (void)tx;
    int rc = sq_step(st);
    if (rc == SQ_ROW) read(a, st, row);
    sq_reset(st);
    return rc == SQ_ROW ? E_OK : rc == SQ_DONE ? E_NOT_FOUND : (err_code)rc;
}

err_code sq_int_or(store_tx *tx, sq_stmt *st, int64_t dflt, int64_t *v)
{
    (void)tx;
    int rc = sq_step(st);
    *v = rc == SQ_ROW ? sq_int(st, 0) : dflt;
    sq_reset(st);
    return rc == SQ_ROW ? E_OK : (err_code)rc;
}

err_code sq_count(store_tx *tx, sq_stmt *st, int64_t *total)
{
    (void)tx;
    int rc = sq_step(st);
    if (rc == SQ_ROW) *total = sq_int(st, 0);
    sq_reset(st);
    return rc == SQ_ROW ? E_OK : (err_code)rc;
}
