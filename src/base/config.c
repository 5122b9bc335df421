/* config — the settings table and its three parsers (see config.h). */
#include "base/config.h"

#include "base/mem.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef enum { S_STR, S_INT, S_BOOL, S_ADDR } setting_type;

typedef struct {
    const char *name;
    setting_type type;
    size_t offset;
    const char *def;
    int64_t min, max;
    const char *help;
} setting;

#define O(m) offsetof(config, m)
static const setting settings[] = {
    {"config", S_STR, O(config), "", 0, 0, "config file of key = value lines"},
    {"db", S_STR, O(db), "data/duban.db", 0, 0,
     "SQLite database file, or a PostgreSQL URI (postgresql://user@host/db)"},
    {"listen", S_ADDR, O(listen), "127.0.0.1:8080", 0, 0, "address and port to serve on"},
    {"key_file", S_STR, O(key_file), "", 0, 0, "audit key file (default: <db>.key)"},
    {"county", S_STR, O(county), "示范县", 0, 0, "name of the root unit that init creates"},
    {"root_kind", S_STR, O(root_kind), "county", 0, 0,
     "kind of the root unit that init creates: county, city or province"},
    {"flows_dir", S_STR, O(flows_dir), "", 0, 0,
     "directory of flow definitions (default: the built-in flows/)"},
    {"files_dir", S_STR, O(files_dir), "", 0, 0, "evidence files (default: <db>.files)"},
    {"upload_limit", S_INT, O(upload_limit), "20971520", 1024, 1073741824,
     "largest evidence file in bytes"},
    {"threads", S_INT, O(threads), "4", 1, 256, "HTTP worker threads"},
    {"readers", S_INT, O(readers), "4", 1, 256, "reader connections to a SQLite database"},
    {"pg_pool", S_INT, O(pg_pool), "8", 1, 256, "connections to a PostgreSQL database"},
    {"pg_statement_timeout", S_INT, O(pg_statement_timeout), "30000", 100, 3600000,
     "milliseconds before a PostgreSQL statement is cancelled"},
    {"body_limit", S_INT, O(body_limit), "1048576", 1024, 1073741824,
     "largest request body in bytes"},
    {"session_idle", S_INT, O(session_idle), "1800", 1, 86400, "idle session timeout, seconds"},
    {"session_max", S_INT, O(session_max), "43200", 1, 604800,
     "absolute session lifetime, seconds"},
    {"lockout_threshold", S_INT, O(lockout_threshold), "5", 1, 100,
     "failed logins at one account from one address that lock that pair (other addresses "
     "still sign in)"},
    {"lockout_account_threshold", S_INT, O(lockout_account_threshold), "50", 1, 100000,
     "failed logins at one account from any address that lock the whole account"},
    {"lockout_seconds", S_INT, O(lockout_seconds), "900", 1, 86400,
     "how long a lockout lasts, seconds"},
    {"max_sessions", S_INT, O(max_sessions), "0", 0, 1000,
     "sessions one account may hold at once; a login beyond it ends the least recently used (0: no limit)"},
    {"throttle_window", S_INT, O(throttle_window), "900", 1, 86400,
     "seconds over which failed logins are counted per address and overall"},
    {"throttle_address", S_INT, O(throttle_address), "20", 1, 1000000,
     "failed logins from one address within throttle_window before it must wait (429)"},
    {"throttle_global", S_INT, O(throttle_global), "300", 1, 10000000,
     "failed logins overall within throttle_window before every login must wait (429)"},
    {"throttle_max_delay", S_INT, O(throttle_max_delay), "900", 1, 86400,
     "longest wait, seconds (the waits double from 1 s past the limit)"},
    {"password_max_age_days", S_INT, O(password_max_age_days), "0", 0, 3650,
     "days after which a password must be changed at the next login (0: never)"},
    {"audit_disk_warn_mb", S_INT, O(audit_disk_warn_mb), "1024", 0, 1073741824,
     "warn the audit administrator when the SQLite database's disk has less free space, MB "
     "(0: never)"},
    {"cookie_secure", S_BOOL, O(cookie_secure), "0", 0, 1,
     "always mark the session cookie Secure (set when served over TLS)"},
    {"trust_proxy", S_BOOL, O(trust_proxy), "0", 0, 1,
     "trust X-Forwarded-Proto/-For from a reverse proxy"},
    {"access_log", S_BOOL, O(access_log), "1", 0, 1, "write one access-log line per request"},
    {"tick_interval", S_INT, O(tick_interval), "300", 1, 86400,
     "seconds between runs of the scheduler (overdue flags, reminders, look-backs)"},
    {"public_url", S_STR, O(public_url), "http://127.0.0.1:8080", 0, 0,
     "base URL of the links in outbound messages (the address users open duban at)"},
    {"dingtalk_url", S_STR, O(dingtalk_url), "https://oapi.dingtalk.com/robot/send", 0, 0,
     "钉钉 group robot endpoint"},
    {"wecom_url", S_STR, O(wecom_url), "https://qyapi.weixin.qq.com/cgi-bin/webhook/send", 0, 0,
     "企业微信 group robot endpoint"},
    {"smtp_ca", S_STR, O(smtp_ca), "", 0, 0,
     "PEM file of the CA the mail servers' certificates are checked against (empty: the system's)"},
    {"notify_quiet", S_STR, O(notify_quiet), "21:00-08:00", 0, 0,
     "quiet hours HH:MM-HH:MM: messages that are not urgent wait for the next working morning"},
    {"notify_digest_at", S_STR, O(notify_digest_at), "08:30", 0, 0,
     "time of the daily digest on working days, HH:MM"},
    {"outbox_attempts", S_INT, O(outbox_attempts), "8", 1, 100,
     "sending attempts before an outbound message becomes a dead letter"},
    {"outbox_backoff", S_INT, O(outbox_backoff), "30", 1, 86400,
     "seconds before the first retry of a failed send (doubled on each retry)"},
    {"outbox_lease", S_INT, O(outbox_lease), "120", 1, 3600,
     "seconds a claimed outbound message is held by the instance sending it"},
    {"outbox_rate", S_INT, O(outbox_rate), "20", 1, 1000, "messages a minute per robot webhook"},
    {"outbox_poll", S_INT, O(outbox_poll), "1000", 10, 60000,
     "milliseconds between the outbox worker's looks for messages due"},
    {"urge_interval", S_INT, O(urge_interval), "86400", 0, 2592000,
     "seconds before the same item may be urged (催办) again"},
};
#undef O
enum { NSETTINGS = sizeof settings / sizeof settings[0] };

