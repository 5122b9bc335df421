/*
 * store — the only place that knows SQL.
 *
 * A store is one database: an embedded SQLite file (WAL mode, one writer connection behind a
 * mutex, a pool of readers) or a PostgreSQL database (a pool of connections shared by reads and
 * writes, several duban instances in front of it). The `db` setting picks one: a path, or a
 * postgres:// / postgresql:// URI (or libpq's "key=value" form starting with "host=" or
 * "dbname="). The rest of duban sees operations, never SQL: every operation takes a store_tx (a
 * connection inside a transaction) and binds all its parameters.
 *
 *   store_write(st, fn, ctx)  runs fn in one write transaction: the change and its audit record
 *                             commit together exactly once, or not at all.
 *   store_read(st, fn, ctx)   runs fn in one read transaction (a consistent snapshot).
 *
 * Rows come back in caller-owned structs whose strings live in the caller's arena.
 */
#ifndef DUBAN_STORE_H
#define DUBAN_STORE_H

#include "base/err.h"
#include "base/mem.h"

#include <stddef.h>
#include <stdint.h>

typedef struct store store;
typedef struct store_tx store_tx;
typedef err_code (*store_fn)(store_tx *tx, void *ctx);

/* How to open a store; zero fields take their defaults. */
typedef struct {
    int readers;              /* SQLite: reader connections (default 4) */
    int pool;                 /* PostgreSQL: connections for reads and writes (default 8) */
    int statement_timeout_ms; /* PostgreSQL: a statement running longer fails (default 30000) */
    int create;               /* SQLite: create the file if it is missing */
    int migrate;              /* apply pending migrations (a store never runs on an old schema;
                               * 0 only for `duban migrate --check`, which reads the version) */
} store_options;

/*
 * Opens the database `db` names, applies pending migrations (o->migrate) and opens its
 * connections. Refuses a database newer than this binary. On failure returns NULL with the
 * reason in err (never the password of a URI).
 */
store *store_open_opts(const char *db, const store_options *o, char *err, size_t errlen);
/* store_open_opts with `readers` readers and migrations applied. */
store *store_open(const char *path, int readers, int create, char *err, size_t errlen);
/* Waits for no transaction and closes every connection (SQLite: checkpoints the WAL); accepts
 * NULL. */
void store_close(store *st);
/* "sqlite" or "postgres". */
const char *store_engine(store *st);

err_code store_write(store *st, store_fn fn, void *ctx);
err_code store_read(store *st, store_fn fn, void *ctx);
/* store_write, unless another write is running or queued: then E_BUSY at once, nothing done.
 * For bookkeeping that may be skipped (last-seen times), never for a user's change. */
err_code store_write_if_idle(store *st, store_fn fn, void *ctx);
/* Registers fn(arg) to run after this write transaction commits (not on rollback). */
void store_after_commit(store_tx *tx, void (*fn)(void *), void *arg);
/* Online, consistent copy of the database to path (SQLite backup API; PostgreSQL refuses
 * with E_INTERNAL and says why: pg_dump and pg_basebackup do it there). */
err_code store_backup(store *st, const char *path, char *err, size_t errlen);
/* Schema version of the open database; -1 when it cannot be read. */
int store_schema_version(store *st);
/* The highest schema version this binary brings. */
int store_schema_latest(void);
/* The migrations of this binary newer than the open database's version, in order, into names
 * (at most max); returns how many there are, -1 when the version cannot be read. */
int store_migrations_pending(store *st, const char **names, int max);
/*
 * Whether this process holds the database-wide role `key` (the scheduler's: exactly one of
 * several instances ticks). SQLite: always (one process serves a file). PostgreSQL: a session
 * advisory lock on a connection of its own, taken when free and kept while that connection
 * lives; an instance that dies lets another take it.
 */
int store_leader(store *st, int64_t key);

/* ---- meta: small named values ---- */
err_code store_meta_get(store_tx *tx, arena *a, const char *key, const char **value);
err_code store_meta_set(store_tx *tx, const char *key, const char *value);

/* ---- units ---- */
typedef struct {
    int64_t id, parent_id; /* parent_id 0: the root */
    const char *kind, *code, *name, *path;
    int64_t created_at, version;
} store_unit;

/* Inserts u (kind, code, name, parent_id, created_at); sets u->id and u->path. */
err_code store_unit_insert(store_tx *tx, arena *a, store_unit *u);
err_code store_unit_get(store_tx *tx, arena *a, int64_t id, store_unit *out);
err_code store_unit_by_code(store_tx *tx, arena *a, const char *code, store_unit *out);
/* The root of the tree (the county, created first by init). */
err_code store_unit_root(store_tx *tx, arena *a, store_unit *out);
/*
 * Units under any of the path prefixes in scope (a JSON array of paths; NULL: all), in tree
 * order, optionally only the direct children of parent_id (0: any).
 */
