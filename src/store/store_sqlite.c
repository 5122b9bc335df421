/*
 * store_sqlite — connections, the reader pool, transactions and the statement cache.
 *
 * SQLite allows one writer at a time, so duban keeps exactly one writer connection behind a
 * mutex (no SQLITE_BUSY between its own threads) and a pool of readers that see committed
 * snapshots through WAL. Pragmas: WAL, foreign keys on, a busy timeout for other processes
 * (a CLI command while the server runs), synchronous=FULL so an acknowledged commit survives
 * a crash or power loss.
 *
 * Group commit: writers that arrive while a transaction is being committed queue up; the
 * first of them then runs the whole queue in one transaction, each caller's function under
 * its own savepoint (a failing one rolls back only its own changes and after-commit hooks),
 * and one COMMIT — one fsync — makes all of them durable together. Each caller returns only
 * after that commit, with its own result; if the commit fails, every one of them fails.
 */
#include "store/store_int.h"

#include "base/log.h"
#include "store/migrate.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Distinct statements per connection: about 15 per mechanism; a full cache is a build-time
 * mistake that the unit tests would hit first, so it still aborts loudly. */
enum { CACHE_SLOTS = 1024 };

typedef struct {
    const char *sql;
    sqlite3_stmt *st;
} cached;

struct store_tx {
    sqlite3 *db;
    cached cache[CACHE_SLOTS];
    struct {
        void (*fn)(void *);
        void *arg;
    } *hooks; /* grown as needed: a bulk write registers one per audit record */
    int nhooks, hooks_cap;
    int writer;
};

/* A caller of store_write waiting in the group-commit queue. */
typedef struct write_req {
    store_fn fn;
    void *ctx;
    err_code rc;
    int done;
    struct write_req *next;
} write_req;

struct store {
    store_tx writer;
    pthread_mutex_t write_lock; /* the writer connection */
    pthread_mutex_t queue_lock; /* the queue and `leading` */
    pthread_cond_t queue_cond;
    write_req *queue, **queue_tail;
    int leading; /* a caller is running a batch */
    store_tx *readers;
    int nreaders;
    int *free_readers, nfree;
    pthread_mutex_t pool_lock;
    pthread_cond_t pool_cond;
};

static int open_conn(const char *path, int flags, store_tx *tx, char *err, size_t errlen)
{
    memset(tx, 0, sizeof *tx);
    int rc = sqlite3_open_v2(path, &tx->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open database %s: %s", path,
                 tx->db ? sqlite3_errmsg(tx->db) : sqlite3_errstr(rc));
        sqlite3_close(tx->db);
        tx->db = NULL;
        return -1;
    }
    sqlite3_extended_result_codes(tx->db, 1);
    sqlite3_busy_timeout(tx->db, 5000);
    char *msg = NULL;
    rc = sqlite3_exec(tx->db,
                      "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;"
                      " PRAGMA temp_store=MEMORY;",
                      NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot configure database %s: %s", path, msg ? msg : "?");
        sqlite3_free(msg);
        sqlite3_close(tx->db);
        tx->db = NULL;
        return -1;
    }
    return 0;
}

static void close_conn(store_tx *tx)
{
    if (!tx->db) return;
    free(tx->hooks);
    tx->hooks = NULL;
    tx->hooks_cap = 0;
    for (int i = 0; i < CACHE_SLOTS; i++)
        if (tx->cache[i].st) sqlite3_finalize(tx->cache[i].st);
    sqlite3_close(tx->db);
    tx->db = NULL;
}

store *store_open(const char *path, int readers, int create, char *err, size_t errlen)
{
    store *st = xcalloc(1, sizeof *st);
    pthread_mutex_init(&st->write_lock, NULL);
    pthread_mutex_init(&st->queue_lock, NULL);
    pthread_cond_init(&st->queue_cond, NULL);
    st->queue_tail = &st->queue;
    pthread_mutex_init(&st->pool_lock, NULL);
    pthread_cond_init(&st->pool_cond, NULL);
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    if (open_conn(path, flags, &st->writer, err, errlen)) goto fail;
    st->writer.writer = 1;
    if (migrate_apply(st->writer.db, err, errlen)) goto fail;
    st->readers = xcalloc((size_t)readers, sizeof(store_tx));
    st->free_readers = xcalloc((size_t)readers, sizeof(int));
    for (int i = 0; i < readers; i++) {
        if (open_conn(path, SQLITE_OPEN_READWRITE, &st->readers[i], err, errlen)) goto fail;
        sqlite3_exec(st->readers[i].db, "PRAGMA query_only=ON", NULL, NULL, NULL);
        st->nreaders++;
        st->free_readers[st->nfree++] = i;
    }
    return st;
fail:
    store_close(st);
    return NULL;
}

