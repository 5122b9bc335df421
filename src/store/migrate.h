/*
 * migrate — numbered, forward-only schema migrations compiled into the binary.
 *
 * Each file NNNN-name.sql under migrations/sqlite becomes one entry of migrate_files (in order);
 * the database's PRAGMA user_version is the number of the last one applied.
 */
#ifndef DUBAN_MIGRATE_H
#define DUBAN_MIGRATE_H

#include <sqlite3.h>
#include <stddef.h>

typedef struct {
    const char *name; /* "0001-foundation.sql"; NULL ends the list */
    const char *sql;
} migration_file;

extern const migration_file migrate_files[];

/* The schema version this binary brings (the highest migration number). */
int migrate_latest(void);
/*
 * Brings db up to migrate_latest(), each migration in its own transaction. Refuses (returns -1
 * with a message in err) a database whose version is newer than this binary knows.
 */
int migrate_apply(sqlite3 *db, char *err, size_t errlen);

#endif
