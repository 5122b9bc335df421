/*
 * sq — the store's portable statement layer: the only way SQL runs outside a driver file.
 *
 * An operation (store_*.c, later each mechanism's sql.c) prepares a static SQL string, binds
 * its parameters, steps it and reads columns, all through this header; none of it names a
 * database engine. The engine lives in one driver file (store_sqlite.c, store_pg.c), which owns
 * the connections, the transactions and the statement cache; each function here reaches the
 * driver of the statement or transaction it is given (driver.h).
 *
 * SQL is written once for every dialect: the subset SQLite and PostgreSQL both run, plus the
 * few fragments below ({in_scope col}, {instr a, b}, …) that the driver replaces with its
 * dialect's text when it prepares a statement (once per cached statement; see sq_dialect_sql).
 * Parameters are "?" or "?N" as in SQLite; the PostgreSQL rewrite turns them into "$N" in the
 * same pass. docs/design.md "Portable SQL" lists
 * each SQLite-only construct the store had and what replaced it.
 *
 * Ownership: statements from sq_prep belong to the connection's cache (never finalize them);
 * those from sq_prep_once belong to the caller (sq_finalize). Column text is copied into the
 * caller's arena unless the function says it is borrowed.
 */
#ifndef DUBAN_SQ_H
#define DUBAN_SQ_H

#include "base/err.h"
#include "base/mem.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

typedef struct sq_stmt sq_stmt;

/* The kind of a column's value in the current row (sq_column_kind). */
typedef enum { SQ_NULL, SQ_INTEGER, SQ_REAL, SQ_TEXT, SQ_BLOB } sq_kind;

/*
 * What sq_step returns besides an error: SQ_DONE is E_OK, so "finished or failed" is already
 * an err_code, and SQ_ROW lies outside every err_code.
 */
enum { SQ_DONE = E_OK, SQ_ROW = E__COUNT };

/*
 * ---- fragments: written inside the SQL text, replaced by the driver at prepare time ----
 *
 * A fragment is "{name}" or "{name argument}" (no braces inside), written in the string
 * literal itself so the SQL stays one readable literal; sq.c holds each dialect's text.
 *
 *   {in_scope col}     the unit path in column col lies under some path of the JSON array
 *                      bound as ?1 (a principal's scope); ?1 NULL means everywhere
 *   {in_subtree col}   the unit path in col lies in the subtree whose path is bound as ?2
 *                      (NULL: any)
 *   {json_each p}      the text elements of the JSON array in parameter p, as a table with
 *                      one column `value`
 *   {instr a, b}       the 1-based position of b's text in a's, 0 when absent
 *   {next_day d}       the 'YYYY-MM-DD' date after the one in expression d
 *   {unindexed x}      expression x, hidden from SQLite's planner so that it picks no index
 *                      for it (see its use)
 *   {rowid}            a table's insertion order, for tables whose key is not a number
 *   {returning_id}     ends every insert run by sq_insert: how the dialect hands back the id
 *
 * A name not in the table aborts at prepare time, naming the statement (a bug in our SQL).
 */

typedef enum { SQ_SQLITE, SQ_POSTGRES, SQ__DIALECTS } sq_dialect;

/*
 * sql in the given dialect: its fragments replaced and, for PostgreSQL, its parameters
 * numbered $N. NULL when sql needs no change (the driver then prepares sql itself); otherwise
 * a string the caller frees. Aborts on an unknown or unterminated fragment (a bug in our SQL).
 */
char *sq_dialect_sql(sq_dialect d, const char *sql);

/* ---- statements (the driver) ---- */

/*
 * The connection's prepared statement for a static SQL string, cached by the string's address
 * (so sql must live as long as the process), reset and with its bindings cleared. Aborts when
 * the SQL does not prepare: our own SQL being wrong is a bug, not an input error.
 */
sq_stmt *sq_prep(store_tx *tx, const char *sql);
/* A statement prepared for one use, outside the cache (sql may be freed after); sq_finalize it. */
sq_stmt *sq_prep_once(store_tx *tx, const char *sql);
void sq_finalize(sq_stmt *st);
/* Makes st ready to run again, keeping its bindings (sq_prep also clears them). */
void sq_reset(sq_stmt *st);

/*
 * Typed binds at a 1-based index. Text and blobs are copied. A NULL text binds NULL. An index
 * the statement does not have is ignored: a filter binds every parameter its terms might use.
 */
