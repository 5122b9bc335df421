/* app — opening and closing the shared state, and audit helpers (see app.h). */
#include "core/app.h"

#include "base/log.h"
#include "core/mech.h"
#include "core/store_fn.h"
#include "notify/notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

typedef struct {
    arena *a;
    store_calendar_year *years;
    size_t n;
} years_ctx;

STORE_FN(years_fn, years_ctx *y, store_calendar_years(tx, y->a, &y->years, &y->n));

/* The built-in years plus the database's; NULL with err on a fault. *nyears: the database's. */
static calendar *build_calendar(app *ap, size_t *nyears, char *err, size_t errlen)
{
    calendar *cal = calendar_new();
    if (calendar_load(cal, calendar_builtin_cn, "data/calendar/cn.txt", err, errlen)) {
        calendar_free(cal);
        return NULL;
    }
    years_ctx y = {.a = arena_new()};
    int rc = 0;
    if (store_read(ap->st, years_fn, &y) != E_OK) {
        snprintf(err, errlen, "cannot read the calendar years of the database");
        rc = -1;
    }
    for (size_t i = 0; rc == 0 && i < y.n; i++) {
        /* A newer duban may ship a year an administrator imported earlier: the built-in wins. */
        if (calendar_has_year(cal, (int)y.years[i].year)) continue;
        char source[64];
        snprintf(source, sizeof source, "calendar year %lld", (long long)y.years[i].year);
        rc = calendar_load(cal, y.years[i].source, source, err, errlen);
    }
    *nyears = y.n;
    arena_free(y.a);
    if (rc) {
        calendar_free(cal);
        return NULL;
    }
    return cal;
}

static int load_calendar(app *ap, char *err, size_t errlen)
{
    ap->cal = build_calendar(ap, &ap->cal_years, err, errlen);
    return ap->cal ? 0 : -1;
}

int app_refresh_calendar(app *ap)
{
    years_ctx y = {.a = arena_new()};
    err_code e = store_read(ap->st, years_fn, &y);
    size_t n = y.n;
    arena_free(y.a);
    if (e != E_OK) return -1;
    if (n == ap->cal_years) return 0; /* years are only ever added */
    char err[256];
    size_t nyears;
    calendar *fresh = build_calendar(ap, &nyears, err, sizeof err);
    if (!fresh) {
        log_error("calendar: %s", err);
        return -1;
    }
    ap->cal_retired = xrealloc(ap->cal_retired, (ap->ncal_retired + 1) * sizeof *ap->cal_retired);
    ap->cal_retired[ap->ncal_retired++] = ap->cal;
    ap->cal = fresh;
    ap->cal_years = nyears;
    log_info("calendar: now with the database's %zu imported years", nyears);
    return 1;
}

/*
 * One flow from flows_dir when the setting names a directory: problem.json must be there, other
 * flows may keep their built-in definition when their file is absent.
 */
static flow_def *load_flow(app *ap, const char *file, const char *builtin, int required, char *err,
                           size_t errlen)
{
    if (ap->cfg.flows_dir && *ap->cfg.flows_dir) {
        char *path = xasprintf("%s/%s", ap->cfg.flows_dir, file);
        if (required || access(path, F_OK) == 0) {
            flow_def *f = flow_load(path, err, errlen);
            free(path);
            return f;
        }
        free(path);
    }
    char source[64];
    snprintf(source, sizeof source, "flows/%s", file);
    return flow_parse(builtin, source, err, errlen);
}

/* Every registered mechanism's flows, checked as they load. */
static int load_flows(app *ap, char *err, size_t errlen)
{
    for (const mech *const *m = duban_mechs; *m; m++) {
        for (const mech_flow *f = (*m)->flows; f && f->name; f++) {
            if (ap->nflows == APP_MAX_FLOWS) {
                snprintf(err, errlen, "more than %d flows are registered", APP_MAX_FLOWS);
                return -1;
            }
            flow_def *def = load_flow(ap, f->file, f->builtin, f->required, err, errlen);
            if (!def) return -1;
            ap->flow_names[ap->nflows] = f->name;
            ap->flows[ap->nflows++] = def;
        }
    }
    return 0;
}

const flow_def *app_flow(const app *ap, const char *name)
{
    for (size_t i = 0; i < ap->nflows; i++)
        if (strcmp(ap->flow_names[i], name) == 0) return ap->flows[i];
    return NULL;
}

store *app_store_open(const config *cfg, int create, char *err, size_t errlen)
{
    store_options o = {.readers = (int)cfg->readers,
                       .pool = (int)cfg->pg_pool,
                       .statement_timeout_ms = (int)cfg->pg_statement_timeout,
                       .create = create,
                       .migrate = 1};
    return store_open_opts(cfg->db, &o, err, errlen);
}

/* A SQLite database (and its -wal, -shm) readable by other users gives away password hashes
 * and personal data: refused, saying how to fix it. */
static int private_files(const char *db, char *err, size_t errlen)
{
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        char path[4096];
        struct stat sb;
        snprintf(path, sizeof path, "%s%s", db, suffixes[i]);
        if (stat(path, &sb) == 0 && (sb.st_mode & 077)) {
            snprintf(err, errlen,
                     "%s is open to other users (mode %03o): run 'chmod 600 %s*' "
                     "(数据库文件权限过宽，请执行 chmod 600)",
                     path, (unsigned)(sb.st_mode & 0777), db);
            return -1;
        }
    }
    return 0;
}