void store_close(store *st)
{
    if (!st) return;
    for (int i = 0; i < st->nreaders; i++) close_conn(&st->readers[i]);
    if (st->writer.db) sqlite3_wal_checkpoint_v2(st->writer.db, NULL, SQLITE_CHECKPOINT_TRUNCATE,
                                                  NULL, NULL);
    close_conn(&st->writer);
    free(st->readers);
    free(st->free_readers);
    pthread_mutex_destroy(&st->write_lock);
    pthread_mutex_destroy(&st->queue_lock);
    pthread_cond_destroy(&st->queue_cond);
    pthread_mutex_destroy(&st->pool_lock);
    pthread_cond_destroy(&st->pool_cond);
    free(st);
}

int store_schema_version(store *st)
{
    sqlite3_stmt *s;
    int v = -1;
    pthread_mutex_lock(&st->write_lock);
    if (sqlite3_prepare_v2(st->writer.db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    pthread_mutex_unlock(&st->write_lock);
    return v;
}

/* Resets every statement still open on the connection, so the transaction can end. */
static void reset_all(store_tx *tx)
{
    for (sqlite3_stmt *s = sqlite3_next_stmt(tx->db, NULL); s; s = sqlite3_next_stmt(tx->db, s))
        if (sqlite3_stmt_busy(s)) sqlite3_reset(s);
}

static err_code exec_simple(store_tx *tx, const char *sql)
{
    int rc = sqlite3_exec(tx->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? E_OK : sq_err(tx, rc);
}

/* Runs one caller's function under a savepoint of the open transaction; a failure undoes
 * only its own changes and forgets the hooks it registered. */
static void run_one(store_tx *tx, write_req *w)
{
    int hooks_before = tx->nhooks;
    w->rc = exec_simple(tx, "SAVEPOINT w");
    if (w->rc != E_OK) return;
    w->rc = w->fn(tx, w->ctx);
    reset_all(tx);
    if (w->rc != E_OK) {
        exec_simple(tx, "ROLLBACK TO w");
        tx->nhooks = hooks_before;
    }
    exec_simple(tx, "RELEASE w");
}

/* Fails every caller of the batch that had succeeded (their changes are gone with rc). */
static void fail_batch(write_req *batch, err_code rc)
{
    for (write_req *w = batch; w; w = w->next)
        if (w->rc == E_OK) w->rc = rc;
}

/* One transaction for the whole batch, committed once; then the hooks of those it kept. */
static void run_batch(store *st, write_req *batch)
{
    pthread_mutex_lock(&st->write_lock);
    store_tx *tx = &st->writer;
    tx->nhooks = 0;
    err_code rc = exec_simple(tx, "BEGIN IMMEDIATE");
    for (write_req *w = batch; w; w = w->next) {
        if (rc != E_OK) {
            w->rc = rc;
            continue;
        }
        run_one(tx, w);
        /* Some errors (a full disk, I/O) end the whole transaction: nothing of it remains,
         * and what follows must not run outside a transaction. */
        if (sqlite3_get_autocommit(tx->db)) rc = w->rc != E_OK ? w->rc : E_INTERNAL;
    }
    if (rc == E_OK) rc = exec_simple(tx, "COMMIT");
    if (rc != E_OK) {
        if (!sqlite3_get_autocommit(tx->db)) exec_simple(tx, "ROLLBACK");
        fail_batch(batch, rc);
    } else {
        for (int i = 0; i < tx->nhooks; i++) tx->hooks[i].fn(tx->hooks[i].arg);
    }
    tx->nhooks = 0;
    pthread_mutex_unlock(&st->write_lock);
}

err_code store_write(store *st, store_fn fn, void *ctx)
{
    write_req me = {.fn = fn, .ctx = ctx};
    pthread_mutex_lock(&st->queue_lock);
    *st->queue_tail = &me;
    st->queue_tail = &me.next;
    while (!me.done) {
        if (st->leading) {
            pthread_cond_wait(&st->queue_cond, &st->queue_lock);
            continue;
        }
        /* Lead: take everyone queued so far (this caller included) as one batch. */
        st->leading = 1;
        write_req *batch = st->queue;
        st->queue = NULL;
        st->queue_tail = &st->queue;
        pthread_mutex_unlock(&st->queue_lock);
        run_batch(st, batch);
        pthread_mutex_lock(&st->queue_lock);
        for (write_req *w = batch; w; w = w->next) w->done = 1;
        st->leading = 0;
        pthread_cond_broadcast(&st->queue_cond);
    }
    pthread_mutex_unlock(&st->queue_lock);
    return me.rc;
}

err_code store_write_if_idle(store *st, store_fn fn, void *ctx)
{
    pthread_mutex_lock(&st->queue_lock);
    int busy = st->leading || st->queue;
    pthread_mutex_unlock(&st->queue_lock);
    return busy ? E_BUSY : store_write(st, fn, ctx);
}

err_code store_read(store *st, store_fn fn, void *ctx)
{
    pthread_mutex_lock(&st->pool_lock);
    while (st->nfree == 0) pthread_cond_wait(&st->pool_cond, &st->pool_lock);
    int idx = st->free_readers[--st->nfree];
    pthread_mutex_unlock(&st->pool_lock);

    store_tx *tx = &st->readers[idx];
    err_code rc = exec_simple(tx, "BEGIN");
    if (rc == E_OK) {
        rc = fn(tx, ctx);
        reset_all(tx);
        /* A reader left inside a transaction would pin the WAL for ever. */
        if (exec_simple(tx, "COMMIT") != E_OK && !sqlite3_get_autocommit(tx->db))
            exec_simple(tx, "ROLLBACK");
    }

    pthread_mutex_lock(&st->pool_lock);
    st->free_readers[st->nfree++] = idx;
    pthread_cond_signal(&st->pool_cond);
    pthread_mutex_unlock(&st->pool_lock);
    return rc;
}

void store_after_commit(store_tx *tx, void (*fn)(void *), void *arg)
{
    if (!tx->writer) abort(); /* a programming error */
    if (tx->nhooks == tx->hooks_cap) {
        tx->hooks_cap = tx->hooks_cap ? 2 * tx->hooks_cap : 8;
        tx->hooks = xrealloc(tx->hooks, (size_t)tx->hooks_cap * sizeof *tx->hooks);
    }
    tx->hooks[tx->nhooks].fn = fn;
    tx->hooks[tx->nhooks].arg = arg;
    tx->nhooks++;
}

err_code store_backup(store *st, const char *path, char *err, size_t errlen)
{
    /* The copy holds password and session hashes: create it readable by the owner only. */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
        return E_INTERNAL;
    }
    close(fd);
    sqlite3 *dst;
    if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        snprintf(err, errlen, "cannot create %s: %s", path, sqlite3_errmsg(dst));
        sqlite3_close(dst);
        return E_INTERNAL;
    }
    /* One step copies the whole database in one read transaction: a consistent state, even
     * while another process writes. The lock keeps this process's own writer out meanwhile. */
    pthread_mutex_lock(&st->write_lock);
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", st->writer.db, "main");
    int rc = b ? sqlite3_backup_step(b, -1) : sqlite3_errcode(dst);
    if (b) sqlite3_backup_finish(b);
    pthread_mutex_unlock(&st->write_lock);
    if (rc != SQLITE_DONE) {
        snprintf(err, errlen, "backup to %s failed: %s", path, sqlite3_errstr(rc));
        sqlite3_close(dst);
        return E_INTERNAL;
    }
    sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
    sqlite3_close(dst);
    return E_OK;
}

/* ---- helpers for the operation files ---- */

sqlite3 *sq_db(store_tx *tx)
{
    return tx->db;
}

sqlite3_stmt *sq_prep(store_tx *tx, const char *sql)
{
    size_t h = ((uintptr_t)sql >> 3) % CACHE_SLOTS;
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        cached *c = &tx->cache[(h + i) % CACHE_SLOTS];
        if (c->sql == sql) {
            sqlite3_reset(c->st);
            sqlite3_clear_bindings(c->st);
            return c->st;
        }
        if (!c->sql) {
            if (sqlite3_prepare_v3(tx->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &c->st, NULL) !=
                SQLITE_OK) {
                log_error("cannot prepare statement: %s: %s", sqlite3_errmsg(tx->db), sql);
                abort(); /* our own SQL is wrong: a bug, not an input error */
            }
            c->sql = sql;
            return c->st;
        }
    }
    log_error("statement cache full");
    abort();
}

