/*
 * store_pg — the PostgreSQL driver: a pool of connections, transactions with the one-call
 * semantics of store.h, migrations, the scheduler's leadership, and the statement primitives
 * of sq.h (driver.h). This is the one file that includes <libpq-fe.h>.
 *
 * Several duban instances share one database, so nothing here serialises writes in the
 * process: each store_write is a READ COMMITTED transaction on a connection of the pool; lost
 * updates are caught by the rows' versions (an UPDATE … WHERE version = ? re-checks the row
 * after a concurrent commit and changes nothing), the audit chain's append takes a transaction
 * advisory lock (sq_lock), and deadlocks or serialisation failures roll the whole function back
 * and run it again, a bounded number of times. A failed statement ends the transaction in
 * PostgreSQL: every later statement of the function then returns the first error at once,
 * and the function's result can only be that error (never a half-done commit).
 *
 * Statements: the SQL of sq.h is rewritten once per connection (sq_dialect_sql: fragments,
 * $N parameters) and prepared lazily at its first step, when the bound values are known:
 * parameters go as text of unknown type, so PostgreSQL infers each from its use as SQLite
 * would take it, and blobs go binary as bytea. Results come as text; integers are parsed,
 * booleans read as 0/1, bytea decoded. Reads run in REPEATABLE READ READ ONLY transactions
 * (one snapshot, as SQLite's readers).
 *
 * The connection string is a URI or libpq's key=value form with the usual parameters and
 * PGPASSFILE; it is never logged, and errors name only the host and database.
 */
#include "store/driver.h"

#include "base/log.h"
#include "store/migrate.h"

#include <libpq-fe.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum {
    CACHE_SLOTS = 1024,
    MAX_VARIANTS = 4,
    WRITE_ATTEMPTS = 5,
    BYTEA_OID = 17,
    INT8_OID = 20,
    TEXT_OID = 25,
    MIGRATE_LOCK = 0x6475626d, /* "dubm": one instance migrates at a time */
};

static const sq_ops pg_ops;
static const store_driver pg_driver;

typedef struct pg_conn pg_conn;

/* One prepared form of a statement: by which parameters are bytea (bit i: parameter i+1). */
typedef struct {
    uint64_t blobs;
    char name[16];
} variant;

typedef struct {
    sq_stmt base;
    pg_conn *c;
    const char *key; /* the source SQL: the cache's key; NULL for a one-use statement */
    char *text;      /* as PostgreSQL runs it */
    int nparams;
    char **vals; /* bound values (NULL: SQL NULL), owned */
    int *lens, *fmts;
    char *ints; /* which parameters were bound as integers */
    variant var[MAX_VARIANTS];
    int nvar;
    PGresult *res; /* the executed statement's rows, until reset */
    int row, nrows;
    unsigned char **decoded; /* bytea columns of the current row, decoded on demand */
    size_t *decoded_len;
    int ndecoded;
} pg_stmt;

struct pg_conn {
    store_tx base;
    PGconn *conn;
    pg_stmt *cache[CACHE_SLOTS];
    int nnamed; /* prepared statements named so far */
    struct {
        void (*fn)(void *);
        void *arg;
    } * hooks;
    int nhooks, hooks_cap;
    int writing;
    err_code failed; /* the first error of the open transaction (it is aborted then) */
    int retryable;   /* that error was a deadlock or a serialisation failure */
    int64_t changes; /* rows changed by the last insert, update or delete */
};

typedef struct {
    store base;
    char *conninfo;
    int statement_timeout_ms;
    pg_conn *conns;
    int nconns;
    int *free_conns, nfree;
    pthread_mutex_t pool_lock;
    pthread_cond_t pool_cond;
    pthread_mutex_t leader_lock;
    PGconn *leader; /* holds the scheduler's session lock while it lives */
    int64_t leader_key;
    int leading;
} pg_store;

static pg_store *P(store *st)
{
    return (pg_store *)st;
}

static pg_conn *C(store_tx *tx)
{
    return (pg_conn *)tx;
}

static pg_stmt *S(sq_stmt *st)
{
    return (pg_stmt *)st;
}

/* ---- errors ---- */

