/*
 * feeds_int — what the feeds mechanism's own files share (#17 items 5–7): reaching people
 * outside duban's pages. Three parts:
 *   calwatch.c  the working-day calendar kept current: from 1 November, until next year's
 *               holiday notice is imported, administrators are asked for it (a banner and a
 *               notification); when a year arrives, every problem deadline counted on its
 *               estimate (weekends alone) is counted again, with a timeline entry;
 *   ics.c       each user's private calendar feed (RFC 5545) behind a revocable token;
 *   public.c    the public results page: problems the supervising side made public, shown
 *               through a strict whitelist of fields, cached and rate-limited per client.
 */
#ifndef DUBAN_FEEDS_INT_H
#define DUBAN_FEEDS_INT_H

#include "api/api.h"
#include "core/mech.h"
#include "core/store_fn.h"
#include "http/http.h"
#include "store/sq.h"

#include <jansson.h>

extern const http_route feeds_routes[];

/* calwatch.c */
/* The year whose notice administrators are asked for at now (0 when none is missing). */
int feeds_missing_year(const app *ap, int64_t now);
/* The tick: asks for the missing year (*asked new notifications), recounts (*recounted). */
err_code feeds_calendar_tick(app *ap, arena *a, int64_t now, int *asked, int *recounted);
err_code api_calendar_status(http_req *r);

/* ics.c */
err_code api_feed_get(http_req *r);
err_code api_feed_create(http_req *r);
err_code api_feed_delete(http_req *r);
err_code api_feed_ics(http_req *r);
/* The text of one ICS feed (heap, the caller frees) for the events given: exposed for tests. */
typedef struct {
    const char *uid, *summary, *description, *url;
    const char *date;     /* YYYY-MM-DD: an all-day event */
    int64_t start, end;   /* or a timed one (UTC seconds), when date is NULL */
    int alarm_days;       /* > 0: a VALARM that many days before (all-day: at 09:00) */
} ics_event;
char *ics_render(const ics_event *ev, size_t n, const char *name, int64_t stamp);

/* public.c */
err_code api_problem_publish(http_req *r);
err_code api_problem_unpublish(http_req *r);
err_code api_problem_public_get(http_req *r);
err_code api_public_results(http_req *r);
err_code api_public_counties(http_req *r);
/* Makes a problem public with its result text, as p (who must hold problem.publish over it). */
err_code feeds_publish(app *ap, arena *a, const principal *p, int64_t problem_id,
                       const char *result);

/* demo.c: the demo county's public page gets the latest closed problems, with results. */
err_code feeds_demo(app *ap, mech_demo_county *county, FILE *out);

#endif