err_code store_unit_list(store_tx *tx, arena *a, const char *scope, int64_t parent_id,
                         store_unit **out, size_t *n);
/* Renames; E_CONFLICT when version is given (>0) and differs. Bumps the version. */
err_code store_unit_rename(store_tx *tx, int64_t id, const char *name, int64_t version);
/* Re-parents the unit and rewrites the paths of its whole subtree. */
err_code store_unit_move(store_tx *tx, arena *a, const store_unit *u, const store_unit *new_parent,
                         int64_t version);

typedef struct {
    int64_t id, at;
    const char *actor, *change, *old_value, *new_value;
} store_unit_change;
err_code store_unit_history_add(store_tx *tx, int64_t unit_id, int64_t at, const char *actor,
                                const char *change, const char *old_value, const char *new_value);
err_code store_unit_history(store_tx *tx, arena *a, int64_t unit_id, store_unit_change **out,
                            size_t *n);

/* ---- users ---- */
typedef struct {
    int64_t id, unit_id;
    const char *login, *name, *pw_hash;
    const char *unit_name, *unit_path;
    int64_t must_change, disabled, failed_logins, locked_until, created_at, pw_changed_at, version;
} store_user;

err_code store_user_insert(store_tx *tx, store_user *u); /* sets u->id */
err_code store_user_get(store_tx *tx, arena *a, int64_t id, store_user *out);
err_code store_user_by_login(store_tx *tx, arena *a, const char *login, store_user *out);

typedef struct {
    const char *scope; /* JSON array of unit path prefixes; NULL: all */
    int64_t unit_id;   /* 0: any unit in scope; else this unit's subtree */
    const char *q;     /* substring of login or name; NULL: any */
    int64_t limit, offset;
} store_user_filter;
err_code store_user_list(store_tx *tx, arena *a, const store_user_filter *f, store_user **out,
                         size_t *n, int64_t *total);
/* Replaces the password hash; the one replaced goes to the account's history, of which the
 * newest PASSWORD_HISTORY_KEEP are kept. */
enum { PASSWORD_HISTORY_KEEP = 5 };
err_code store_user_set_password(store_tx *tx, int64_t id, const char *pw_hash, int must_change,
                                 int64_t at);
/* The account's earlier password hashes, newest first (at most PASSWORD_HISTORY_KEEP). */
err_code store_user_password_history(store_tx *tx, arena *a, int64_t id, const char ***hashes,
                                     size_t *n);
/* Marks the account as having to change its password before anything else. */
err_code store_user_require_change(store_tx *tx, int64_t id);
err_code store_user_set_disabled(store_tx *tx, int64_t id, int disabled);
/* Records the outcome of a login attempt: failures count up; locked_until set or cleared. */
err_code store_user_set_login_state(store_tx *tx, int64_t id, int64_t failed_logins,
                                    int64_t locked_until);

/* ---- roles and grants ---- */
typedef struct {
    int64_t id;
    const char *name, *title;
    int builtin;
    const char **perms;
    size_t nperms;
} store_role;

err_code store_role_insert(store_tx *tx, store_role *r); /* with its perms; sets r->id */
err_code store_role_by_name(store_tx *tx, arena *a, const char *name, store_role *out);
err_code store_role_list(store_tx *tx, arena *a, store_role **out, size_t *n);
err_code store_role_set_perms(store_tx *tx, int64_t role_id, const char **perms, size_t n);

typedef struct {
    int64_t id, user_id, role_id, unit_id, created_at;
    const char *user_login, *role_name, *unit_name, *unit_path, *created_by;
} store_grant;

err_code store_grant_insert(store_tx *tx, store_grant *g); /* sets g->id */
err_code store_grant_get(store_tx *tx, arena *a, int64_t id, store_grant *out);
err_code store_grant_delete(store_tx *tx, int64_t id);
/* Grants of one user (user_id > 0) or of every user whose unit lies in scope (NULL: all). */
err_code store_grant_list(store_tx *tx, arena *a, int64_t user_id, const char *scope,
                          store_grant **out, size_t *n);

/* One (permission, unit path) pair a user holds through a grant. */
typedef struct {
    const char *perm, *path;
} store_perm_scope;
err_code store_user_perms(store_tx *tx, arena *a, int64_t user_id, store_perm_scope **out,
                          size_t *n);

/* ---- failed-login counts (table login_throttle; the rules are in account/throttle.c) ---- */
typedef struct {
    int64_t failures, since, blocked_until;
} store_throttle;

