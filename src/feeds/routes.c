/*
 * routes — the feeds mechanism's endpoints: the calendar's status (the banner), the caller's
 * private calendar feed and its token, marking problems public, and the public results page.
 * Every row names its permission or is marked as needing none (http.h); the feed itself is
 * public because its unguessable token is the key.
 */
#include "feeds/feeds_int.h"

const http_route feeds_routes[] = {
    {"GET", "/api/v1/calendar/status", NULL, ROUTE_SIGNED_IN, api_calendar_status},
    {"GET", "/api/v1/me/feed", NULL, ROUTE_SIGNED_IN, api_feed_get},
    {"POST", "/api/v1/me/feed", NULL, ROUTE_SIGNED_IN, api_feed_create},
    {"DELETE", "/api/v1/me/feed", NULL, ROUTE_SIGNED_IN, api_feed_delete},
    {"GET", "/api/v1/feeds/duban.ics", NULL, ROUTE_PUBLIC, api_feed_ics},
    {"GET", "/api/v1/problems/{id}/public", "problem.read", 0, api_problem_public_get},
    {"PUT", "/api/v1/problems/{id}/public", "problem.publish", 0, api_problem_publish},
    {"DELETE", "/api/v1/problems/{id}/public", "problem.publish", 0, api_problem_unpublish},
    {"GET", "/api/v1/public/results", NULL, ROUTE_PUBLIC, api_public_results},
    {"GET", "/api/v1/public/counties", NULL, ROUTE_PUBLIC, api_public_counties},
    {NULL, NULL, NULL, 0, NULL},
};
