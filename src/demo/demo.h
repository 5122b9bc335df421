/*
 * demo — fills a fresh database with a living demo county (宁津县, the seed's county). This
 * part makes the county itself — its departments, townships with their villages and its
 * enterprises — and then runs every registered mechanism's demo part in the registration
 * table's order (core/mech.h: `demo`), each writing two years of its own records through the
 * same mechanisms as the API, with the times at which they happened, and printing its lines
 * and accounts. It also holds what those parts share: the county, a deterministic random
 * source, and accounts with a role.
 */
#ifndef DUBAN_DEMO_H
#define DUBAN_DEMO_H

#include "auth/authz.h"
#include "core/app.h"
#include "core/mech.h"

#include <stdio.h>

typedef struct {
    int problems; /* how many problems (the default demo has 500) */
    unsigned seed;
    const char *password; /* for every demo user */
    const char *only;     /* "study,problem": only these mechanisms' parts; NULL: every one */
} demo_options;

/* A unit of the demo county: its id, code (also the stem of its accounts' logins) and name. */
typedef struct {
    int64_t id;
    const char *code, *name;
} demo_unit;

enum { DEMO_NVILLAGE = 4 };

/* The county demo_fill made, handed to every mechanism's demo part. */
struct mech_demo_county {
    app *ap;
    arena *a; /* lives as long as the whole demo */
    const demo_options *opt;
    principal sys;
    int64_t root;
    const demo_unit *depts, *towns;
    int ndept, ntown;
    /* each township's villages; a village's name here is the township's and its own
       ("柴胡店镇东街村"), as texts about it say */
    const demo_unit (*villages)[DEMO_NVILLAGE];
    const demo_unit *enterprises;
    const int64_t *enterprise_town; /* the township each enterprise lies in */
    int nenterprise;
};

/* Writes the demo into ap; prints the accounts and a summary to out. */
err_code demo_fill(app *ap, const demo_options *opt, FILE *out);

/* A small deterministic random source (xorshift32): the same seed gives the same county. */
typedef struct {
    unsigned s;
} demo_rng;
unsigned demo_next(demo_rng *r);
/* A number in [0, n); 0 when n <= 0. */
int demo_below(demo_rng *r, int n);

/*
 * The account login (made with the demo password unless it exists) granted role over scope,
 * as a principal with its grants in c->a.
 */
err_code demo_account(mech_demo_county *c, const char *login, const char *name, int64_t unit,
                      const char *role, int64_t scope, principal *out);

/*
 * The personal name of the demo county's staff member number i (a township's clerk, a
 * department's handler …): a plausible 姓名, the same for the same i on every run, distinct
 * for i < 120. It draws nothing from a random source, so the demo's figures do not move.
 */
const char *demo_staff_name(int i);

#endif