/* Maps a failed result to an err_code; what no user input explains is logged. */
static err_code map_result(pg_conn *c, const PGresult *res, const char *sql)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    if (!state) state = "";
    c->retryable = strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0;
    if (strcmp(state, "23505") == 0) return E_DUPLICATE;
    if (strcmp(state, "23503") == 0 || strcmp(state, "23514") == 0 || strcmp(state, "23502") == 0)
        return E_FIELD_INVALID;
    /* A value the column's type cannot hold (text where a number belongs, a number too
     * large): SQLite would have stored it; here it is the input's fault, but worth a look. */
    if (strncmp(state, "22", 2) == 0) {
        log_warn("postgres: %s: %s", state, res ? PQresultErrorMessage(res) : "");
        return E_FIELD_INVALID;
    }
    if (c->retryable || strcmp(state, "55P03") == 0 || strcmp(state, "57014") == 0) return E_BUSY;
    log_error("postgres error %s: %s%s%s", state,
              res ? PQresultErrorMessage(res) : PQerrorMessage(c->conn), sql ? " in: " : "",
              sql ? sql : "");
    return strncmp(state, "08", 2) == 0 || PQstatus(c->conn) != CONNECTION_OK ? E_BUSY : E_INTERNAL;
}

/* Runs SQL without parameters (transaction control, settings). */
static err_code exec_simple(pg_conn *c, const char *sql)
{
    PGresult *res = PQexec(c->conn, sql);
    ExecStatusType s = PQresultStatus(res);
    err_code e = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ? E_OK : map_result(c, res, sql);
    PQclear(res);
    return e;
}

/* ---- statements ---- */

/* The highest $N of PostgreSQL text (quoted text skipped). */
static int count_params(const char *text)
{
    int highest = 0;
    for (const char *p = text; *p; p++) {
        if (*p == '\'' || *p == '"') {
            char q = *p;
            for (p++; *p && !(*p == q && p[1] != q); p++)
                if (*p == q) p++;
            if (!*p) break;
        } else if (*p == '$' && p[1] >= '0' && p[1] <= '9') {
            int n = atoi(p + 1);
            if (n > highest) highest = n;
        }
    }
    return highest;
}

static pg_stmt *stmt_new(pg_conn *c, const char *sql)
{
    pg_stmt *st = xcalloc(1, sizeof *st);
    st->base.ops = &pg_ops;
    st->c = c;
    char *text = sq_dialect_sql(SQ_POSTGRES, sql);
    st->text = text ? text : xstrdup(sql);
    st->nparams = count_params(st->text);
    int n = st->nparams ? st->nparams : 1;
    st->vals = xcalloc((size_t)n, sizeof *st->vals);
    st->lens = xcalloc((size_t)n, sizeof *st->lens);
    st->fmts = xcalloc((size_t)n, sizeof *st->fmts);
    st->ints = xcalloc((size_t)n, 1);
    st->row = -1;
    return st;
}

static void forget_row(pg_stmt *st)
{
    for (int i = 0; i < st->ndecoded; i++)
        if (st->decoded[i]) PQfreemem(st->decoded[i]);
    free(st->decoded);
    free(st->decoded_len);
    st->decoded = NULL;
    st->decoded_len = NULL;
    st->ndecoded = 0;
}

static void pg_reset(sq_stmt *s)
{
    pg_stmt *st = S(s);
    forget_row(st);
    PQclear(st->res);
    st->res = NULL;
    st->row = -1;
    st->nrows = 0;
}

static void pg_clear(sq_stmt *s)
{
    pg_stmt *st = S(s);
    for (int i = 0; i < st->nparams; i++) {
        free(st->vals[i]);
        st->vals[i] = NULL;
        st->lens[i] = st->fmts[i] = 0;
        st->ints[i] = 0;
    }
}

static void stmt_free(pg_stmt *st)
{
    pg_reset(&st->base);
    pg_clear(&st->base);
    free(st->vals);
    free(st->lens);
    free(st->fmts);
    free(st->ints);
    free(st->text);
    free(st);
}

static sq_stmt *pg_prep(store_tx *tx, const char *sql)
{
    pg_conn *c = C(tx);
    size_t h = ((uintptr_t)sql >> 3) % CACHE_SLOTS;
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        pg_stmt **slot = &c->cache[(h + i) % CACHE_SLOTS];
        if (*slot && (*slot)->key == sql) {
            pg_reset(&(*slot)->base);
            pg_clear(&(*slot)->base);
            return &(*slot)->base;
        }
        if (!*slot) {
            *slot = stmt_new(c, sql);
            (*slot)->key = sql;
            return &(*slot)->base;
        }
    }
    log_error("statement cache full");
    abort();
}