static const setting *lookup(const char *name)
{
    for (int i = 0; i < NSETTINGS; i++)
        if (strcmp(settings[i].name, name) == 0) return &settings[i];
    return NULL;
}

int config_is_setting(const char *name)
{
    return lookup(name) != NULL;
}

static int parse_int(const char *v, int64_t *out)
{
    if (!*v) return -1;
    errno = 0;
    char *end;
    long long n = strtoll(v, &end, 10);
    if (errno || *end) return -1;
    *out = n;
    return 0;
}

static int parse_bool(const char *v, int64_t *out)
{
    static const char *yes[] = {"1", "true", "yes", "on"}, *no[] = {"0", "false", "no", "off"};
    for (int i = 0; i < 4; i++) {
        if (strcasecmp(v, yes[i]) == 0) return *out = 1, 0;
        if (strcasecmp(v, no[i]) == 0) return *out = 0, 0;
    }
    return -1;
}

/* ADDR:PORT with a dotted IPv4 address (or "localhost") and a port 1..65535. */
static int valid_addr(const char *v)
{
    const char *colon = strrchr(v, ':');
    if (!colon || colon == v) return 0;
    int64_t port;
    if (parse_int(colon + 1, &port) || port < 1 || port > 65535) return 0;
    size_t hl = (size_t)(colon - v);
    if (hl == 9 && strncmp(v, "localhost", 9) == 0) return 1;
    /* Exactly what the server will bind: four octets 0..255 (not "1..2.3" or "999.0.0.1"). */
    char host[16];
    struct in_addr addr;
    if (hl >= sizeof host) return 0;
    memcpy(host, v, hl);
    host[hl] = 0;
    return inet_pton(AF_INET, host, &addr) == 1;
}

int config_set(config *c, const char *name, const char *value, const char *source, char *err,
               size_t errlen)
{
    const setting *s = lookup(name);
    if (!s) {
        snprintf(err, errlen, "%s: unknown setting '%s'", source, name);
        return -1;
    }
    void *slot = (char *)c + s->offset;
    int64_t n = 0;
    switch (s->type) {
    case S_ADDR:
        if (!valid_addr(value)) {
            snprintf(err, errlen, "%s: bad value '%s' for %s (want ADDR:PORT, e.g. 127.0.0.1:8080)",
                     source, value, name);
            return -1;
        }
        /* fallthrough */
    case S_STR:
        free(*(char **)slot);
        *(char **)slot = xstrdup(value);
        return 0;
    case S_INT:
        if (parse_int(value, &n) || n < s->min || n > s->max) {
            snprintf(err, errlen, "%s: bad value '%s' for %s (want an integer %lld..%lld)", source,
                     value, name, (long long)s->min, (long long)s->max);
            return -1;
        }
        break;
    case S_BOOL:
        if (parse_bool(value, &n)) {
            snprintf(err, errlen, "%s: bad value '%s' for %s (want true or false)", source, value,
                     name);
            return -1;
        }
        break;
    }
    *(int64_t *)slot = n;
    return 0;
}

