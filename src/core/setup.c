/* setup — first-time initialisation of a database (see setup.h). */
#include "core/setup.h"

#include "audit/audit.h"
#include "auth/authz.h"
#include "auth/password.h"
#include "base/clock.h"
#include "base/log.h"
#include "core/app.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    const char *name, *title;
    const char *perms[8];
} builtin_role;

static const builtin_role roles[] = {
    {"sysadmin", "系统管理员", {"unit.read", "unit.write", "user.read", "user.write"}},
    {"secadmin", "安全管理员",
     {"unit.read", "user.read", "user.unlock", "role.read", "role.write", "grant.read",
      "grant.write"}},
    {"auditadmin", "审计管理员", {"audit.read", "unit.read", "user.read"}},
    {"staff", "工作人员", {"unit.read", "user.read"}},
};

typedef struct {
    const char *login, *name, *role, *env;
    char password[PASSWORD_HASH_MAX];
    char hash[PASSWORD_HASH_MAX];
    int must_change;
} admin_account;

typedef struct {
    app ap;
    arena *a;
    const config *cfg;
    admin_account *admins;
    size_t nadmins;
} seed_ctx;

static size_t count_perms(const builtin_role *r)
{
    size_t n = 0;
    while (n < 8 && r->perms[n]) n++;
    return n;
}

static err_code seed_fn(store_tx *tx, void *ctx)
{
    seed_ctx *s = ctx;
    principal sys = authz_system(s->a);
    int64_t now = clock_now();
    store_unit root = {.kind = s->cfg->root_kind, .code = s->cfg->root_kind, .name = s->cfg->county,
                       .created_at = now};
    err_code e = store_unit_insert(tx, s->a, &root);
    if (e == E_OK) e = store_unit_history_add(tx, root.id, now, sys.login, "create", NULL, root.name);
    for (size_t i = 0; e == E_OK && i < sizeof roles / sizeof roles[0]; i++) {
        store_role r = {.name = roles[i].name, .title = roles[i].title, .builtin = 1,
                        .perms = (const char **)roles[i].perms, .nperms = count_perms(&roles[i])};
        e = store_role_insert(tx, &r);
    }
    for (size_t i = 0; e == E_OK && i < s->nadmins; i++) {
        admin_account *ad = &s->admins[i];
        store_user u = {.login = ad->login, .name = ad->name, .unit_id = root.id,
                        .pw_hash = ad->hash, .must_change = ad->must_change, .created_at = now};
        store_role r;
        e = store_user_insert(tx, &u);
        if (e == E_OK) e = store_role_by_name(tx, s->a, ad->role, &r);
        store_grant g = {.user_id = u.id, .role_id = r.id, .unit_id = root.id,
                         .created_at = now, .created_by = sys.login};
        if (e == E_OK) e = store_grant_insert(tx, &g);
    }
    char when[24];
    if (e == E_OK) e = store_meta_set(tx, "initialized_at", clock_iso(now, when));
    if (e != E_OK) return e;
    return app_audit(&s->ap, tx, s->a, &sys, "system.init", "unit:1",
                     json_pack("{ss ss ss ss}", "county", s->cfg->county, "admin", "admin",
                               "secadmin", "secadmin", "auditor", "auditor"));
}

static int prepare_admins(admin_account *admins, size_t n, char *err, size_t errlen)
{
    for (size_t i = 0; i < n; i++) {
        admin_account *ad = &admins[i];
        const char *given = getenv(ad->env);
        if (given && *given) {
            if (password_check_policy(ad->login, given) != E_OK) {
                snprintf(err, errlen, "%s: %s", ad->env, err_message(E_PASSWORD_WEAK));
                return -1;
            }
            snprintf(ad->password, sizeof ad->password, "%s", given);
            ad->must_change = 0;
        } else {
            password_generate(ad->password);
            ad->must_change = 1;
        }
        if (password_hash(ad->password, ad->hash)) {
            snprintf(err, errlen, "cannot hash a password (out of memory)");
            return -1;
        }
    }
    return 0;
}

