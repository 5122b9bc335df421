/*
 * store_sqlite — the SQLite driver: connections, the reader pool, transactions, migrations,
 * backup, and the statement primitives of sq.h (prepare with the cache, bind, step, columns).
 * This is the one file that includes <sqlite3.h>; every operation file reaches SQLite only
 * through sq.h (driver.h: the tables below). A statement is a slot of the connection's cache
 * (the table pointer beside the sqlite3_stmt), so the layer costs no allocation per call.
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
#include "store/driver.h"

#include "base/log.h"
#include "store/migrate.h"

#include <sqlite3.h>

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

static const sq_ops lite_ops;
static const store_driver lite_driver;

/* A statement: a slot of the cache (sql set), or one prepared for one use (sql NULL). */
typedef struct {
    sq_stmt base;
    const char *sql;
    sqlite3_stmt *st;
} cached;

typedef struct lite_tx {
    store_tx base;
    sqlite3 *db;
    cached cache[CACHE_SLOTS];
    struct {
        void (*fn)(void *);
        void *arg;
    } * hooks; /* grown as needed: a bulk write registers one per audit record */
    int nhooks, hooks_cap;
    int writer;
} lite_tx;

/* A caller of store_write waiting in the group-commit queue. */
typedef struct write_req {
    store_fn fn;
    void *ctx;
    err_code rc;
    int done;
    struct write_req *next;
} write_req;

typedef struct lite_store {
    store base;
    lite_tx writer;
    pthread_mutex_t write_lock; /* the writer connection */
    pthread_mutex_t queue_lock; /* the queue and `leading` */
    pthread_cond_t queue_cond;
    write_req *queue, **queue_tail;
    int leading; /* a caller is running a batch */
    lite_tx *readers;
    int nreaders;
    int *free_readers, nfree;
    pthread_mutex_t pool_lock;
    pthread_cond_t pool_cond;
} lite_store;

static void lite_close(store *s);

static lite_store *L(store *st)
{
    return (lite_store *)st;
}

static lite_tx *T(store_tx *tx)
{
    return (lite_tx *)tx;
}

/* Maps an SQLite result to an err_code; unexpected ones are logged with the database's message. */
static err_code map_rc(sqlite3 *db, int rc)
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
        log_error("database error %d: %s", rc, sqlite3_errmsg(db));
        return E_INTERNAL;
    }
}

/* ---- migrations: PRAGMA user_version is the number of the last one applied ---- */

static int user_version(sqlite3 *db)
{
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

static int apply_migration(sqlite3 *db, const migration_file *m, char *err, size_t errlen)
{
    char *msg = NULL;
    char *sql = sqlite3_mprintf("BEGIN IMMEDIATE; %s\n; PRAGMA user_version = %d; COMMIT;", m->sql,
                                migrate_number(m));
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    sqlite3_free(sql);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "migration %s failed: %s", m->name, msg ? msg : "?");
        sqlite3_free(msg);
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    log_info("applied migration %s", m->name);
    return 0;
}

/*
 * Brings db up to migrate_latest(), each migration in its own transaction. Refuses (returns -1
 * with a message in err) a database whose version is newer than this binary knows.
 */
static int apply_migrations(sqlite3 *db, char *err, size_t errlen)
{
    int have = user_version(db), latest = migrate_latest_in(migrate_sqlite);
    if (have < 0) {
        snprintf(err, errlen, "cannot read the schema version: %s", sqlite3_errmsg(db));
        return -1;
    }
    if (have > latest) {
        snprintf(err, errlen,
                 "the database has schema version %d, newer than this duban knows (%d): "
                 "use a newer duban with this database (数据库版本比本程序新，请升级 duban)",
                 have, latest);
        return -1;
    }
    for (const migration_file *m = migrate_sqlite; m->name; m++)
        if (migrate_number(m) > have && apply_migration(db, m, err, errlen)) return -1;
    return 0;
}

/* ---- connections ---- */

