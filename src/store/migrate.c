/* migrate — applies the embedded migrations in order (see migrate.h). */
#include "store/migrate.h"

#include "base/log.h"

#include <stdio.h>
#include <stdlib.h>

static int number_of(const migration_file *m)
{
    return atoi(m->name);
}

int migrate_latest(void)
{
    int latest = 0;
    for (const migration_file *m = migrate_files; m->name; m++)
        if (number_of(m) > latest) latest = number_of(m);
    return latest;
}

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

static int apply_one(sqlite3 *db, const migration_file *m, char *err, size_t errlen)
{
    char *msg = NULL;
    char *sql = sqlite3_mprintf("BEGIN IMMEDIATE; %s\n; PRAGMA user_version = %d; COMMIT;", m->sql,
                                number_of(m));
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

int migrate_apply(sqlite3 *db, char *err, size_t errlen)
{
    int have = user_version(db), latest = migrate_latest();
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
    for (const migration_file *m = migrate_files; m->name; m++)
        if (number_of(m) > have && apply_one(db, m, err, errlen)) return -1;
    return 0;
}
