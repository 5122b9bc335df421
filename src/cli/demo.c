/* demo — `duban demo`: fills the database with the demo county (see src/demo/demo.h). */
#include "cli/cli.h"

#include "core/store_fn.h"
#include "demo/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cli_opt demo_opts[] = {
    {"problems", 1, "how many problems (default 500)"},
    {"seed", 1, "seed of the generator (default 2023): the same seed gives the same county"},
    {"password", 1, "password of every demo account (default Ningjin@2024)"},
    {"only", 1, "only these mechanisms' parts, comma-separated (e.g. problem,study)"},
    {NULL, 0, NULL},
};
static const cli_spec demo_spec = {
    "demo", "[--problems N] [--seed N] [--password P] [--only MECH,…]",
    "Fills a new database with the demo county 宁津县: departments, townships, villages and\n"
    "enterprises, accounts for every role, and two years of problems in every state. Refuses a\n"
    "database that already has units besides the root.",
    demo_opts, 0, 0,
};

typedef struct {
    arena *a;
    store_unit *units;
    size_t n;
} units_ctx;

STORE_FN(units_fn, units_ctx *u, store_unit_list(tx, u->a, NULL, 0, &u->units, &u->n));

/* Whether every name of the comma-separated list is a mechanism with a demo part. */
static int known_mechs(const char *only)
{
    for (const char *p = only; *p;) {
        size_t len = strcspn(p, ",");
        int found = 0;
        for (const mech *const *m = duban_mechs; *m && !found; m++)
            found = (*m)->demo && strlen((*m)->name) == len && strncmp((*m)->name, p, len) == 0;
        if (!found) return 0;
        p += len + (p[len] == ',');
    }
    return 1;
}

int cmd_demo(int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(&demo_spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    const char *problems = cli_opt_value(&demo_spec, &c, "problems");
    const char *seed = cli_opt_value(&demo_spec, &c, "seed");
    const char *password = cli_opt_value(&demo_spec, &c, "password");
    const char *only = cli_opt_value(&demo_spec, &c, "only");
    demo_options opt = {problems ? atoi(problems) : 500, seed ? (unsigned)atol(seed) : 2023,
                        password ? password : "Ningjin@2024", only};
    if (only && !known_mechs(only)) {
        fprintf(stderr, "duban demo: --only names a mechanism without a demo part: %s\n", only);
        cli_free(&c);
        return 2;
    }
    if (opt.problems < 0 || opt.problems > 100000) {
        fprintf(stderr, "duban demo: --problems must be 0..100000\n");
        cli_free(&c);
        return 2;
    }
    app ap;
    rc = 1;
    if (cli_open(&c, &ap)) goto out;
    units_ctx u = {.a = arena_new()};
    err_code e = store_read(ap.st, units_fn, &u);
    if (e == E_OK && u.n > 1) {
        char label[512];
        config_db_label(c.cfg.db, label, sizeof label);
        fprintf(stderr, "duban demo: %s already has units; the demo needs a new database "
                        "(duban init --db OTHER.db)\n", label);
    } else if (e == E_OK) {
        e = demo_fill(&ap, &opt, stdout);
        rc = e == E_OK ? 0 : cli_fail("demo", e, NULL);
    } else {
        cli_fail("demo", e, NULL);
    }
    arena_free(u.a);
    app_close(&ap);
out:
    cli_free(&c);
    return rc;
}