static int open_conn(const char *path, int flags, lite_tx *tx, char *err, size_t errlen)
{
    memset(tx, 0, sizeof *tx);
    tx->base.ops = &lite_ops;
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

static void close_conn(lite_tx *tx)
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

store *store_sqlite_open(const char *path, const store_options *o, char *err, size_t errlen)
{
    int readers = o->readers, create = o->create;
    lite_store *st = xcalloc(1, sizeof *st);
    st->base.drv = &lite_driver;
    pthread_mutex_init(&st->write_lock, NULL);
    pthread_mutex_init(&st->queue_lock, NULL);
    pthread_cond_init(&st->queue_cond, NULL);
    st->queue_tail = &st->queue;
    pthread_mutex_init(&st->pool_lock, NULL);
    pthread_cond_init(&st->pool_cond, NULL);
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    /* A new database is the owner's only, whatever the umask: SQLite gives its -wal and -shm
     * the database file's mode. */
    if (create) {
        int fd = open(path, O_WRONLY | O_CREAT, 0600);
        if (fd >= 0) close(fd);
    }
    if (open_conn(path, flags, &st->writer, err, errlen)) goto fail;
    st->writer.writer = 1;
    if (o->migrate) {
        int before = user_version(st->writer.db);
        if (apply_migrations(st->writer.db, err, errlen)) goto fail;
        /* A migration may edit a table's stored definition (0006: a CHECK constraint), which
         * a connection that already parsed the schema keeps in its old form: open it anew. */
        if (user_version(st->writer.db) != before) {
            close_conn(&st->writer);
            if (open_conn(path, flags, &st->writer, err, errlen)) goto fail;
            st->writer.writer = 1;
        }
    }
    st->readers = xcalloc((size_t)readers, sizeof(lite_tx));
    st->free_readers = xcalloc((size_t)readers, sizeof(int));
    for (int i = 0; i < readers; i++) {
        if (open_conn(path, SQLITE_OPEN_READWRITE, &st->readers[i], err, errlen)) goto fail;
        sqlite3_exec(st->readers[i].db, "PRAGMA query_only=ON", NULL, NULL, NULL);
        st->nreaders++;
        st->free_readers[st->nfree++] = i;
    }
    return &st->base;
fail:
    lite_close(&st->base);
    return NULL;
}

static void lite_close(store *s)
{
    lite_store *st = L(s);
    for (int i = 0; i < st->nreaders; i++)
        close_conn(&st->readers[i]);
    if (st->writer.db)
        sqlite3_wal_checkpoint_v2(st->writer.db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
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

static int lite_schema_version(store *s)
{
    lite_store *st = L(s);
    pthread_mutex_lock(&st->write_lock);
    int v = user_version(st->writer.db);
    pthread_mutex_unlock(&st->write_lock);
    return v;
}

/* Resets every statement still open on the connection, so the transaction can end. */
static void reset_all(lite_tx *tx)
{
    for (sqlite3_stmt *s = sqlite3_next_stmt(tx->db, NULL); s; s = sqlite3_next_stmt(tx->db, s))
        if (sqlite3_stmt_busy(s)) sqlite3_reset(s);
}

static err_code exec_simple(lite_tx *tx, const char *sql)
{
    int rc = sqlite3_exec(tx->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? E_OK : map_rc(tx->db, rc);
}

/* Runs one caller's function under a savepoint of the open transaction; a failure undoes
 * only its own changes and forgets the hooks it registered. */
static void run_one(lite_tx *tx, write_req *w)
{
    int hooks_before = tx->nhooks;
    w->rc = exec_simple(tx, "SAVEPOINT w");
    if (w->rc != E_OK) return;
    w->rc = w->fn(&tx->base, w->ctx);
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
static void run_batch(lite_store *st, write_req *batch)
{
    pthread_mutex_lock(&st->write_lock);
    lite_tx *tx = &st->writer;
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
        for (int i = 0; i < tx->nhooks; i++)
            tx->hooks[i].fn(tx->hooks[i].arg);
    }
    tx->nhooks = 0;
    pthread_mutex_unlock(&st->write_lock);
}

static err_code lite_write(store *s, store_fn fn, void *ctx)
{
    lite_store *st = L(s);
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
        for (write_req *w = batch; w; w = w->next)
            w->done = 1;
        st->leading = 0;
        pthread_cond_broadcast(&st->queue_cond);
    }
    pthread_mutex_unlock(&st->queue_lock);
    return me.rc;
}

static err_code lite_write_if_idle(store *s, store_fn fn, void *ctx)
{
    lite_store *st = L(s);
    pthread_mutex_lock(&st->queue_lock);
    int busy = st->leading || st->queue;
    pthread_mutex_unlock(&st->queue_lock);
    return busy ? E_BUSY : lite_write(s, fn, ctx);
}

static err_code lite_read(store *s, store_fn fn, void *ctx)
{
    lite_store *st = L(s);
    pthread_mutex_lock(&st->pool_lock);
    while (st->nfree == 0)
        pthread_cond_wait(&st->pool_cond, &st->pool_lock);
    int idx = st->free_readers[--st->nfree];
    pthread_mutex_unlock(&st->pool_lock);

    lite_tx *tx = &st->readers[idx];
    err_code rc = exec_simple(tx, "BEGIN");
    if (rc == E_OK) {
        rc = fn(&tx->base, ctx);
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

static void lite_after_commit(store_tx *t, void (*fn)(void *), void *arg)
{
    lite_tx *tx = T(t);
    if (!tx->writer) abort(); /* a programming error */
    if (tx->nhooks == tx->hooks_cap) {
        tx->hooks_cap = tx->hooks_cap ? 2 * tx->hooks_cap : 8;
        tx->hooks = xrealloc(tx->hooks, (size_t)tx->hooks_cap * sizeof *tx->hooks);
    }
    tx->hooks[tx->nhooks].fn = fn;
    tx->hooks[tx->nhooks].arg = arg;
    tx->nhooks++;
}

static err_code lite_backup(store *s, const char *path, char *err, size_t errlen)
{
    lite_store *st = L(s);
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

/* ---- statements (driver.h) ---- */

static sqlite3_stmt *S(sq_stmt *st)
{
    return ((cached *)st)->st;
}

/* Prepares sql, with its dialect fragments replaced, or aborts: our own SQL being wrong is a
 * bug, not an input error. */
static sqlite3_stmt *prepare(lite_tx *tx, const char *sql, unsigned flags)
{
    char *text = sq_dialect_sql(SQ_SQLITE, sql);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v3(tx->db, text ? text : sql, -1, flags, &st, NULL) != SQLITE_OK) {
        log_error("cannot prepare statement: %s: %s", sqlite3_errmsg(tx->db), text ? text : sql);
        abort();
    }
    free(text);
    return st;
}

static sq_stmt *lite_prep(store_tx *t, const char *sql)
{
    lite_tx *tx = T(t);
    size_t h = ((uintptr_t)sql >> 3) % CACHE_SLOTS;
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        cached *c = &tx->cache[(h + i) % CACHE_SLOTS];
        if (c->sql == sql) {
            sqlite3_reset(c->st);
            sqlite3_clear_bindings(c->st);
            return &c->base;
        }
        if (!c->sql) {
            c->base.ops = &lite_ops;
            c->st = prepare(tx, sql, SQLITE_PREPARE_PERSISTENT);
            c->sql = sql;
            return &c->base;
        }
    }
    log_error("statement cache full");
    abort();
}

static sq_stmt *lite_prep_once(store_tx *t, const char *sql)
{
    cached *c = xcalloc(1, sizeof *c);
    c->base.ops = &lite_ops;
    c->st = prepare(T(t), sql, 0);
    return &c->base;
}

static void lite_finalize(sq_stmt *st)
{
    cached *c = (cached *)st;
    if (c->sql) return; /* the cache's own */
    sqlite3_finalize(c->st);
    free(c);
}

static void lite_reset(sq_stmt *st)
{
    sqlite3_reset(S(st));
}

static void lite_clear(sq_stmt *st)
{
    sqlite3_clear_bindings(S(st));
}

static int lite_params(sq_stmt *st)
{
    return sqlite3_bind_parameter_count(S(st));
}

static const char *lite_sql(sq_stmt *st)
{
    return sqlite3_sql(S(st));
}

/* A bind's result is not checked: past the statement's parameters is SQLITE_RANGE, which
 * sq.h documents as ignored, and running out of memory surfaces again at the step. */
static void lite_bind_int(sq_stmt *st, int i, int64_t v)
{
    sqlite3_bind_int64(S(st), i, v);
}

static void lite_bind_text(sq_stmt *st, int i, const char *s, size_t n)
{
    sqlite3_bind_text64(S(st), i, s, n, SQLITE_TRANSIENT, SQLITE_UTF8);
}

static void lite_bind_blob(sq_stmt *st, int i, const void *p, size_t n)
{
    sqlite3_bind_blob64(S(st), i, p, n, SQLITE_TRANSIENT);
}

static void lite_bind_null(sq_stmt *st, int i)
{
    sqlite3_bind_null(S(st), i);
}

static int lite_step(sq_stmt *st)
{
    int rc = sqlite3_step(S(st));
    if (rc == SQLITE_ROW) return SQ_ROW;
    return rc == SQLITE_DONE ? SQ_DONE : (int)map_rc(sqlite3_db_handle(S(st)), rc);
}

static int64_t lite_col_int(sq_stmt *st, int i)
{
    return sqlite3_column_int64(S(st), i);
}

static int lite_col_null(sq_stmt *st, int i)
{
    return sqlite3_column_type(S(st), i) == SQLITE_NULL;
}

static const char *lite_col_text(sq_stmt *st, int i, size_t *n)
{
    const unsigned char *s = sqlite3_column_text(S(st), i);
    *n = s ? (size_t)sqlite3_column_bytes(S(st), i) : 0;
    return (const char *)s;
}

static const void *lite_col_blob(sq_stmt *st, int i, size_t *n)
{
    const void *p = sqlite3_column_blob(S(st), i);
    *n = (size_t)sqlite3_column_bytes(S(st), i);
    return p;
}

static int lite_col_count(sq_stmt *st)
{
    return sqlite3_column_count(S(st));
}

static const char *lite_col_name(sq_stmt *st, int i)
{
    return sqlite3_column_name(S(st), i);
}

static sq_kind lite_col_kind(sq_stmt *st, int i)
{
    switch (sqlite3_column_type(S(st), i)) {
    case SQLITE_INTEGER: return SQ_INTEGER;
    case SQLITE_FLOAT: return SQ_REAL;
    case SQLITE_TEXT: return SQ_TEXT;
    case SQLITE_BLOB: return SQ_BLOB;
    default: return SQ_NULL;
    }
}

static int64_t lite_changes(store_tx *tx)
{
    return sqlite3_changes64(T(tx)->db);
}

static err_code lite_insert(store_tx *tx, sq_stmt *st, int64_t *id)
{
    /* SQLite needs no RETURNING, PostgreSQL does: catch the omission here, where every test
     * runs, rather than on the other engine only. */
    const char *src = ((cached *)st)->sql;
    if (src && !strstr(src, "{returning_id}")) {
        log_error("sq_insert on a statement without {returning_id}: %s", src);
        abort();
    }
    err_code e = sq_exec(tx, st);
    if (e == E_OK) *id = sqlite3_last_insert_rowid(T(tx)->db);
    return e;
}

/* One writer connection behind a mutex: every write transaction is serialised already. */
static err_code lite_lock(store_tx *tx, int64_t key)
{
    (void)tx;
    (void)key;
    return E_OK;
}

/* One process serves a file: it leads. */
static int lite_leader(store *st, int64_t key)
{
    (void)st;
    (void)key;
    return 1;
}

static const sq_ops lite_ops = {
    .dialect = SQ_SQLITE,
    .prep = lite_prep,
    .prep_once = lite_prep_once,
    .finalize = lite_finalize,
    .reset = lite_reset,
    .clear = lite_clear,
    .bind_int = lite_bind_int,
    .bind_text = lite_bind_text,
    .bind_blob = lite_bind_blob,
    .bind_null = lite_bind_null,
    .params = lite_params,
    .sql = lite_sql,
    .step = lite_step,
    .col_int = lite_col_int,
    .col_null = lite_col_null,
    .col_count = lite_col_count,
    .col_name = lite_col_name,
    .col_kind = lite_col_kind,
    .col_text = lite_col_text,
    .col_blob = lite_col_blob,
    .changes = lite_changes,
    .insert = lite_insert,
    .after_commit = lite_after_commit,
    .lock = lite_lock,
};

static const store_driver lite_driver = {
    .name = "sqlite",
    .close = lite_close,
    .write = lite_write,
    .write_if_idle = lite_write_if_idle,
    .read = lite_read,
    .backup = lite_backup,
    .schema_version = lite_schema_version,
    .leader = lite_leader,
};