sqlite3_stmt *sq_prep_once(store_tx *tx, const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(tx->db, sql, -1, &st, NULL) != SQLITE_OK) {
        log_error("cannot prepare statement: %s: %s", sqlite3_errmsg(tx->db), sql);
        abort(); /* our own SQL is wrong: a bug, not an input error */
    }
    return st;
}

int sq_bind(sqlite3_stmt *st, const char *fmt, ...)
{
    /* More values than the statement has parameters is always a bug in the caller. */
    if (strlen(fmt) > (size_t)sqlite3_bind_parameter_count(st)) {
        log_error("sq_bind: %zu values for %d parameters: %s", strlen(fmt),
                  sqlite3_bind_parameter_count(st), sqlite3_sql(st));
        abort();
    }
    va_list ap;
    va_start(ap, fmt);
    int rc = SQLITE_OK;
    for (int i = 1; *fmt && rc == SQLITE_OK; fmt++, i++) {
        switch (*fmt) {
        case 'i':
            rc = sqlite3_bind_int64(st, i, va_arg(ap, int64_t));
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            rc = s ? sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
            break;
        }
        case 'b': {
            const void *p = va_arg(ap, const void *);
            int n = va_arg(ap, int);
            rc = sqlite3_bind_blob(st, i, p, n, SQLITE_TRANSIENT);
            break;
        }
        case 'n':
            rc = sqlite3_bind_null(st, i);
            break;
        default:
            abort();
        }
    }
    va_end(ap);
    return rc;
}

