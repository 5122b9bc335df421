/* cli — option parsing and shared helpers for the subcommands (see cli.h). */
#include "cli/cli.h"

#include "core/store_fn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cli_help(const cli_spec *spec)
{
    printf("usage: duban %s %s\n\n%s\n", spec->name, spec->usage, spec->summary);
    if (spec->opts && spec->opts[0].name) {
        printf("\nOptions:\n");
        for (const cli_opt *o = spec->opts; o->name; o++) {
            char flag[64];
            snprintf(flag, sizeof flag, "--%s%s", o->name, o->takes_value ? " VALUE" : "");
            printf("  %-22s %s\n", flag, o->help);
        }
    }
    printf("\n");
    config_help(stdout);
}

static int find_opt(const cli_spec *spec, const char *name)
{
    for (int i = 0; spec->opts && spec->opts[i].name; i++)
        if (strcmp(spec->opts[i].name, name) == 0) return i;
    return -1;
}

static int usage_error(const cli_spec *spec, const char *msg, const char *what)
{
    fprintf(stderr, "duban %s: %s%s%s\nusage: duban %s %s (see duban %s --help)\n", spec->name,
            msg, what ? ": " : "", what ? what : "", spec->name, spec->usage, spec->name);
    return 2;
}

/* The config file comes first (flags override it), so look for --config before the rest. */
static int load_config_file(const cli_spec *spec, int argc, char **argv, config *cfg)
{
    const char *path = getenv("DUBAN_CONFIG");
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) path = argv[i + 1];
        else if (strncmp(argv[i], "--config=", 9) == 0) path = argv[i] + 9;
    }
    if (!path || !*path) return 0;
    char err[512];
    if (config_load_file(cfg, path, err, sizeof err)) {
        fprintf(stderr, "duban %s: %s\n", spec->name, err);
        return 2;
    }
    return 0;
}

static int parse_args(const cli_spec *spec, int argc, char **argv, cli_ctx *c)
{
    memset(c, 0, sizeof *c);
    config_defaults(&c->cfg);
    char err[512];
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            cli_help(spec);
            return 1;
        }
    int rc = load_config_file(spec, argc, argv, &c->cfg);
    if (rc) return rc;
    if (config_load_env(&c->cfg, err, sizeof err)) {
        fprintf(stderr, "duban %s: %s\n", spec->name, err);
        return 2;
    }
    for (int i = 0; i < argc; i++) {
        char *a = argv[i];
        if (strncmp(a, "--", 2) != 0 || a[2] == 0) {
            if (c->nargs == CLI_MAX_ARGS || c->nargs == spec->max_args)
                return usage_error(spec, "too many arguments", a);
            c->args[c->nargs++] = a;
            continue;
        }
        char name[64];
        const char *value = NULL, *eq = strchr(a + 2, '=');
        size_t nl = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
        if (nl >= sizeof name) return usage_error(spec, "unknown option", a);
        memcpy(name, a + 2, nl);
        name[nl] = 0;
        if (eq) value = eq + 1;
        int idx = find_opt(spec, name);
        int takes = idx >= 0 ? spec->opts[idx].takes_value : config_is_setting(name);
        if (idx < 0 && !config_is_setting(name)) return usage_error(spec, "unknown option", a);
        if (!takes) {
            if (value) return usage_error(spec, "option takes no value", a);
            c->values[idx] = "1";
            continue;
        }
        if (!value) {
            if (i + 1 >= argc) return usage_error(spec, "option needs a value", a);
            value = argv[++i];
        }
        if (idx >= 0) {
            c->values[idx] = value;
        } else if (strcmp(name, "config") != 0) {
            char source[80];
            snprintf(source, sizeof source, "--%s", name);
            if (config_set(&c->cfg, name, value, source, err, sizeof err)) {
                fprintf(stderr, "duban %s: %s\n", spec->name, err);
                return 2;
            }
        }
    }
    if (c->nargs < spec->min_args) return usage_error(spec, "missing arguments", NULL);
    return 0;
}

