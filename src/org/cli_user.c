/* user — `duban user add|passwd|lock|unlock|list`: user accounts from the command line. */
#include "org/org_int.h"

#include "base/clock.h"
#include "core/store_fn.h"
#include "org/org.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    arena *a;
    const char *login, *unit_code;
    store_user user, *items;
    store_unit unit;
    size_t n;
    int64_t total;
    store_user_filter f;
} user_ctx;

STORE_FN(by_login_fn, user_ctx *u, store_user_by_login(tx, u->a, u->login, &u->user));

STORE_FN(unit_fn, user_ctx *u, store_unit_by_code(tx, u->a, u->unit_code, &u->unit));

/* Reads a password from stdin when --password-stdin was given; NULL otherwise or on error. */
static const char *password_from_stdin(const cli_spec *spec, cli_ctx *c, char *buf, size_t n,
                                       int *bad)
{
    *bad = 0;
    if (!cli_opt_value(spec, c, "password-stdin")) return NULL;
    if (cli_read_line(buf, n)) {
        fprintf(stderr, "duban %s: no password on standard input\n", spec->name);
        *bad = 1;
        return NULL;
    }
    return buf;
}

static const cli_opt add_opts[] = {
    {"name", 1, "the user's full name (required)"},
    {"unit", 1, "code of the user's unit (required)"},
    {"password-stdin", 0, "read the password from standard input instead of generating one"},
    {NULL, 0, NULL},
};
static const cli_spec add_spec = {"user add",
                                  "LOGIN --name NAME --unit CODE [--password-stdin]",
                                  "Adds a user, who must change the password at first login.",
                                  add_opts,
                                  1,
                                  1};

