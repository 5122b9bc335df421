/*
 * demo — fills a fresh database with a living demo county (宁津县, the seed's county): its
 * departments, townships, villages and enterprises; users for every role; and two years of
 * problems (问题清单) that went through the real flow — assigned, signed, reported, claimed,
 * verified, some returned, some overdue, some reopened by a look-back — written through the
 * same mechanisms as the API, with the times at which they happened.
 */
#ifndef DUBAN_DEMO_H
#define DUBAN_DEMO_H

#include "core/app.h"

#include <stdio.h>

typedef struct {
    int problems; /* how many problems (the default demo has 500) */
    unsigned seed;
    const char *password; /* for every demo user */
} demo_options;

/* Writes the demo into ap; prints the accounts and a summary to out. */
err_code demo_fill(app *ap, const demo_options *opt, FILE *out);

#endif
