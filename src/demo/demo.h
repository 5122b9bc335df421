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

/* A unit of the demo county demo_fill made: its code (also the stem of its accounts' logins). */
typedef struct {
    int64_t id;
    const char *code, *name;
} demo_unit;

typedef struct {
    int sessions, center_group, seminars, lectures, member_lecturers, outreach, persons,
        branches, reflections, outputs, plans, observations, feedback_open, feedback_overdue,
        site_visits;
    int64_t audience;
} demo_study_report;

/*
 * The study and outreach registry of the demo county (demo_study.c), over the same two years as
 * the problems: 党支部 with their fixed study days, cadres and party members, study clerks and an
 * observer, plans, 中心组 sessions and 研讨 at every level, branch sessions (三定一分享, some
 * months deliberately not kept), 党课 by ordinary members, outreach brands, teams and events,
 * education sites and visits, outputs, observers' feedback. Prints nothing; demo_fill does.
 */
err_code demo_study(app *ap, const demo_options *opt, int64_t root, const demo_unit *towns,
                    int ntown, const demo_unit *depts, int ndept, demo_study_report *r);

#endif
