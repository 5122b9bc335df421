/*
 * store_int — helpers shared by the store's operation files; not for use outside src/store/.
 *
 * sq_prep returns a cached prepared statement for a static SQL string (keyed by its address),
 * reset and with bindings cleared; sq_bind binds parameters by a format ("i" int64, "s" text or
 * NULL, "b" blob pointer and int length, "n" NULL); sq_err maps an SQLite result to an err_code.
 */
#ifndef DUBAN_STORE_INT_H
#define DUBAN_STORE_INT_H

#include "base/mem.h"
#include "store/store.h"

#include <sqlite3.h>

/*
 * SQL condition: the unit path in column `col` lies under some path of the JSON array bound
 * as ?1 (a principal's scope); ?1 NULL means everywhere.
 */
#define IN_SCOPE(col)                                                                              \
    "(?1 IS NULL OR EXISTS (SELECT 1 FROM json_each(?1) j"                                         \
    " WHERE substr(" col ", 1, length(j.value)) = j.value))"

/* SQL condition: the unit path in `col` lies in the subtree whose path is bound as ?2 (NULL: any). */
#define IN_SUBTREE(col) "(?2 IS NULL OR substr(" col ", 1, length(?2)) = ?2)"

sqlite3_stmt *sq_prep(store_tx *tx, const char *sql);
/* A statement prepared for one use, outside the cache; the caller finalizes it. */
sqlite3_stmt *sq_prep_once(store_tx *tx, const char *sql);
int sq_bind(sqlite3_stmt *st, const char *fmt, ...);
err_code sq_err(store_tx *tx, int rc);
/* Steps a statement that returns no rows; maps the outcome. */
err_code sq_exec(store_tx *tx, sqlite3_stmt *st);
/* Column i as an arena string ("" for NULL). */
const char *sq_text(arena *a, sqlite3_stmt *st, int i);
sqlite3 *sq_db(store_tx *tx);

/* Reads the current row of st into row (a struct of the caller's type); strings into a. */
typedef void (*sq_read_fn)(arena *a, sqlite3_stmt *st, void *row);
/*
 * Steps st to its end, reading each row with read into a growing array of size-byte rows
 * (*out, *n); resets st. E_OK, or the mapped SQLite error.
 */
err_code sq_collect(store_tx *tx, arena *a, sqlite3_stmt *st, size_t size, sq_read_fn read,
                    void **out, size_t *n);

/* Steps a count(*) statement (already bound) into *total; resets it. */
err_code sq_count(store_tx *tx, sqlite3_stmt *st, int64_t *total);
/* Steps a single-row statement into row via read; E_NOT_FOUND when there is none. */
err_code sq_one(store_tx *tx, arena *a, sqlite3_stmt *st, sq_read_fn read, void *row);
/* Executes an insert and reports the new row id. */
err_code sq_insert(store_tx *tx, sqlite3_stmt *st, int64_t *id);
/* Executes an update guarded by version: E_CONFLICT when no row changed, else bumps *version. */
err_code sq_versioned(store_tx *tx, sqlite3_stmt *st, int64_t *version);
/* Binds an optional id at i: 0 becomes NULL (a foreign key left empty). */
void sq_bind_ref(sqlite3_stmt *st, int i, int64_t id);

/* Grows a row array by one (doubling), returning the new slot zeroed. */
void *sq_push(arena *a, void **rows, size_t *n, size_t *cap, size_t size);

#endif