static int user_add(int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(&add_spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    app ap;
    rc = 1;
    const char *name = cli_opt_value(&add_spec, &c, "name");
    user_ctx u = {.a = arena_new(), .unit_code = cli_opt_value(&add_spec, &c, "unit")};
    char pwbuf[256];
    int bad;
    const char *pw = password_from_stdin(&add_spec, &c, pwbuf, sizeof pwbuf, &bad);
    if (bad) goto out;
    if (!name || !u.unit_code) {
        fprintf(stderr, "duban user add: --name and --unit are required\n");
        rc = 2;
        goto out;
    }
    if (cli_open(&c, &ap)) goto out;
    err_code e = store_read(ap.st, unit_fn, &u);
    if (e != E_OK) {
        rc = cli_fail("user add", e == E_NOT_FOUND ? E_FIELD_INVALID : e, "--unit");
    } else {
        principal sys = authz_system(u.a);
        org_user_input in = {c.args[0], name, u.unit.id, pw, 0};
        char otp[16];
        const char *field;
        e = org_user_add(&ap, u.a, &sys, &in, &u.user, otp, &field);
        if (e != E_OK) {
            rc = cli_fail("user add", e, field);
        } else {
            printf("added user %s (%s) in %s\n", u.user.login, u.user.name, u.unit.name);
            if (otp[0]) printf("one-time password: %s  (must be changed at first login)\n", otp);
            sodium_memzero(otp, sizeof otp);
            rc = 0;
        }
    }
    app_close(&ap);
out:
    sodium_memzero(pwbuf, sizeof pwbuf);
    arena_free(u.a);
    cli_free(&c);
    return rc;
}

static const cli_opt passwd_opts[] = {
    {"password-stdin", 0, "read the new password from standard input instead of generating one"},
    {NULL, 0, NULL},
};
static const cli_spec passwd_spec = {"user passwd",
                                     "LOGIN [--password-stdin]",
                                     "Resets a user's password (the user must change it at next "
                                     "login) and ends their sessions.",
                                     passwd_opts,
                                     1,
                                     1};

static const cli_spec lock_spec = {
    "user lock", "LOGIN", "Locks (disables) an account and ends its sessions.", NULL, 1, 1};
static const cli_spec unlock_spec = {"user unlock",
                                     "LOGIN",
                                     "Unlocks an account, also clearing a lockout from failed "
                                     "logins.",
                                     NULL,
                                     1,
                                     1};

/* Runs one change on the user named by args[0]: passwd, lock or unlock. */
static int user_change(const cli_spec *spec, int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    app ap;
    rc = 1;
    user_ctx u = {.a = arena_new(), .login = c.args[0]};
    char pwbuf[256];
    int bad;
    const char *pw = password_from_stdin(spec, &c, pwbuf, sizeof pwbuf, &bad);
    if (bad || cli_open(&c, &ap)) goto out;
    principal sys = authz_system(u.a);
    err_code e = store_read(ap.st, by_login_fn, &u);
    const char *field = NULL;
    char otp[16] = {0};
    if (e == E_OK && spec == &passwd_spec)
        e = org_user_reset_password(&ap, u.a, &sys, u.user.id, pw, otp, &field);
    else if (e == E_OK)
        e = org_user_set_disabled(&ap, u.a, &sys, u.user.id, spec == &lock_spec);
    if (e != E_OK) {
        rc = cli_fail(spec->name, e, field);
    } else {
        printf("%s: done for %s\n", spec->name, u.user.login);
        if (otp[0]) printf("one-time password: %s  (must be changed at next login)\n", otp);
        rc = 0;
    }
    sodium_memzero(otp, sizeof otp);
    app_close(&ap);
out:
    sodium_memzero(pwbuf, sizeof pwbuf);
    arena_free(u.a);
    cli_free(&c);
    return rc;
}

static int user_passwd(int argc, char **argv)
{
    return user_change(&passwd_spec, argc, argv);
}
static int user_lock(int argc, char **argv)
{
    return user_change(&lock_spec, argc, argv);
}
static int user_unlock(int argc, char **argv)
{
    return user_change(&unlock_spec, argc, argv);
}

static const cli_opt list_opts[] = {
    {"unit", 1, "only users in this unit's subtree (by code)"},
    {NULL, 0, NULL},
};
static const cli_spec list_spec = {"user list", "[--unit CODE]", "Lists users.", list_opts, 0, 0};

static err_code list_fn(store_tx *tx, void *ctx)
{
    user_ctx *u = ctx;
    if (u->unit_code) {
        err_code e = store_unit_by_code(tx, u->a, u->unit_code, &u->unit);
        if (e != E_OK) return e;
        u->f.unit_id = u->unit.id;
    }
    return store_user_list(tx, u->a, &u->f, &u->items, &u->n, &u->total);
}

static int user_list(int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(&list_spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    app ap;
    rc = 1;
    user_ctx u = {.a = arena_new(), .unit_code = cli_opt_value(&list_spec, &c, "unit")};
    u.f.limit = INT64_MAX;
    if (cli_open(&c, &ap)) goto out;
    err_code e = store_read(ap.st, list_fn, &u);
    if (e != E_OK) {
        rc = cli_fail("user list", e == E_NOT_FOUND ? E_FIELD_INVALID : e,
                      e == E_NOT_FOUND ? "--unit" : NULL);
    } else {
        int64_t now = clock_now();
        printf("%-20s %-12s %-24s %s\n", "LOGIN", "NAME", "UNIT", "STATUS");
        for (size_t i = 0; i < u.n; i++) {
            const store_user *s = &u.items[i];
            const char *status = s->disabled             ? "locked by admin"
                                 : s->locked_until > now ? "locked (failed logins)"
                                 : s->must_change        ? "must change password"
                                                         : "active";
            cli_cell(s->login, 21);
            cli_cell(s->name, 13);
            cli_cell(s->unit_name, 25);
            printf("%s\n", status);
        }
        rc = 0;
    }
    app_close(&ap);
out:
    arena_free(u.a);
    cli_free(&c);
    return rc;
}

int cmd_user(int argc, char **argv)
{
    static const cli_sub subs[] = {
        {"add", user_add, "add a user (prints a one-time password)"},
        {"passwd", user_passwd, "reset a user's password"},
        {"lock", user_lock, "lock an account"},
        {"unlock", user_unlock, "unlock an account"},
        {"list", user_list, "list users"},
        {NULL, NULL, NULL},
    };
    return cli_dispatch("user", subs, argc, argv);
}
