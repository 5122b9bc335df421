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

/* The hex Ed25519 public key that checks checkpoints and archive seals (`duban audit
 * public-key`): an auditor notes it once and checks every archive against it. */
void audit_public_key(const audit *au, char out[65]);

/*
 * An archive for keeping offline (`duban audit archive`): JSON lines — a header {format
 * "duban-audit-archive", version, from, to, public_key}, then every record from the first at or
 * after `from` to the last before `to` (0: open), contiguous in seq and each with its exact
 * detail text, prev and mac, then {"seal":{first_seq, last_seq, records, first_prev, last_mac,
 * digest, at, chain_verified, signature}}. digest folds every record as
 * audit_archive_digest_step does; the Ed25519 signature (the checkpoint key) covers the range,
 * the seal's fields and the digest. The whole live chain is verified in the same snapshot
 * (info->chain) and the seal says whether it was intact.
 */
typedef struct {
    int64_t from, to;
    int64_t first_seq, last_seq, records;
    char digest[65];
    audit_report chain;
} audit_archive_info;
err_code audit_archive(audit *au, store *st, int64_t from, int64_t to, FILE *out,
                       audit_archive_info *info);

typedef struct {
    int ok;
    int64_t line; /* the line at fault (1-based), 0 when ok or when no one line is */
    int64_t records, first_seq, last_seq, from, to, sealed_at;
    int macs_checked;   /* each record's MAC recomputed with the audit key */
    int own_key;        /* checked against the public key the archive itself names */
    int chain_verified; /* the seal says the live chain was intact when it was written */
    char public_key[65];
    char message[512]; /* English, then Chinese in brackets */
} audit_archive_report;

/*
 * Verifies an archive read from in, without the database. With key (the audit key file
 * opened with audit_open), every record's MAC is recomputed, so an altered record is named by
 * its line; with public_key (hex), the seal must be signed by it; with neither, by the key the
 * archive names (rep->own_key: trust only after comparing it with `duban audit public-key`).
 * Without the key, the order (seq and prev), the ends and the digest are checked: a reordered or
 * truncated archive is named by its line, an altered record is found but not located.
 * 0 when intact, -1 with rep->message and rep->line.
 */
int audit_archive_verify(FILE *in, const audit *key, const char *public_key,
                         audit_archive_report *rep);

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