static sq_stmt *pg_prep_once(store_tx *tx, const char *sql)
{
    return &stmt_new(C(tx), sql)->base;
}

/* A one-use statement's server-side forms are deallocated with it; the cache's live on. */
static void pg_finalize(sq_stmt *s)
{
    pg_stmt *st = S(s);
    if (st->key) return;
    for (int i = 0; i < st->nvar; i++) {
        char sql[48];
        snprintf(sql, sizeof sql, "DEALLOCATE %s", st->var[i].name);
        PQclear(PQexec(st->c->conn, sql));
    }
    stmt_free(st);
}

static int pg_params(sq_stmt *st)
{
    return S(st)->nparams;
}

static const char *pg_sql(sq_stmt *st)
{
    return S(st)->text;
}

static void bind_value(pg_stmt *st, int i, char *v, int len, int fmt)
{
    if (i < 1 || i > st->nparams) {
        free(v);
        return;
    }
    free(st->vals[i - 1]);
    st->vals[i - 1] = v;
    st->lens[i - 1] = len;
    st->fmts[i - 1] = fmt;
    st->ints[i - 1] = 0;
}

static void pg_bind_int(sq_stmt *st, int i, int64_t v)
{
    char *s = xasprintf("%lld", (long long)v);
    bind_value(S(st), i, s, (int)strlen(s), 0);
    if (i >= 1 && i <= S(st)->nparams) S(st)->ints[i - 1] = 1;
}

static void pg_bind_text(sq_stmt *st, int i, const char *s, size_t n)
{
    char *copy = xmalloc(n + 1);
    memcpy(copy, s, n);
    copy[n] = 0;
    bind_value(S(st), i, copy, (int)n, 0);
}

static void pg_bind_blob(sq_stmt *st, int i, const void *p, size_t n)
{
    char *copy = xmalloc(n ? n : 1);
    if (n) memcpy(copy, p, n);
    bind_value(S(st), i, copy, (int)n, 1);
}

static void pg_bind_null(sq_stmt *st, int i)
{
    bind_value(S(st), i, NULL, 0, 0);
}

static uint64_t blob_mask(const pg_stmt *st)
{
    uint64_t m = 0;
    for (int i = 0; i < st->nparams && i < 64; i++)
        if (st->vals[i] && st->fmts[i]) m |= (uint64_t)1 << i;
    return m;
}

/*
 * Prepares the statement's form for the parameters bound now. Unknown types first, so that
 * PostgreSQL infers each parameter from its use; a parameter the SQL gives nothing to go on
 * ("could not determine data type of parameter $N": its first use is `?N IS NULL`, or none
 * at all) then takes the type of the value bound to it, one such parameter at a time, and the
 * other of bigint and text if that one does not fit its use.
 */