/*
 * Counts one failed login under scope (user_id: the account of a pair row, else 0) at now and
 * returns the row: the count starts again at 1 when it began at or before window_start and
 * no block holds at now. Atomic on both engines (one upsert), so instances never lose a count.
 */
err_code store_throttle_count(store_tx *tx, const char *scope, int64_t user_id, int64_t now,
                              int64_t window_start, store_throttle *out);
/* Sets the row's count, its start and its block (after store_throttle_count). */
err_code store_throttle_set(store_tx *tx, const char *scope, const store_throttle *t);
/* When the block of scope ends (0: no row or no block). */
err_code store_throttle_blocked_until(store_tx *tx, const char *scope, int64_t *until);
err_code store_throttle_delete(store_tx *tx, const char *scope);
/* Deletes every pair row of the account; *n: how many held a block at now (may be NULL). */
err_code store_throttle_delete_user(store_tx *tx, int64_t user_id, int64_t now, int64_t *n);
/* Deletes rows whose count began at or before window_start and whose block ended by now. */
err_code store_throttle_prune(store_tx *tx, int64_t window_start, int64_t now);
/* How many pair rows of the account hold a block at now. */
err_code store_throttle_user_blocks(store_tx *tx, int64_t user_id, int64_t now, int64_t *n);

/* ---- sessions and API tokens (looked up by a hash of the secret) ---- */
typedef struct {
    const unsigned char *token_hash; /* 32 bytes */
    int64_t user_id, created_at, last_seen;
    const char *ip, *user_agent;
} store_session;

err_code store_session_insert(store_tx *tx, const store_session *s);
err_code store_session_get(store_tx *tx, arena *a, const unsigned char hash[32],
                           store_session *out);
err_code store_session_touch(store_tx *tx, const unsigned char hash[32], int64_t at);
err_code store_session_delete(store_tx *tx, const unsigned char hash[32]);
err_code store_session_delete_user(store_tx *tx, int64_t user_id);
/* The user's sessions, the most recently used first (token_hash points into the arena). */
err_code store_session_list(store_tx *tx, arena *a, int64_t user_id, store_session **out,
                            size_t *n);
/* Deletes the user's sessions beyond the keep most recently used; *deleted counts them. */
err_code store_session_trim(store_tx *tx, int64_t user_id, int64_t keep, int64_t *deleted);
/* Deletes the user's sessions except the one with hash keep (NULL: all). */
err_code store_session_delete_user_except(store_tx *tx, int64_t user_id, const unsigned char *keep);

typedef struct {
    int64_t id, user_id, created_at, last_used, revoked_at;
    const char *name;
} store_token;
err_code store_token_insert(store_tx *tx, store_token *t, const unsigned char hash[32]);
err_code store_token_by_hash(store_tx *tx, arena *a, const unsigned char hash[32],
                             store_token *out);
err_code store_token_list(store_tx *tx, arena *a, int64_t user_id, store_token **out, size_t *n);
err_code store_token_revoke(store_tx *tx, int64_t id, int64_t user_id, int64_t at);
/* Revokes every live token of the user. */
err_code store_token_revoke_user(store_tx *tx, int64_t user_id, int64_t at);
/* Records a use of the token (callers throttle how often). */
err_code store_token_touch(store_tx *tx, int64_t id, int64_t at);

/* ---- audit log ---- */
typedef struct {
    int64_t seq, at, actor_id; /* actor_id 0: no user (CLI, system, unknown login) */
    const char *actor, *action, *object, *detail, *prev, *mac;
} store_audit;

/* The last record's seq and mac (seq 0 and mac "" when the log is empty), read under the
 * chain's append lock (sq_lock): only inside the write transaction that appends. */
err_code store_audit_last(store_tx *tx, arena *a, int64_t *seq, const char **mac);
err_code store_audit_insert(store_tx *tx, const store_audit *r);
/* Calls fn for each record in seq order; stops early when fn returns non-zero. */
err_code store_audit_each(store_tx *tx, int (*fn)(const store_audit *r, void *ctx), void *ctx);

/* The chain of a county moved into this database (`duban move-to-postgres`), as it was. */
err_code store_audit_archive_insert(store_tx *tx, int64_t move_id, const store_audit *r);
err_code store_audit_archive_each(store_tx *tx, int64_t move_id,
                                  int (*fn)(const store_audit *r, void *ctx), void *ctx);

typedef struct {
    const char *actor, *action, *object; /* exact actor/action; object prefix; NULL: any */
    int64_t from, to;                    /* at >= from, at < to; 0: open */
    int64_t before;                      /* seq < before (for paging backwards); 0: newest */
    int64_t limit;
} store_audit_filter;
err_code store_audit_list(store_tx *tx, arena *a, const store_audit_filter *f, store_audit **out,
                          size_t *n);

