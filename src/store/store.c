/*
 * store — opening a store picks its driver by the `db` setting; every other store-wide call of
 * store.h goes to the driver the store was opened with (driver.h). The statement calls of sq.h
 * are dispatched the same way, in sq.c.
 */
#include "store/driver.h"

#include "base/config.h"
#include "store/migrate.h"

#include <string.h>

store *store_open_opts(const char *db, const store_options *o, char *err, size_t errlen)
{
    store_options d = *o;
    if (d.readers <= 0) d.readers = 4;
    if (d.pool <= 0) d.pool = 8;
    if (d.statement_timeout_ms <= 0) d.statement_timeout_ms = 30000;
    return config_db_postgres(db) ? store_pg_open(db, &d, err, errlen)
                                  : store_sqlite_open(db, &d, err, errlen);
}

store *store_open(const char *path, int readers, int create, char *err, size_t errlen)
{
    store_options o = {.readers = readers, .create = create, .migrate = 1};
    return store_open_opts(path, &o, err, errlen);
}

void store_close(store *st)
{
    if (st) st->drv->close(st);
}

const char *store_engine(store *st)
{
    return st->drv->name;
}

err_code store_write(store *st, store_fn fn, void *ctx)
{
    return st->drv->write(st, fn, ctx);
}

err_code store_write_if_idle(store *st, store_fn fn, void *ctx)
{
    return st->drv->write_if_idle(st, fn, ctx);
}

err_code store_read(store *st, store_fn fn, void *ctx)
{
    return st->drv->read(st, fn, ctx);
}

err_code store_backup(store *st, const char *path, char *err, size_t errlen)
{
    return st->drv->backup(st, path, err, errlen);
}

int store_schema_version(store *st)
{
    return st->drv->schema_version(st);
}

int store_schema_latest(void)
{
    return migrate_latest();
}

int store_leader(store *st, int64_t key)
{
    return st->drv->leader(st, key);
}

int store_migrations_pending(store *st, const char **names, int max)
{
    int have = store_schema_version(st);
    if (have < 0) return -1;
    const migration_file *list =
        strcmp(st->drv->name, "postgres") == 0 ? migrate_pg : migrate_sqlite;
    int n = 0;
    for (const migration_file *m = list; m->name; m++)
        if (migrate_number(m) > have) {
            if (n < max) names[n] = m->name;
            n++;
        }
    return n;
}