static const variant *prepared(pg_stmt *st)
{
    uint64_t blobs = blob_mask(st);
    for (int i = 0; i < st->nvar; i++)
        if (st->var[i].blobs == blobs) return &st->var[i];
    if (st->nvar == MAX_VARIANTS) {
        log_error("postgres: too many forms of one statement: %s", st->text);
        abort();
    }
    variant *v = &st->var[st->nvar];
    v->blobs = blobs;
    snprintf(v->name, sizeof v->name, "d%d", st->c->nnamed++);
    int n = st->nparams;
    unsigned *types = xcalloc((size_t)(n ? n : 1), sizeof *types);
    for (int i = 0; i < n; i++)
        if (i < 64 && (blobs >> i & 1)) types[i] = BYTEA_OID;
    /* A failed PREPARE aborts the transaction it is sent in: guard it with a savepoint (once
     * per statement and connection, so the cost is paid at the first use only). */
    PGconn *conn = st->c->conn;
    int in_tx = PQtransactionStatus(conn) == PQTRANS_INTRANS;
    int last_typed = 0; /* the parameter given a type by the previous attempt */
    for (int attempt = 0; attempt <= 2 * n; attempt++) {
        if (in_tx) PQclear(PQexec(conn, "SAVEPOINT sq_prepare"));
        PGresult *res = PQprepare(conn, v->name, st->text, n, types);
        int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
        const char *state = ok ? NULL : PQresultErrorField(res, PG_DIAG_SQLSTATE);
        if (in_tx)
            PQclear(PQexec(conn, ok ? "RELEASE SAVEPOINT sq_prepare"
                                    : "ROLLBACK TO SAVEPOINT sq_prepare"));
        if (ok) {
            PQclear(res);
            free(types);
            st->nvar++;
            return v;
        }
        /* "could not determine data type of parameter $N": that one alone takes the type of
         * its bound value (text for NULL); the others keep being inferred from their use. */
        const char *which = state && (!strcmp(state, "42P08") || !strcmp(state, "42P18"))
                                ? strstr(PQresultErrorMessage(res), "parameter $")
                                : NULL;
        int k = which ? atoi(which + 11) : 0;
        if (k >= 1 && k <= n && !types[k - 1]) {
            PQclear(res);
            types[k - 1] = st->ints[k - 1] ? INT8_OID : TEXT_OID;
            last_typed = k;
            continue;
        }
        /* The type just given was the wrong one (a NULL or a number sent as text, compared
         * with a bigint column, say): the other one, once. */
        int mismatch = state && (!strcmp(state, "42883") || !strcmp(state, "42804"));
        if (mismatch && last_typed) {
            PQclear(res);
            types[last_typed - 1] = types[last_typed - 1] == TEXT_OID ? INT8_OID : TEXT_OID;
            last_typed = 0;
            continue;
        }
        if (PQstatus(conn) != CONNECTION_OK || (state && strncmp(state, "08", 2) == 0)) {
            PQclear(res);
            free(types);
            return NULL; /* the connection is gone: the step fails, the pool reconnects */
        }
        /* Our own SQL is wrong: a bug, not an input error (as on SQLite). */
        log_error("cannot prepare statement: %s: %s", PQresultErrorMessage(res), st->text);
        abort();
    }
    abort();
}

static int execute(pg_stmt *st)
{
    pg_conn *c = st->c;
    if (c->failed != E_OK) return (int)c->failed;
    const variant *v = prepared(st);
    if (!v) return (int)(c->failed = map_result(c, NULL, NULL));
    st->res = PQexecPrepared(c->conn, v->name, st->nparams, (const char *const *)st->vals, st->lens,
                             st->fmts, 0);
    ExecStatusType s = PQresultStatus(st->res);
    if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
        err_code e = map_result(c, st->res, st->text);
        PQclear(st->res);
        st->res = NULL;
        /* The transaction is aborted now: remember why, for the statements that follow. */
        if (PQtransactionStatus(c->conn) != PQTRANS_IDLE) c->failed = e;
        return (int)e;
    }
    st->nrows = PQntuples(st->res);
    const char *cmd = PQcmdStatus(st->res);
    if (!strncmp(cmd, "INSERT", 6) || !strncmp(cmd, "UPDATE", 6) || !strncmp(cmd, "DELETE", 6))
        c->changes = atoll(PQcmdTuples(st->res));
    return SQ_DONE;
}

static int pg_step(sq_stmt *s)
{
    pg_stmt *st = S(s);
    if (!st->res) {
        int rc = execute(st);
        if (rc != SQ_DONE) return rc;
    }
    forget_row(st);
    if (++st->row < st->nrows) return SQ_ROW;
    st->row = st->nrows;
    return SQ_DONE;
}

static int64_t pg_col_int(sq_stmt *s, int i)
{
    pg_stmt *st = S(s);
    if (PQgetisnull(st->res, st->row, i)) return 0;
    const char *v = PQgetvalue(st->res, st->row, i);
    if (v[0] == 't' && !v[1]) return 1;
    if (v[0] == 'f' && !v[1]) return 0;
    return strtoll(v, NULL, 10);
}

static int pg_col_null(sq_stmt *s, int i)
{
    pg_stmt *st = S(s);
    return PQgetisnull(st->res, st->row, i);
}

static int pg_col_count(sq_stmt *s)
{
    pg_stmt *st = S(s);
    return st->res ? PQnfields(st->res) : 0;
}

static const char *pg_col_name(sq_stmt *s, int i)
{
    return PQfname(S(s)->res, i);
}