int cli_parse(const cli_spec *spec, int argc, char **argv, cli_ctx *c)
{
    int rc = parse_args(spec, argc, argv, c);
    if (rc) config_free(&c->cfg); /* callers only free after a successful parse */
    return rc;
}

const char *cli_opt_value(const cli_spec *spec, const cli_ctx *c, const char *name)
{
    int idx = find_opt(spec, name);
    return idx >= 0 ? c->values[idx] : NULL;
}

int64_t cli_required_version(const cli_spec *spec, const cli_ctx *c)
{
    const char *v = cli_opt_value(spec, c, "version");
    char *end = NULL;
    long long n = v ? strtoll(v, &end, 10) : 0;
    if (v && *end == '\0' && n > 0) return n;
    fprintf(stderr,
            "duban %s: --version N is required: the version `show` printed, so that a change "
            "made since is refused rather than overwritten\n",
            spec->name);
    return 0;
}

void cli_free(cli_ctx *c)
{
    config_free(&c->cfg);
}

int cli_open(cli_ctx *c, app *ap)
{
    char err[512];
    if (app_open(ap, &c->cfg, err, sizeof err)) {
        fprintf(stderr, "duban: %s\n", err);
        return -1;
    }
    return 0;
}

int cli_fail(const char *cmd, err_code e, const char *field)
{
    fprintf(stderr, "duban %s: %s%s%s (%s)\n", cmd, field ? field : "", field ? ": " : "",
            err_message(e), err_name(e));
    return 1;
}

int cli_read_line(char *buf, size_t n)
{
    if (!fgets(buf, (int)n, stdin)) return -1;
    buf[strcspn(buf, "\r\n")] = 0;
    return buf[0] ? 0 : -1;
}

int cli_dispatch(const char *group, const cli_sub *subs, int argc, char **argv)
{
    if (argc >= 1) {
        for (const cli_sub *s = subs; s->name; s++)
            if (strcmp(argv[0], s->name) == 0) return s->fn(argc - 1, argv + 1);
    }
    int help = argc >= 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0);
    FILE *out = help ? stdout : stderr;
    const char *sep = *group ? " " : "";
    if (argc >= 1 && !help) fprintf(out, "duban%s%s: unknown command '%s'\n", sep, group, argv[0]);
    fprintf(out, "usage: duban%s%s COMMAND [options]   (duban%s%s COMMAND --help)\n\n", sep,
            group, sep, group);
    for (const cli_sub *s = subs; s->name; s++) fprintf(out, "  %-10s %s\n", s->name, s->summary);
    return help ? 0 : 2;
}

/* Terminal cells a UTF-8 string takes: East Asian wide characters (U+1100 and up, roughly) two. */
static int display_width(const char *s)
{
    int w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        if (*p < 0x80) {
            w++;
            p++;
        } else if ((*p & 0xE0) == 0xC0) {
            w++;
            p += 2;
        } else {
            w += 2; /* three- and four-byte sequences: CJK, full-width forms */
            p += (*p & 0xF0) == 0xE0 ? 3 : 4;
        }
    }
    return w;
}

void cli_cell(const char *s, int width)
{
    int pad = width - display_width(s);
    printf("%s%*s", s, pad > 0 ? pad : 1, "");
}

typedef struct {
    arena *a;
    const char *login;
    store_user user;
    principal *p;
} as_ctx;

STORE_FN(as_user_fn, as_ctx *c, store_user_by_login(tx, c->a, c->login, &c->user));
STORE_FN(as_grants_fn, as_ctx *c, authz_load(tx, c->a, c->p));

err_code cli_as_user(app *ap, arena *a, const char *login, principal *p)
{
    as_ctx c = {.a = a, .login = login, .p = p};
    err_code e = store_read(ap->st, as_user_fn, &c);
    if (e != E_OK) return e;
    if (c.user.disabled) return E_ACCOUNT_DISABLED;
    *p = (principal){.user_id = c.user.id,
                     .unit_id = c.user.unit_id,
                     .login = c.user.login,
                     .name = c.user.name,
                     .unit_path = c.user.unit_path,
                     .ip = "cli"};
    return store_read(ap->st, as_grants_fn, &c);
}
