/*
 * driver — what a database driver implements, private to src/store/.
 *
 * duban has two drivers: store_sqlite.c (one county on an embedded file) and store_pg.c (many
 * counties on one PostgreSQL behind several instances). store.c picks one by the `db` setting
 * and sq.c turns every public call of store.h and sq.h into a call through these tables, so the
 * operation files and the mechanisms never learn which engine runs them.
 *
 * Each driver's store, transaction and statement structs begin with the base struct below (a
 * pointer to one is a pointer to the other), which carries the driver's table: a process may
 * hold both kinds at once (`duban move-to-postgres` reads SQLite and writes PostgreSQL).
 */
#ifndef DUBAN_STORE_DRIVER_H
#define DUBAN_STORE_DRIVER_H

#include "store/sq.h"

/* The statement and transaction primitives; sq.c builds every helper of sq.h on them. */
typedef struct sq_ops {
    sq_dialect dialect;
    sq_stmt *(*prep)(store_tx *tx, const char *sql);
    sq_stmt *(*prep_once)(store_tx *tx, const char *sql);
    void (*finalize)(sq_stmt *st);
    void (*reset)(sq_stmt *st);
    void (*clear)(sq_stmt *st);
    void (*bind_int)(sq_stmt *st, int i, int64_t v);
    void (*bind_text)(sq_stmt *st, int i, const char *s, size_t n);
    void (*bind_blob)(sq_stmt *st, int i, const void *p, size_t n);
    void (*bind_null)(sq_stmt *st, int i);
    int (*params)(sq_stmt *st);
    const char *(*sql)(sq_stmt *st);
    int (*step)(sq_stmt *st);
    int64_t (*col_int)(sq_stmt *st, int i);
    int (*col_null)(sq_stmt *st, int i);
    /* Column i's text (NULL for NULL) and its length in bytes, borrowed until the next step. */
    const char *(*col_text)(sq_stmt *st, int i, size_t *n);
    const void *(*col_blob)(sq_stmt *st, int i, size_t *n);
    /* The result's shape: its number of columns, a column's name, the kind of its value. */
    int (*col_count)(sq_stmt *st);
    const char *(*col_name)(sq_stmt *st, int i);
    sq_kind (*col_kind)(sq_stmt *st, int i);
    int64_t (*changes)(store_tx *tx);
    err_code (*insert)(store_tx *tx, sq_stmt *st, int64_t *id);
    void (*after_commit)(store_tx *tx, void (*fn)(void *), void *arg);
    err_code (*lock)(store_tx *tx, int64_t key);
} sq_ops;

struct sq_stmt {
    const sq_ops *ops;
};

struct store_tx {
    const sq_ops *ops;
};

/* The store-wide operations of store.h. */
typedef struct store_driver {
    const char *name; /* "sqlite", "postgres" */
    void (*close)(store *st);
    err_code (*write)(store *st, store_fn fn, void *ctx);
    err_code (*write_if_idle)(store *st, store_fn fn, void *ctx);
    err_code (*read)(store *st, store_fn fn, void *ctx);
    err_code (*backup)(store *st, const char *path, char *err, size_t errlen);
    int (*schema_version)(store *st);
    int (*leader)(store *st, int64_t key);
} store_driver;

struct store {
    const store_driver *drv;
};

store *store_sqlite_open(const char *path, const store_options *o, char *err, size_t errlen);
store *store_pg_open(const char *conninfo, const store_options *o, char *err, size_t errlen);

#endif