/* ---- calendar years added after the built-in data ---- */
typedef struct {
    int64_t year;
    const char *notice, *source; /* source: the year's lines in data/calendar format */
} store_calendar_year;
err_code store_calendar_years(store_tx *tx, arena *a, store_calendar_year **out, size_t *n);
err_code store_calendar_year_insert(store_tx *tx, int64_t year, const char *notice,
                                    const char *source);
/*
 * How a working-day deadline of a flow's item was counted (start day, number of working days),
 * kept while the count ran over a year without a holiday notice so that it can be counted
 * again once the year is imported. start_on NULL removes it. get: E_NOT_FOUND when none.
 */
err_code store_deadline_basis_set(store_tx *tx, const char *flow, int64_t item_id,
                                  const char *slot, const char *start_on, int64_t workdays);
err_code store_deadline_basis_get(store_tx *tx, arena *a, const char *flow, int64_t item_id,
                                  const char *slot, const char **start_on, int64_t *workdays);

/* ---- attachments (evidence files; the bytes live outside the database) ---- */
typedef struct {
    int64_t id, item_id, event_id, size, created_by, created_at;
    const char *sha256, *mime, *filename, *flow;
} store_attachment;

err_code store_attachment_insert(store_tx *tx, store_attachment *at); /* sets at->id */
err_code store_attachment_get(store_tx *tx, arena *a, int64_t id, store_attachment *out);
err_code store_attachment_list(store_tx *tx, arena *a, const char *flow, int64_t item_id,
                               store_attachment **out, size_t *n);
/* Binds an unused attachment of the item to an event; *ok 0 when it is not such a one. */
err_code store_attachment_bind(store_tx *tx, const char *flow, int64_t item_id, int64_t id,
                               int64_t event_id, int *ok);

/* ---- files kept in the database (no files directory): content-addressed parts ---- */

/* Stores the bytes whose SHA-256 is sha256 (hex), unless they are stored already. */
err_code store_file_put(store_tx *tx, const char *sha256, const void *data, size_t n);
/* The bytes stored under sha256, in a malloc'd buffer (the caller frees; *n may be 0);
 * E_NOT_FOUND when there are none. */
err_code store_file_get(store_tx *tx, const char *sha256, unsigned char **data, size_t *n);

/* ---- notifications and the scheduler's queries ---- */
typedef struct {
    int64_t id, user_id, item_id, created_at, read_at;
    const char *kind, *flow, *title, *body;
} store_notification;

/*
 * What runs inside the transaction of every notification added (once, when it is new): the
 * outbound service (notify/) installs it, so each notification of any mechanism can reach the
 * unit's robots and the person's e-mail through the outbox in the same transaction. An error
 * rolls the whole change back. NULL: none.
 */
typedef err_code (*store_notification_hook)(store_tx *tx, const store_notification *n,
                                            const char *dedupe);
void store_notification_set_hook(store_notification_hook hook);
/* Adds a notification unless one with the same dedupe key exists; *added 1 when it was new. */
err_code store_notification_add(store_tx *tx, const store_notification *n, const char *dedupe,
                                int *added);
err_code store_notification_list(store_tx *tx, arena *a, int64_t user_id, int unread_only,
                                 int64_t limit, int64_t offset, store_notification **out, size_t *n,
                                 int64_t *unread);
/* Marks one (id > 0) or all of the user's notifications read. */
err_code store_notification_read(store_tx *tx, int64_t user_id, int64_t id, int64_t at);

/*
 * Active users who hold perm through a grant covering the unit at unit_path; with
 * member_of > 0 only users who belong to that unit.
 */
err_code store_users_with_perm(store_tx *tx, arena *a, const char *perm, const char *unit_path,
                               int64_t member_of, int64_t **ids, size_t *n);

/* ---- flow events ---- */
typedef struct {
    int64_t id, item_id, actor_id, at;
    const char *flow, *action, *from_state, *to_state, *actor, *fields, *note;
} store_event;

err_code store_event_insert(store_tx *tx, store_event *e); /* sets e->id */
err_code store_event_list(store_tx *tx, arena *a, const char *flow, int64_t item_id,
                          store_event **out, size_t *n);
/* The id of the last event of action on the item (0: none). */
err_code store_event_last_id(store_tx *tx, const char *flow, int64_t item_id, const char *action,
                             int64_t *event_id);
/* The user who last took action on the item (0: nobody). */
err_code store_event_last_actor(store_tx *tx, const char *flow, int64_t item_id, const char *action,
                                int64_t *user_id);

#endif