/* By the column's type (the built-in OIDs of pg_type, which never change). */
static sq_kind pg_col_kind(sq_stmt *s, int i)
{
    pg_stmt *st = S(s);
    if (PQgetisnull(st->res, st->row, i)) return SQ_NULL;
    switch (PQftype(st->res, i)) {
    case 16: /* bool */
    case 20: /* int8 */
    case 21: /* int2 */
    case 23: /* int4 */ return SQ_INTEGER;
    case 17: /* bytea */ return SQ_BLOB;
    case 700: /* float4 */
    case 701: /* float8 */
    case 1700: /* numeric */ return SQ_REAL;
    default: return SQ_TEXT;
    }
}

static const char *pg_col_text(sq_stmt *s, int i, size_t *n)
{
    pg_stmt *st = S(s);
    *n = 0;
    if (PQgetisnull(st->res, st->row, i)) return NULL;
    *n = (size_t)PQgetlength(st->res, st->row, i);
    return PQgetvalue(st->res, st->row, i);
}

static const void *pg_col_blob(sq_stmt *s, int i, size_t *n)
{
    pg_stmt *st = S(s);
    *n = 0;
    if (PQgetisnull(st->res, st->row, i)) return NULL;
    if (PQftype(st->res, i) != BYTEA_OID) {
        *n = (size_t)PQgetlength(st->res, st->row, i);
        return PQgetvalue(st->res, st->row, i);
    }
    if (!st->decoded) {
        st->ndecoded = PQnfields(st->res);
        st->decoded = xcalloc((size_t)st->ndecoded, sizeof *st->decoded);
        st->decoded_len = xcalloc((size_t)st->ndecoded, sizeof *st->decoded_len);
    }
    if (!st->decoded[i])
        st->decoded[i] = PQunescapeBytea((const unsigned char *)PQgetvalue(st->res, st->row, i),
                                         &st->decoded_len[i]);
    *n = st->decoded[i] ? st->decoded_len[i] : 0;
    return st->decoded[i];
}

static int64_t pg_changes(store_tx *tx)
{
    return C(tx)->changes;
}

/* The statement ends in " RETURNING id" ({returning_id}): its one row is the new id. */
static err_code pg_insert(store_tx *tx, sq_stmt *s, int64_t *id)
{
    (void)tx;
    int rc = pg_step(s);
    if (rc == SQ_ROW) *id = pg_col_int(s, 0);
    pg_reset(s);
    return rc == SQ_ROW ? E_OK : rc == SQ_DONE ? E_INTERNAL : (err_code)rc;
}

static err_code pg_lock(store_tx *tx, int64_t key)
{
    static const char sql[] = "SELECT pg_advisory_xact_lock(CAST(? AS bigint))";
    sq_stmt *st = pg_prep(tx, sql);
    pg_bind_int(st, 1, key);
    int rc = pg_step(st);
    pg_reset(st);
    return rc == SQ_ROW || rc == SQ_DONE ? E_OK : (err_code)rc;
}

static void pg_after_commit(store_tx *tx, void (*fn)(void *), void *arg)
{
    pg_conn *c = C(tx);
    if (!c->writing) abort(); /* a programming error */
    if (c->nhooks == c->hooks_cap) {
        c->hooks_cap = c->hooks_cap ? 2 * c->hooks_cap : 8;
        c->hooks = xrealloc(c->hooks, (size_t)c->hooks_cap * sizeof *c->hooks);
    }
    c->hooks[c->nhooks].fn = fn;
    c->hooks[c->nhooks].arg = arg;
    c->nhooks++;
}

/* ---- connections ---- */

/* Where a connection string points, for messages: never the password. */
static void describe(PGconn *conn, char *out, size_t n)
{
    const char *host = conn ? PQhost(conn) : NULL, *db = conn ? PQdb(conn) : NULL;
    snprintf(out, n, "PostgreSQL database %s on %s", db && *db ? db : "?",
             host && *host ? host : "the local socket");
}

static PGconn *connect_db(const pg_store *st, char *err, size_t errlen)
{
    PGconn *conn = PQconnectdb(st->conninfo);
    if (PQstatus(conn) != CONNECTION_OK) {
        char where[256];
        describe(conn, where, sizeof where);
        snprintf(err, errlen, "cannot connect to %s: %s", where, PQerrorMessage(conn));
        PQfinish(conn);
        return NULL;
    }
    char set[256];
    snprintf(set, sizeof set,
             "SET statement_timeout = %d; SET client_encoding = 'UTF8'; SET TimeZone = 'UTC';"
             " SET client_min_messages = warning",
             st->statement_timeout_ms);
    PGresult *res = PQexec(conn, set);
    int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    if (!ok) snprintf(err, errlen, "cannot configure the connection: %s", PQerrorMessage(conn));
    PQclear(res);
    if (!ok) {
        PQfinish(conn);
        return NULL;
    }
    return conn;
}

