/*
 * audit — the tamper-evident audit chain.
 *
 * Every change, login, logout, lockout, grant and refusal appends a record
 * {seq, at, actor, action, object, detail, prev, mac} inside the same write transaction as the
 * change. mac = HMAC-SM3(key, record fields || prev) and prev is the previous record's mac, so
 * an edit, deletion or reordering breaks the chain at the first record touched. The key lives
 * in a file outside the database (mode 0600). After each commit the newest (seq, mac) is also
 * written, with its own MAC, to a head file beside the key, so truncating the log's end shows.
 */
#ifndef DUBAN_AUDIT_H
#define DUBAN_AUDIT_H

#include "base/err.h"
#include "base/mem.h"
#include "store/store.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

typedef struct audit audit;

/* Creates a new random key file (mode 0600); refuses to overwrite one. 0 or -1 with err. */
int audit_create_key(const char *key_path, char *err, size_t errlen);
/* Loads the key; the head file is key_path + ".head". NULL with err on failure. */
audit *audit_open(const char *key_path, char *err, size_t errlen);
void audit_close(audit *au);

/* Who did something: a user (id > 0) or the system/CLI (id 0), and from where. */
typedef struct {
    int64_t user_id;
    const char *login; /* "cli:root", "system", or the user's login */
    const char *ip;    /* NULL for the CLI */
} audit_actor;

/*
 * Appends one record within tx. detail (may be NULL) is a JSON object whose reference the call
 * takes; the actor's ip is added to it. Registers the head-file update to run after commit.
 */
err_code audit_append(audit *au, store_tx *tx, arena *a, const audit_actor *actor,
                      const char *action, const char *object, json_t *detail);

typedef struct {
    int ok;
    int64_t records;   /* how many records were read */
    int64_t first_bad; /* first broken seq, 0 when ok (or when only the head file is bad) */
    const char *reason; /* English, static */
    const char *reason_zh; /* Chinese, static */
} audit_report;

/* Walks the whole chain and compares its end with the head file. */
err_code audit_verify(audit *au, store *st, audit_report *out);

/*
 * Writes every record as a JSON line, then a checkpoint line signed with an Ed25519 key derived
 * from the audit key: {"checkpoint":{seq, mac, records, at, verified, public_key, signature}}.
 */
err_code audit_export(audit *au, store *st, FILE *out, audit_report *report);

/*
 * The digest of a county's chain archived by a move (store_audit_archive_*): start from
 * audit_archive_digest_start and fold in every record in seq order. The move's own record in
 * this database's chain holds the result ({"move_id", "archive_records", "archive_digest"}),
 * and audit_verify recomputes it, so an archived record changed later breaks verification
 * without the county's key.
 */
void audit_archive_digest_start(char digest[65]);
void audit_archive_digest_step(char digest[65], const store_audit *r);

/* ---- primitives, exported for tests ---- */
/* SM3 of data as 64 lowercase hex characters. */
void audit_sm3_hex(const void *data, size_t n, char out[65]);
/* The MAC of record r (its mac field is ignored) under key. */
void audit_record_mac(const unsigned char *key, size_t keylen, const store_audit *r,
                      char out[65]);

#endif