err_code sq_err(store_tx *tx, int rc)
{
    switch (rc) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW:
        return E_OK;
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
        return E_DUPLICATE;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
    case SQLITE_CONSTRAINT_CHECK:
        return E_FIELD_INVALID;
    case SQLITE_BUSY:
    case SQLITE_BUSY_SNAPSHOT:
    case SQLITE_LOCKED:
        return E_BUSY;
    default:
        log_error("database error %d: %s", rc, sqlite3_errmsg(tx->db));
        return E_INTERNAL;
    }
}

err_code sq_exec(store_tx *tx, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    err_code e = sq_err(tx, rc);
    sqlite3_reset(st);
    return e;
}

const char *sq_text(arena *a, sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? arena_strndup(a, (const char *)s, (size_t)sqlite3_column_bytes(st, i)) : "";
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

err_code sq_collect(store_tx *tx, arena *a, sqlite3_stmt *st, size_t size, sq_read_fn read,
                    void **out, size_t *n)
{
    size_t cap = 0;
    *n = 0;
    *out = NULL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) read(a, st, sq_push(a, out, n, &cap, size));
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? E_OK : sq_err(tx, rc);
}

err_code sq_count(store_tx *tx, sqlite3_stmt *st, int64_t *total)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) return sq_err(tx, rc);
    *total = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return E_OK;
}

err_code sq_one(store_tx *tx, arena *a, sqlite3_stmt *st, sq_read_fn read, void *row)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) read(a, st, row);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? E_OK : rc == SQLITE_DONE ? E_NOT_FOUND : sq_err(tx, rc);
}

err_code sq_insert(store_tx *tx, sqlite3_stmt *st, int64_t *id)
{
    err_code e = sq_exec(tx, st);
    if (e == E_OK) *id = sqlite3_last_insert_rowid(sq_db(tx));
    return e;
}

err_code sq_versioned(store_tx *tx, sqlite3_stmt *st, int64_t *version)
{
    err_code e = sq_exec(tx, st);
    if (e != E_OK) return e;
    if (sqlite3_changes(sq_db(tx)) != 1) return E_CONFLICT;
    ++*version;
    return E_OK;
}

void sq_bind_ref(sqlite3_stmt *st, int i, int64_t id)
{
    if (id) sqlite3_bind_int64(st, i, id);
    else sqlite3_bind_null(st, i);
}