/* Forgets the statements prepared on a connection (after it was lost and opened again). */
static void forget_statements(pg_conn *c)
{
    for (int i = 0; i < CACHE_SLOTS; i++)
        if (c->cache[i]) {
            stmt_free(c->cache[i]);
            c->cache[i] = NULL;
        }
    c->nnamed = 0;
}

static void close_conn(pg_conn *c)
{
    forget_statements(c);
    free(c->hooks);
    c->hooks = NULL;
    if (c->conn) PQfinish(c->conn);
    c->conn = NULL;
}

/* A connection the server dropped (a restart, a failover) is opened again before use. */
static int ensure_conn(pg_store *st, pg_conn *c)
{
    if (c->conn && PQstatus(c->conn) == CONNECTION_OK) return 0;
    char err[512];
    forget_statements(c);
    if (c->conn) PQfinish(c->conn);
    c->conn = connect_db(st, err, sizeof err);
    if (!c->conn) {
        log_error("%s", err);
        return -1;
    }
    return 0;
}

static pg_conn *take(pg_store *st)
{
    pthread_mutex_lock(&st->pool_lock);
    while (st->nfree == 0)
        pthread_cond_wait(&st->pool_cond, &st->pool_lock);
    pg_conn *c = &st->conns[st->free_conns[--st->nfree]];
    pthread_mutex_unlock(&st->pool_lock);
    return c;
}

static void give(pg_store *st, pg_conn *c)
{
    pthread_mutex_lock(&st->pool_lock);
    st->free_conns[st->nfree++] = (int)(c - st->conns);
    pthread_cond_signal(&st->pool_cond);
    pthread_mutex_unlock(&st->pool_lock);
}

/* Clears every statement's rows so the connection is ready for the next transaction. */
static void reset_all(pg_conn *c)
{
    for (int i = 0; i < CACHE_SLOTS; i++)
        if (c->cache[i] && c->cache[i]->res) pg_reset(&c->cache[i]->base);
}

/* ---- transactions ---- */

/* Runs fn in one transaction begun by `begin`; commits when it succeeds, else rolls back. */
static err_code run_tx(pg_store *st, pg_conn *c, const char *begin, store_fn fn, void *ctx)
{
    if (ensure_conn(st, c)) return E_BUSY;
    c->failed = E_OK;
    c->retryable = 0;
    c->nhooks = 0;
    err_code rc = exec_simple(c, begin);
    /* The server went away since this connection's last use (a restart, a failover): nothing
     * has happened yet, so open it again and begin once more. */
    if (rc != E_OK && PQstatus(c->conn) != CONNECTION_OK && ensure_conn(st, c) == 0)
        rc = exec_simple(c, begin);
    if (rc != E_OK) return rc;
    rc = fn(&c->base, ctx);
    reset_all(c);
    /* A statement that failed aborted the transaction, whatever fn made of its error. */
    if (rc == E_OK && c->failed != E_OK) rc = c->failed;
    if (rc == E_OK) {
        PGresult *res = PQexec(c->conn, "COMMIT");
        if (PQresultStatus(res) != PGRES_COMMAND_OK)
            rc = map_result(c, res, "COMMIT");
        else if (strcmp(PQcmdStatus(res), "COMMIT") != 0)
            rc = E_INTERNAL; /* the server rolled it back */
        PQclear(res);
    }
    if (rc != E_OK && PQtransactionStatus(c->conn) != PQTRANS_IDLE) exec_simple(c, "ROLLBACK");
    return rc;
}

static err_code pg_write(store *s, store_fn fn, void *ctx)
{
    pg_store *st = P(s);
    err_code rc = E_BUSY;
    for (int attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
        pg_conn *c = take(st);
        c->writing = 1;
        rc = run_tx(st, c, "BEGIN", fn, ctx);
        int again = rc == E_BUSY && c->retryable;
        if (rc == E_OK)
            for (int i = 0; i < c->nhooks; i++)
                c->hooks[i].fn(c->hooks[i].arg);
        c->nhooks = 0;
        c->writing = 0;
        give(st, c);
        if (!again) break;
        /* A deadlock or serialisation failure: the other transaction goes first. */
        struct timespec pause = {0, (long)(1000000L << attempt)};
        nanosleep(&pause, NULL);
    }
    return rc;
}