void sq_bind_int(sq_stmt *st, int i, int64_t v);
void sq_bind_text(sq_stmt *st, int i, const char *s);
void sq_bind_blob(sq_stmt *st, int i, const void *p, size_t n);
void sq_bind_null(sq_stmt *st, int i);

/* The highest parameter number st has, and its SQL as prepared (for messages). */
int sq_params(sq_stmt *st);
const char *sq_sql(sq_stmt *st);

/* One step: SQ_ROW (columns readable), SQ_DONE, or the error as an err_code. */
int sq_step(sq_stmt *st);

/* Columns of the current row, 0-based. */
int64_t sq_int(sq_stmt *st, int i);
int sq_is_null(sq_stmt *st, int i);
/* Column i as an arena string, "" for NULL. */
const char *sq_text(arena *a, sq_stmt *st, int i);
/* Column i as an arena string, NULL for NULL. */
const char *sq_text_or_null(arena *a, sq_stmt *st, int i);
/* Column i borrowed from the statement ("" for NULL): valid until the next step or reset. */
const char *sq_text_peek(sq_stmt *st, int i);
/* Column i's bytes borrowed from the statement, their number in *n; NULL for NULL. */
const void *sq_blob(sq_stmt *st, int i, size_t *n);

/*
 * The shape of a result, for code that copies rows it does not know in advance (the move of a
 * county's database): the number of columns, a column's name (borrowed from the statement),
 * and the kind of the current row's value in column i.
 */
int sq_columns(sq_stmt *st);
const char *sq_column_name(sq_stmt *st, int i);
sq_kind sq_column_kind(sq_stmt *st, int i);

/* The number of rows the last finished insert, update or delete on tx changed. */
int64_t sq_changes(store_tx *tx);
/* Executes an insert ending in {returning_id} and reports the new row's id; resets st. */
err_code sq_insert(store_tx *tx, sq_stmt *st, int64_t *id);
/*
 * Serialises the rest of this write transaction with every other transaction that takes key,
 * until it commits or rolls back (the audit chain's append: one chain per database). SQLite has
 * one writer already; PostgreSQL takes a transaction advisory lock.
 */
err_code sq_lock(store_tx *tx, int64_t key);
/* The dialect of the engine tx runs on. */
sq_dialect sq_tx_dialect(store_tx *tx);

/* ---- helpers every operation file uses (portable, sq.c) ---- */

/*
 * Binds parameters 1, 2, … by a format: 'i' int64_t, 's' text or NULL, 'b' a blob as a pointer
 * and an int length, 'n' NULL. More values than the statement has parameters aborts (a bug).
 */
void sq_bind(sq_stmt *st, const char *fmt, ...);
/* Binds an optional id at i: 0 becomes NULL (a foreign key left empty). */
void sq_bind_ref(sq_stmt *st, int i, int64_t id);

/* Steps a statement that returns no rows; resets it. E_OK or the error. */
err_code sq_exec(store_tx *tx, sq_stmt *st);
/* sq_exec for a write that must change a row: `none` (E_NOT_FOUND, E_CONFLICT) if none changed. */
err_code sq_exec_some(store_tx *tx, sq_stmt *st, err_code none);
/* Executes an update guarded by version: E_CONFLICT when no row changed, else bumps *version. */
err_code sq_versioned(store_tx *tx, sq_stmt *st, int64_t *version);

/* Reads the current row of st into row (a struct of the caller's type); strings into a. */
typedef void (*sq_read_fn)(arena *a, sq_stmt *st, void *row);
/*
 * Steps st to its end, reading each row with read into a growing array of size-byte rows
 * (*out, *n); resets st. E_OK or the error.
 */
err_code sq_collect(store_tx *tx, arena *a, sq_stmt *st, size_t size, sq_read_fn read, void **out,
                    size_t *n);
/* Steps a single-row statement into row via read; E_NOT_FOUND when there is none; resets st. */
err_code sq_one(store_tx *tx, arena *a, sq_stmt *st, sq_read_fn read, void *row);
/* Steps a count(*) (or any one-integer) statement, already bound, into *total; resets it. */
err_code sq_count(store_tx *tx, sq_stmt *st, int64_t *total);
/*
 * Steps a statement of at most one row into *v (its first column); *v = dflt when there is no
 * row. E_OK either way, or the error; resets st.
 */
err_code sq_int_or(store_tx *tx, sq_stmt *st, int64_t dflt, int64_t *v);

/* Grows a row array by one (doubling), returning the new slot zeroed. */
void *sq_push(arena *a, void **rows, size_t *n, size_t *cap, size_t size);

#endif