int app_open(app *ap, const config *cfg, char *err, size_t errlen)
{
    memset(ap, 0, sizeof *ap);
    ap->cfg = *cfg;
    if (!config_db_postgres(cfg->db) && access(cfg->db, F_OK) != 0) {
        snprintf(err, errlen, "database %s does not exist (run 'duban init' or 'duban serve')",
                 cfg->db);
        return -1;
    }
    if (!config_db_postgres(cfg->db) && private_files(cfg->db, err, errlen)) return -1;
    char *key = config_key_path(cfg);
    if (!key) {
        snprintf(err, errlen,
                 "with a PostgreSQL database, key_file must name the audit key "
                 "(the same file on every instance)");
        return -1;
    }
    ap->au = audit_open(key, err, errlen);
    if (!ap->au) {
        free(key);
        return -1;
    }
    ap->files_dir = config_files_dir(cfg);
    ap->st = app_store_open(cfg, 0, err, errlen);
    /* the outbound service: its sealing key is derived from the audit key */
    if (!ap->st || load_calendar(ap, err, errlen) || load_flows(ap, err, errlen) ||
        notify_open(cfg, key, &ap->cal, err, errlen)) {
        free(key);
        app_close(ap);
        return -1;
    }
    free(key);
    return 0;
}

void app_close(app *ap)
{
    notify_close();
    store_close(ap->st);
    audit_close(ap->au);
    calendar_free(ap->cal);
    for (size_t i = 0; i < ap->ncal_retired; i++)
        calendar_free(ap->cal_retired[i]);
    free(ap->cal_retired);
    ap->cal_retired = NULL;
    ap->ncal_retired = 0;
    for (size_t i = 0; i < ap->nflows; i++)
        flow_free(ap->flows[i]);
    ap->nflows = 0;
    free(ap->files_dir);
    ap->files_dir = NULL;
    ap->st = NULL;
    ap->au = NULL;
    ap->cal = NULL;
}

err_code app_audit(app *ap, store_tx *tx, arena *a, const principal *p, const char *action,
                   const char *object, json_t *detail)
{
    audit_actor actor = authz_actor(p);
    return audit_append(ap->au, tx, a, &actor, action, object, detail);
}

void app_audit_disk(const app *ap, app_disk *out)
{
    memset(out, 0, sizeof *out);
    out->threshold_bytes = ap->cfg.audit_disk_warn_mb * 1024 * 1024;
    if (config_db_postgres(ap->cfg.db) || !out->threshold_bytes) return;
    /* The directory holds the database, its journal (-wal) and the head file beside it. */
    char *dir = xstrdup(ap->cfg.db);
    char *slash = strrchr(dir, '/');
    if (slash) *(slash == dir ? slash + 1 : slash) = 0;
    struct statvfs vs;
    if (statvfs(slash ? dir : ".", &vs) == 0) {
        out->monitored = 1;
        out->free_bytes = (int64_t)vs.f_bavail * (int64_t)vs.f_frsize;
        out->low = out->free_bytes < out->threshold_bytes;
    }
    free(dir);
}

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    const char *from, *to;
    const audit_archive_info *info;
} archived;

static err_code archived_fn(store_tx *tx, void *ctx)
{
    archived *x = ctx;
    json_t *d = json_pack("{sI sI sI ss sb}", "records", (json_int_t)x->info->records, "first_seq",
                          (json_int_t)x->info->first_seq, "last_seq", (json_int_t)x->info->last_seq,
                          "digest", x->info->digest, "chain_intact", x->info->chain.ok);
    if (x->from) json_object_set_new(d, "from_day", json_string(x->from));
    if (x->to) json_object_set_new(d, "to_day", json_string(x->to));
    return app_audit(x->ap, tx, x->a, x->p, "audit.archive", "audit", d);
}

err_code app_audit_archive(app *ap, const principal *p, const char *from_day, const char *to_day,
                           FILE *out, audit_archive_info *info, const char **field)
{
    cal_day from = 0, to = 0;
    *field = NULL;
    if (from_day && cal_parse(from_day, &from))
        *field = "from";
    else if (to_day && cal_parse(to_day, &to))
        *field = "to";
    else if (from_day && to_day && to < from)
        *field = "to";
    if (*field) return E_BAD_QUERY;
    err_code e = audit_archive(ap->au, ap->st, from_day ? cal_day_start(from) : 0,
                               to_day ? cal_day_start(to + 1) : 0, out, info);
    if (e != E_OK) return e;
    arena *a = arena_new();
    archived x = {.ap = ap, .a = a, .p = p, .from = from_day, .to = to_day, .info = info};
    e = store_write(ap->st, archived_fn, &x);
    arena_free(a);
    return e;
}

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    err_code why;
    const char *action, *object;
} refusal;

static err_code refusal_fn(store_tx *tx, void *ctx)
{
    refusal *r = ctx;
    json_t *d = json_pack("{ss ss}", "attempted", r->action, "reason", err_name(r->why));
    return app_audit(r->ap, tx, r->a, r->p, "access.denied", r->object, d);
}

void app_audit_refusal(app *ap, const principal *p, err_code why, const char *action,
                       const char *object)
{
    arena *a = arena_new();
    refusal r = {ap, a, p, why, action, object ? object : ""};
    if (store_write(ap->st, refusal_fn, &r) != E_OK) log_error("cannot audit a refusal");
    arena_free(a);
}