static void print_admins(FILE *out, const char *label, const char *county, admin_account *admins,
                         size_t n)
{
    fprintf(out, "duban: initialised %s for %s\n", label, county);
    fprintf(out, "三员分立 administrator accounts (系统管理员 / 安全管理员 / 审计管理员):\n");
    for (size_t i = 0; i < n; i++) {
        if (admins[i].must_change)
            fprintf(out, "  %-9s %s  one-time password: %s  (must be changed at first login)\n",
                    admins[i].login, admins[i].name, admins[i].password);
        else
            fprintf(out, "  %-9s %s  password from %s\n", admins[i].login, admins[i].name,
                    admins[i].env);
        sodium_memzero(admins[i].password, sizeof admins[i].password);
    }
    fflush(out);
}

static err_code root_fn(store_tx *tx, void *ctx)
{
    store_unit u;
    arena *a = arena_new();
    err_code e = store_unit_root(tx, a, &u);
    arena_free(a);
    *(int *)ctx = e == E_OK;
    return e == E_NOT_FOUND ? E_OK : e;
}

int setup_initialised(const config *cfg, char *err, size_t errlen)
{
    if (!config_db_postgres(cfg->db)) return access(cfg->db, F_OK) == 0;
    store *st = app_store_open(cfg, 0, err, errlen);
    if (!st) return -1;
    int has_root = 0;
    err_code e = store_read(st, root_fn, &has_root);
    store_close(st);
    if (e != E_OK) {
        snprintf(err, errlen, "cannot read the database: %s", err_message(e));
        return -1;
    }
    return has_root;
}

int setup_init(const config *cfg, FILE *out, char *err, size_t errlen)
{
    char label[512];
    config_db_label(cfg->db, label, sizeof label);
    if (strcmp(cfg->root_kind, "county") && strcmp(cfg->root_kind, "city") &&
        strcmp(cfg->root_kind, "province")) {
        snprintf(err, errlen, "root_kind must be county, city or province, not %s", cfg->root_kind);
        return -1;
    }
    int done = setup_initialised(cfg, err, errlen);
    if (done < 0) return -1;
    if (done) {
        snprintf(err, errlen, "%s already exists: init only creates a new database", label);
        return -1;
    }
    admin_account admins[] = {
        {"admin", "系统管理员", "sysadmin", "DUBAN_ADMIN_PASSWORD", {0}, {0}, 1},
        {"secadmin", "安全管理员", "secadmin", "DUBAN_SECADMIN_PASSWORD", {0}, {0}, 1},
        {"auditor", "审计管理员", "auditadmin", "DUBAN_AUDITOR_PASSWORD", {0}, {0}, 1},
    };
    size_t nadmins = sizeof admins / sizeof admins[0];
    if (prepare_admins(admins, nadmins, err, errlen)) return -1;

    char *key = config_key_path(cfg);
    if (!key) {
        snprintf(err, errlen, "with a PostgreSQL database, key_file must name the audit key "
                              "(the same file on every instance)");
        return -1;
    }
    char *head = xasprintf("%s.head", key);
    int rc = -1;
    /* A head file means this key already vouches for a log: starting a new database under it
     * would let a deleted database come back as a fresh chain that verifies. */
    if (access(head, F_OK) == 0) {
        snprintf(err, errlen, "%s exists: the audit key %s already belongs to a log; move the key "
                 "and its head file away to start a new database", head, key);
        goto out;
    }
    if (access(key, F_OK) != 0 && audit_create_key(key, err, errlen)) goto out;

    seed_ctx s = {.a = arena_new(), .cfg = cfg, .admins = admins, .nadmins = nadmins};
    s.ap.cfg = *cfg;
    s.ap.au = audit_open(key, err, errlen);
    if (s.ap.au) s.ap.st = app_store_open(cfg, 1, err, errlen);
    if (s.ap.st) {
        err_code e = store_write(s.ap.st, seed_fn, &s);
        if (e == E_OK) rc = 0;
        else snprintf(err, errlen, "cannot initialise %s: %s", label, err_message(e));
    }
    app_close(&s.ap);
    arena_free(s.a);
    if (rc == 0) print_admins(out, label, cfg->county, admins, nadmins);
    else if (!config_db_postgres(cfg->db) && access(cfg->db, F_OK) == 0) {
        /* Leave nothing half-made behind. */
        unlink(cfg->db);
        char *wal = xasprintf("%s-wal", cfg->db), *shm = xasprintf("%s-shm", cfg->db);
        unlink(wal);
        unlink(shm);
        free(wal);
        free(shm);
    }
out:
    for (size_t i = 0; i < nadmins; i++) sodium_memzero(admins[i].password, sizeof admins[i].password);
    free(key);
    free(head);
    return rc;
}
