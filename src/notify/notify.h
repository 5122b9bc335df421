/*
 * notify — the outbound service: what reaches people outside duban (钉钉 and 企业微信 group
 * robots, e-mail over SMTP), through a durable outbox.
 *
 * Every notification any mechanism adds (store_notification_add) passes through the hook this
 * service installs: by the rule of its kind (nearest unit's rule, else the built-in default) it
 * becomes outbox rows for the recipient's unit's robots and the recipient's e-mail, written in
 * the same transaction, at once or held for the 08:30 digest of the next working day, and
 * deferred over quiet hours and holidays unless urgent. A worker thread claims due rows under a
 * lease (portable SQL: several instances on one PostgreSQL database never send a row twice at
 * once), sends them with libcurl, retries with exponential backoff, keeps to the per-robot rate
 * limit, and leaves a dead letter with the platform's error after the last attempt. Each
 * message carries its dedupe key (X-Duban-Message-Id, Message-ID), so a receiver can drop the
 * one resend that a kill -9 between sending and recording may cause.
 *
 * Secrets (the 钉钉 signing secret, the 企业微信 key, the SMTP password) are sealed with
 * AES-256-GCM under a key derived from the audit key file and never logged.
 */
#ifndef DUBAN_NOTIFY_H
#define DUBAN_NOTIFY_H

#include "base/config.h"
#include "base/err.h"
#include "base/mem.h"
#include "flow/calendar.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

/*
 * What an item is, for a message: its unit, its deadline and the UI path it opens at. A
 * mechanism-aware describer is registered by the mechanism layer (notify_set_describer);
 * without one the recipient's unit and the notifications page are used.
 */
typedef struct {
    const char *unit_name; /* "" when unknown */
    const char *deadline;  /* "YYYY-MM-DD" or "" */
    const char *path;      /* "/problems/12" */
} notify_item;
typedef err_code (*notify_describer)(store_tx *tx, arena *a, const char *flow, int64_t item_id,
                                     notify_item *out);
void notify_set_describer(notify_describer fn);

/*
 * Opens the service for this process: the settings, the sealing key derived from key_path (the
 * audit key), the calendar working days come from (*cal is read on each use: it is replaced
 * when a year is imported), and the notification hook. 0, or -1 with err.
 */
int notify_open(const config *cfg, const char *key_path, calendar *_Atomic *cal, char *err,
                size_t errlen);
void notify_close(void);

/* ---- secrets ---- */
/* Seals text into a heap buffer (nonce | ciphertext | tag); the caller frees. */
unsigned char *notify_seal(const char *text, size_t *n);
/* The text sealed in b (heap, caller frees with notify_wipe_free), or NULL when it is not one. */
char *notify_unseal(const unsigned char *b, size_t n);
/* The same under a given key; the key derived from an audit key file (0, or -1 when it cannot
 * be read) — a moved county's secrets are opened with its own and sealed with this one's. */
int notify_key_derive(const char *key_path, unsigned char key[32]);
unsigned char *notify_seal_with(const unsigned char key[32], const char *text, size_t *n);
char *notify_unseal_with(const unsigned char key[32], const unsigned char *b, size_t n);
void notify_wipe_free(char *s);

/* ---- channels ---- */
typedef struct {
    int64_t id, unit_id, enabled, created_at, version, has_secret;
    const char *kind, *name, *target, *keyword, *sender, *unit_name, *unit_path;
    const unsigned char *secret; /* sealed */
    size_t secret_len;
} notify_channel;

err_code notify_channel_list(store_tx *tx, arena *a, const char *scope, notify_channel **out,
                             size_t *n);
err_code notify_channel_get(store_tx *tx, arena *a, int64_t id, notify_channel *out);
/* Inserts (sets c->id) or, with c->id, updates under c->version; secret NULL keeps the sealed
 * one, "" clears it. */
err_code notify_channel_save(store_tx *tx, notify_channel *c, const char *secret, int64_t now);

/* A message as it is sent. */
typedef struct {
    const char *dedupe, *title, *body, *recipient, *mention;
} notify_message;

/*
 * Sends m on channel c now (libcurl), outside any transaction. E_OK, or an error with the
 * platform's or the transport's message in err (never the secret).
 */
err_code notify_send(const notify_channel *c, const notify_message *m, char *err, size_t errlen);

/* ---- rules ---- */
typedef struct {
    const char *kind; /* "problem.overdue" */
    int robot, email, urgent;
    const char *mode; /* now, digest, off */
} notify_rule;
/* The built-in rules, ending with a NULL kind. */
extern const notify_rule notify_default_rules[];
/* The rule for kind over the unit at unit_path: the nearest unit's row, else the default. */
err_code notify_rule_for(store_tx *tx, arena *a, const char *kind, const char *unit_path,
                         notify_rule *out);
err_code notify_rule_set(store_tx *tx, int64_t unit_id, const notify_rule *r);
/* The rows set on the unit itself. */
err_code notify_rule_list(store_tx *tx, arena *a, int64_t unit_id, notify_rule **out, size_t *n);

/* ---- the outbox ---- */
typedef struct {
    int64_t id, channel_id, attempts, next_at, created_at, sent_at;
    const char *dedupe, *recipient, *title, *state, *last_error, *source, *channel_name,
        *channel_kind, *unit_name;
} notify_outbox_row;

/* Enqueues one message for channel at once (the test send, 催办): pending at now. */
err_code notify_enqueue(store_tx *tx, int64_t channel_id, const notify_message *m,
                        const char *source, int64_t now, int *added);
/* Rows of the channels in scope in a state (NULL: any), newest first. */
err_code notify_outbox_list(store_tx *tx, arena *a, const char *scope, const char *state,
                            int64_t limit, int64_t offset, notify_outbox_row **out, size_t *n,
                            int64_t *total);
/* A dead letter back to pending, its attempts reset; E_NOT_FOUND when it is not dead. */
err_code notify_outbox_retry(store_tx *tx, int64_t id, int64_t now, int64_t *channel_id);

/*
 * The digests due at now: on a working day at or after notify_digest_at, once per day, the held
 * rows of each robot channel become one message, and held e-mails one per address. *made: the
 * digest messages written.
 */
err_code notify_digest(store_tx *tx, arena *a, int64_t now, int *made);

/*
 * Sends what is due at now (claims, sends, records), until nothing is due or max messages are
 * done; the number sent. Used by the worker and by `duban tick`.
 */
int notify_run_once(store *st, int64_t now, int max);

typedef struct notify_worker notify_worker;
/* Starts the worker thread of `duban serve`; NULL when it cannot be started. */
notify_worker *notify_worker_start(store *st);
/* Stops it after the message in flight is recorded; accepts NULL. */
void notify_worker_stop(notify_worker *w);

/* The settings notify_open read (for the mechanism's urge interval and links). */
const config *notify_config(void);
/* The local day and minute of t (Asia/Shanghai), and whether now is quiet or a day off. */
int notify_quiet_at(int64_t t);
/* The next instant at or after t that is a working day at the digest time. */
int64_t notify_next_morning(int64_t t);
/* Whether the digest of the day is due at t: a working day, at or after notify_digest_at. */
int notify_digest_due(int64_t t);

#endif