void config_defaults(config *c)
{
    memset(c, 0, sizeof *c);
    char err[256];
    for (int i = 0; i < NSETTINGS; i++)
        config_set(c, settings[i].name, settings[i].def, "default", err, sizeof err);
}

void config_free(config *c)
{
    for (int i = 0; i < NSETTINGS; i++)
        if (settings[i].type == S_STR || settings[i].type == S_ADDR) {
            char **slot = (char **)((char *)c + settings[i].offset);
            free(*slot);
            *slot = NULL;
        }
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s)) s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1])) *--e = 0;
    return s;
}

int config_load_file(config *c, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open config file: %s", path, strerror(errno));
        return -1;
    }
    /* Whole lines of any length: a fixed buffer would cut a long one and read its rest
     * (even the end of a comment) as a line of its own. */
    char *line = NULL;
    size_t cap = 0;
    int lineno = 0, rc = 0;
    while (getline(&line, &cap, f) >= 0) {
        lineno++;
        char *s = trim(line);
        if (!*s || *s == '#') continue;
        char *eq = strchr(s, '=');
        char source[512];
        snprintf(source, sizeof source, "%s:%d", path, lineno);
        if (!eq) {
            snprintf(err, errlen, "%s: expected 'key = value'", source);
            rc = -1;
            break;
        }
        *eq = 0;
        char *key = trim(s), *value = trim(eq + 1);
        if (strcmp(key, "config") == 0 || config_set(c, key, value, source, err, errlen)) {
            if (strcmp(key, "config") == 0)
                snprintf(err, errlen, "%s: 'config' cannot be set inside a config file", source);
            rc = -1;
            break;
        }
    }
    free(line);
    fclose(f);
    return rc;
}

int config_load_env(config *c, char *err, size_t errlen)
{
    for (int i = 0; i < NSETTINGS; i++) {
        char var[64] = "DUBAN_";
        size_t n = strlen(var);
        for (const char *p = settings[i].name; *p && n < sizeof var - 1; p++)
            var[n++] = (char)toupper((unsigned char)*p);
        var[n] = 0;
        const char *v = getenv(var);
        if (v && config_set(c, settings[i].name, v, var, err, errlen)) return -1;
    }
    return 0;
}

int config_db_postgres(const char *db)
{
    static const char *const prefixes[] = {"postgres://", "postgresql://", "host=", "dbname=",
                                           "service=", "user="};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (strncmp(db, prefixes[i], strlen(prefixes[i])) == 0) return 1;
    return 0;
}

/* Appends s to out (capacity n, *o used), as much as fits. */
static void put_text(char *out, size_t n, size_t *o, const char *s)
{
    while (*s && *o + 1 < n)
        out[(*o)++] = *s++;
}

void config_db_label(const char *db, char *out, size_t n)
{
    int pg = config_db_postgres(db);
    /* postgresql://user:secret@host/db: the password lies between the ':' after the user and
     * the '@' before the host. */
    const char *scheme = pg ? strstr(db, "://") : NULL, *pw = NULL, *pw_end = NULL;
    if (scheme) {
        const char *at = strchr(scheme + 3, '@'), *colon = strchr(scheme + 3, ':'),
                   *slash = strchr(scheme + 3, '/');
        if (at && colon && colon < at && (!slash || at < slash)) pw = colon + 1, pw_end = at;
    }
    size_t o = 0;
    for (const char *p = db; *p && o + 1 < n;) {
        if (p == pw) {
            put_text(out, n, &o, "***");
            p = pw_end;
        } else if (pg && strncmp(p, "password=", 9) == 0 &&
                   (p == db || strchr(" &?", p[-1]))) {
            put_text(out, n, &o, "password=***");
            p += 9;
            p += strcspn(p, " &");
        } else {
            out[o++] = *p++;
        }
    }
    if (n) out[o] = 0;
}

char *config_key_path(const config *c)
{
    if (c->key_file && *c->key_file) return xstrdup(c->key_file);
    if (config_db_postgres(c->db)) return NULL;
    return xasprintf("%s.key", c->db);
}

char *config_files_dir(const config *c)
{
    if (c->files_dir && *c->files_dir) return xstrdup(c->files_dir);
    if (config_db_postgres(c->db)) return NULL;
    return xasprintf("%s.files", c->db);
}

void config_help(FILE *f)
{
    fprintf(f, "Settings (flag --NAME VALUE, environment DUBAN_NAME, or 'name = value' in the\n"
               "file given by --config; flags win over the environment, which wins over the "
               "file):\n");
    for (int i = 0; i < NSETTINGS; i++)
        fprintf(f, "  --%-18s %s (default: %s)\n", settings[i].name, settings[i].help,
                *settings[i].def ? settings[i].def : "none");
}
