/*
 * config — duban's settings, from four sources in rising precedence: built-in defaults, a
 * config file (`key = value` lines), environment variables (DUBAN_<KEY>, upper case) and
 * command-line flags (--key VALUE or --key=VALUE). One table describes every setting, so all
 * sources are parsed and validated alike, and every refusal names the setting and the source.
 */
#ifndef DUBAN_CONFIG_H
#define DUBAN_CONFIG_H

#include <stdint.h>
#include <stdio.h>

typedef struct config {
    char *config;         /* the config file read, if any */
    char *db;             /* SQLite database path */
    char *listen;         /* ADDR:PORT to serve on */
    char *key_file;       /* audit key; default: <db>.key */
    char *county;         /* name of the root unit created by init */
    char *root_kind;      /* kind of that root: county, city or province */
    char *flows_dir;      /* directory of flow definitions; empty: the built-in ones */
    char *files_dir;      /* evidence files; default: <db>.files */
    int64_t threads;      /* HTTP worker threads */
    int64_t readers;      /* reader connections in the store pool (SQLite) */
    int64_t pg_pool;      /* connections per instance (PostgreSQL) */
    int64_t pg_statement_timeout; /* milliseconds before a statement is cancelled */
    int64_t body_limit;   /* largest accepted request body, bytes */
    int64_t upload_limit; /* largest evidence file, bytes */
    int64_t session_idle; /* seconds without a request before a session ends */
    int64_t session_max;  /* seconds after login when a session ends regardless */
    int64_t lockout_threshold; /* failed logins at one (account, address) that lock the pair */
    int64_t lockout_account_threshold; /* failed logins from anywhere that lock the account */
    int64_t lockout_seconds;   /* how long such a lock lasts */
    int64_t throttle_window;   /* seconds over which failures per address and overall count */
    int64_t throttle_address;  /* failures from one address in the window before waits */
    int64_t throttle_global;   /* failures overall in the window before waits for everyone */
    int64_t throttle_max_delay; /* longest wait, seconds */
    int64_t password_max_age_days; /* 0: passwords never expire */
    int64_t max_sessions;          /* per account; 0: no limit */
    int64_t audit_disk_warn_mb;    /* warn the auditor below this much free space (SQLite); 0: off */
    int64_t cookie_secure;     /* 1: always mark the session cookie Secure */
    int64_t trust_proxy;       /* 1: believe X-Forwarded-Proto / X-Forwarded-For */
    int64_t access_log;        /* 1: one access-log line per request */
    int64_t tick_interval;     /* seconds between scheduler runs in serve */
    /* outbound messages (notify/): public link base, platform endpoints, quiet hours, outbox */
    char *public_url;          /* base of the links in messages: https://duban.example.gov.cn */
    char *dingtalk_url;        /* 钉钉 robot endpoint (tests point it at a loopback receiver) */
    char *wecom_url;           /* 企业微信 robot endpoint */
    char *smtp_ca;             /* PEM CA file for the mail servers' TLS ("": the system's) */
    char *notify_quiet;        /* HH:MM-HH:MM: no message that is not urgent, e.g. 21:00-08:00 */
    char *notify_digest_at;    /* HH:MM on working days: the digest and what quiet hours held */
    int64_t outbox_attempts;   /* sending attempts before a message is a dead letter */
    int64_t outbox_backoff;    /* seconds before the first retry, doubled on each */
    int64_t outbox_lease;      /* seconds a claimed message is held by one sender */
    int64_t outbox_rate;       /* messages a minute per robot webhook */
    int64_t outbox_poll;       /* milliseconds between the worker's looks at the outbox */
    int64_t urge_interval;     /* seconds before the same item may be urged again */
} config;

/* Fills c with the defaults. config_free releases its strings. */
void config_defaults(config *c);
void config_free(config *c);

/*
 * Sets one setting by name from text. Returns 0, or -1 with a Chinese/English message naming
 * the setting and the fault in err (size errlen). source names where the text came from.
 */
int config_set(config *c, const char *name, const char *value, const char *source, char *err,
               size_t errlen);
/* 1 when name is a setting (so the CLI can tell a setting flag from an unknown one). */
int config_is_setting(const char *name);
/* Reads a config file; -1 with err naming file and line on a fault. */
int config_load_file(config *c, const char *path, char *err, size_t errlen);
/* Applies every DUBAN_* variable of the environment that names a setting. */
int config_load_env(config *c, char *err, size_t errlen);
/* Whether a db setting names a PostgreSQL database (a postgres:// or postgresql:// URI, or
 * libpq's key=value form) rather than a SQLite file. */
int config_db_postgres(const char *db);
/* The db setting as it may be shown or logged: a URI's or key=value password masked. */
void config_db_label(const char *db, char *out, size_t n);
/* The audit key path: key_file if set, else "<db>.key" (heap string); NULL for PostgreSQL
 * without key_file (every instance must read the same key: it is never made up). */
char *config_key_path(const config *c);
/* The evidence directory: files_dir if set, else "<db>.files" (heap string); NULL for
 * PostgreSQL without files_dir: the files then live in the database. */
char *config_files_dir(const config *c);
/* Writes the list of settings with defaults and help to f, for --help. */
void config_help(FILE *f);

#endif
