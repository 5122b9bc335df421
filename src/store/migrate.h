/*
 * migrate — numbered, forward-only schema migrations compiled into the binary.
 *
 * Each file NNNN-name.sql under migrations/sqlite becomes one entry of migrate_sqlite, and each
 * under migrations/pg one of migrate_pg (in order). Both directories hold the same numbers: one
 * schema, written once per engine. Applying them is the driver's work (store_sqlite.c: PRAGMA
 * user_version is the number of the last one applied; store_pg.c: the table schema_version), so
 * this header names no database engine.
 */
#ifndef DUBAN_MIGRATE_H
#define DUBAN_MIGRATE_H

#include <stddef.h>

typedef struct {
    const char *name; /* "0001-foundation.sql"; NULL ends the list */
    const char *sql;
} migration_file;

extern const migration_file migrate_sqlite[];
extern const migration_file migrate_pg[];

/* The number a migration file's name begins with. */
int migrate_number(const migration_file *m);
/* The highest number in a list. */
int migrate_latest_in(const migration_file *list);
/* The schema version this binary brings (the highest migration number). */
int migrate_latest(void);

#endif