/* No single writer to wait behind: bookkeeping writes simply run. */
static err_code pg_write_if_idle(store *s, store_fn fn, void *ctx)
{
    return pg_write(s, fn, ctx);
}

static err_code pg_read(store *s, store_fn fn, void *ctx)
{
    pg_store *st = P(s);
    pg_conn *c = take(st);
    err_code rc = run_tx(st, c, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", fn, ctx);
    give(st, c);
    return rc;
}

/* ---- migrations: the table schema_version holds the number of each one applied ---- */

static int version_of(PGconn *conn)
{
    /* A database without the table is an empty one: version 0. */
    PGresult *res = PQexec(conn, "SELECT to_regclass('schema_version') IS NULL");
    int empty = PQresultStatus(res) == PGRES_TUPLES_OK && PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    if (empty) return 0;
    res = PQexec(conn, "SELECT coalesce(max(version), 0) FROM schema_version");
    int v = PQresultStatus(res) == PGRES_TUPLES_OK ? atoi(PQgetvalue(res, 0, 0)) : -1;
    PQclear(res);
    return v;
}

static int exec_or_say(PGconn *conn, const char *sql, const char *what, char *err, size_t errlen)
{
    PGresult *res = PQexec(conn, sql);
    int ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;
    if (!ok) snprintf(err, errlen, "%s: %s", what, PQresultErrorMessage(res));
    PQclear(res);
    return ok ? 0 : -1;
}

static int apply_migration(PGconn *conn, const migration_file *m, char *err, size_t errlen)
{
    char *sql = xasprintf("BEGIN;\n%s\n;INSERT INTO schema_version(version, name, applied_at)"
                          " VALUES (%d, '%s', CAST(extract(epoch FROM now()) AS bigint));"
                          " COMMIT;",
                          m->sql, migrate_number(m), m->name);
    char what[160];
    snprintf(what, sizeof what, "migration %s failed", m->name);
    int rc = exec_or_say(conn, sql, what, err, errlen);
    free(sql);
    if (rc) {
        PQclear(PQexec(conn, "ROLLBACK"));
        return -1;
    }
    log_info("applied migration %s", m->name);
    return 0;
}

/*
 * Brings the database up to the latest schema under an advisory lock, so that instances
 * starting together migrate once. Refuses a database newer than this binary.
 */
static int apply_migrations(PGconn *conn, char *err, size_t errlen)
{
    char lock[64];
    snprintf(lock, sizeof lock, "SELECT pg_advisory_lock(%d)", MIGRATE_LOCK);
    if (exec_or_say(conn, lock, "cannot take the migration lock", err, errlen)) return -1;
    int rc = exec_or_say(conn,
                         "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY,"
                         " name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
                         "cannot create schema_version", err, errlen);
    int have = rc ? -1 : version_of(conn), latest = migrate_latest_in(migrate_pg);
    if (!rc && have < 0) {
        snprintf(err, errlen, "cannot read the schema version: %s", PQerrorMessage(conn));
        rc = -1;
    }
    if (!rc && have > latest) {
        snprintf(err, errlen,
                 "the database has schema version %d, newer than this duban knows (%d): "
                 "use a newer duban with this database (数据库版本比本程序新，请升级 duban)",
                 have, latest);
        rc = -1;
    }
    for (const migration_file *m = migrate_pg; !rc && m->name; m++)
        if (migrate_number(m) > have) rc = apply_migration(conn, m, err, errlen);
    snprintf(lock, sizeof lock, "SELECT pg_advisory_unlock(%d)", MIGRATE_LOCK);
    PQclear(PQexec(conn, lock));
    return rc;
}

/* ---- the store ---- */

static void pg_close(store *s)
{
    pg_store *st = P(s);
    for (int i = 0; i < st->nconns; i++)
        close_conn(&st->conns[i]);
    if (st->leader) PQfinish(st->leader);
    free(st->conns);
    free(st->free_conns);
    free(st->conninfo);
    pthread_mutex_destroy(&st->pool_lock);
    pthread_cond_destroy(&st->pool_cond);
    pthread_mutex_destroy(&st->leader_lock);
    free(st);
}

store *store_pg_open(const char *conninfo, const store_options *o, char *err, size_t errlen)
{
    pg_store *st = xcalloc(1, sizeof *st);
    st->base.drv = &pg_driver;
    st->conninfo = xstrdup(conninfo);
    st->statement_timeout_ms = o->statement_timeout_ms;
    pthread_mutex_init(&st->pool_lock, NULL);
    pthread_cond_init(&st->pool_cond, NULL);
    pthread_mutex_init(&st->leader_lock, NULL);
    st->conns = xcalloc((size_t)o->pool, sizeof *st->conns);
    st->free_conns = xcalloc((size_t)o->pool, sizeof *st->free_conns);
    for (int i = 0; i < o->pool; i++) {
        pg_conn *c = &st->conns[i];
        c->base.ops = &pg_ops;
        c->conn = connect_db(st, err, errlen);
        if (!c->conn) goto fail;
        st->nconns++;
        st->free_conns[st->nfree++] = i;
        if (i == 0 && o->migrate && apply_migrations(c->conn, err, errlen)) goto fail;
    }
    return &st->base;
fail:
    pg_close(&st->base);
    return NULL;
}

static int pg_schema_version(store *s)
{
    pg_store *st = P(s);
    pg_conn *c = take(st);
    int v = ensure_conn(st, c) ? -1 : version_of(c->conn);
    give(st, c);
    return v;
}

static err_code pg_backup(store *s, const char *path, char *err, size_t errlen)
{
    (void)s;
    (void)path;
    snprintf(err, errlen,
             "duban backup copies a SQLite database; back up PostgreSQL with pg_dump or "
             "pg_basebackup (see docs/operations.md)");
    return E_INTERNAL;
}

static int pg_leader(store *s, int64_t key)
{
    pg_store *st = P(s);
    pthread_mutex_lock(&st->leader_lock);
    /* A lost connection released the lock on the server: start over. */
    if (st->leader) {
        PGresult *res = PQexec(st->leader, "SELECT 1");
        if (PQresultStatus(res) != PGRES_TUPLES_OK) {
            PQfinish(st->leader);
            st->leader = NULL;
            st->leading = 0;
        }
        PQclear(res);
    }
    if (st->leading && st->leader_key != key) {
        log_error("store_leader: one role per store (%lld held, %lld asked)",
                  (long long)st->leader_key, (long long)key);
        abort();
    }
    if (!st->leading) {
        char err[512];
        if (!st->leader) st->leader = connect_db(st, err, sizeof err);
        if (st->leader) {
            char sql[64];
            snprintf(sql, sizeof sql, "SELECT pg_try_advisory_lock(%lld)", (long long)key);
            PGresult *res = PQexec(st->leader, sql);
            st->leading =
                PQresultStatus(res) == PGRES_TUPLES_OK && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
            st->leader_key = key;
            PQclear(res);
        } else {
            log_error("%s", err);
        }
    }
    int leading = st->leading;
    pthread_mutex_unlock(&st->leader_lock);
    return leading;
}

static const sq_ops pg_ops = {
    .dialect = SQ_POSTGRES,
    .prep = pg_prep,
    .prep_once = pg_prep_once,
    .finalize = pg_finalize,
    .reset = pg_reset,
    .clear = pg_clear,
    .bind_int = pg_bind_int,
    .bind_text = pg_bind_text,
    .bind_blob = pg_bind_blob,
    .bind_null = pg_bind_null,
    .params = pg_params,
    .sql = pg_sql,
    .step = pg_step,
    .col_int = pg_col_int,
    .col_null = pg_col_null,
    .col_count = pg_col_count,
    .col_name = pg_col_name,
    .col_kind = pg_col_kind,
    .col_text = pg_col_text,
    .col_blob = pg_col_blob,
    .changes = pg_changes,
    .insert = pg_insert,
    .after_commit = pg_after_commit,
    .lock = pg_lock,
};

static const store_driver pg_driver = {
    .name = "postgres",
    .close = pg_close,
    .write = pg_write,
    .write_if_idle = pg_write_if_idle,
    .read = pg_read,
    .backup = pg_backup,
    .schema_version = pg_schema_version,
    .leader = pg_leader,
};
