/*
 * testutil — a fresh, initialised duban database per test, made cheaply.
 *
 * The first tu_env_open() of a test binary runs setup_init once into a template directory
 * (three argon2id hashes, ~0.3 s); every environment after that is a byte copy of the
 * template's database, audit key and head file in a new temp dir, opened with app_open. The
 * template is removed at exit. Administrator passwords come from DUBAN_*_PASSWORD
 * (TU_ADMIN_PASSWORD and friends), so no one-time password is printed.
 *
 * Units and users added through the helpers here are real rows: units go through
 * org_unit_add as the system principal (so they have history and audit records); users are
 * inserted straight through the store with a fixed, valid argon2id hash of TU_USER_PASSWORD,
 * which keeps tests that need many accounts fast.
 */
#ifndef DUBAN_TESTUTIL_H
#define DUBAN_TESTUTIL_H

#include "auth/authz.h"
#include "base/config.h"
#include "core/app.h"

#include <sqlite3.h>
#include <stdint.h>

#define TU_ADMIN_PASSWORD "Duban#2024x"
#define TU_SECADMIN_PASSWORD "Duban#2024y"
#define TU_AUDITOR_PASSWORD "Duban#2024z"
#define TU_USER_PASSWORD "Duban#2024u"

typedef struct {
    char *dir;  /* the environment's temp dir */
    char *db;   /* dir/t.db */
    char *key;  /* dir/t.db.key (its head file: key + ".head") */
    char *head;
    config cfg;
    app ap;
    arena *a;      /* freed by tu_env_close */
    principal sys; /* the system principal (CLI) */
} tu_env;

/* Asserts an err_code, naming both codes when they differ. */
#define assert_err(expr, want)                                                                     \
    do {                                                                                           \
        err_code got_ = (expr), want_ = (want);                                                    \
        if (got_ != want_) fail_msg("%s: got %s, want %s", #expr, err_name(got_), err_name(want_)); \
    } while (0)

/* A new empty temp dir (heap string; "/tmp/duban-<tag>-XXXXXX"). */
char *tu_tempdir(const char *tag);
/* Removes dir and everything under it; frees nothing. */
void tu_rmtree(const char *dir);

/* A freshly initialised database with an open app; fails the test on any error. */
tu_env *tu_env_open(void);
/* Closes the app and removes the environment's directory; accepts NULL. */
void tu_env_close(tu_env *e);

/* Adds a unit as the system principal; returns its id. */
int64_t tu_unit(tu_env *e, const char *code, const char *kind, int64_t parent_id);
/* The path of unit id ("/1/5/"), in e->a. */
const char *tu_unit_path(tu_env *e, int64_t id);
/* Adds an active user (password TU_USER_PASSWORD, no forced change); returns its id. */
int64_t tu_user(tu_env *e, const char *login, int64_t unit_id);
/* Grants role to user over unit as the system principal; returns the grant id. */
int64_t tu_grant(tu_env *e, int64_t user_id, const char *role, int64_t unit_id);
/* A principal for the user with the grants stored in the database. */
principal tu_principal(tu_env *e, int64_t user_id);

/* A raw SQLite connection to the environment's database (for counting and tampering). */
sqlite3 *tu_raw(tu_env *e);
/* Runs sql on a raw connection; fails the test when it fails. */
void tu_exec(sqlite3 *db, const char *sql);
/* The single integer the query returns; fails the test otherwise. */
int64_t tu_query_int(sqlite3 *db, const char *sql);
/* count(*) of a table of the environment's database, through a fresh raw connection. */
int64_t tu_count(tu_env *e, const char *table);

#endif
