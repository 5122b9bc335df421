/*
 * routes — the problem list's endpoints (问题清单): registration, actions on the flow, figures, the
 * ledger, evidence, look-backs and the caller's tasks.
 * Every row names the permission it needs (checked by the server before the handler, which
 * checks the object's unit) or is marked as needing none (http.h).
 */
#include "problem/problem_int.h"

const http_route problem_routes[] = {
    {"GET", "/api/v1/me/tasks", NULL, ROUTE_SIGNED_IN, api_me_tasks},
    {"GET", "/api/v1/problems", "problem.read", ROUTE_LIST, api_problems_list},
    {"POST", "/api/v1/problems", "problem.register", 0, api_problems_create},
    {"GET", "/api/v1/problems/flow", "problem.read", 0, api_problem_flow},
    {"GET", "/api/v1/problems/stats", "problem.read", 0, api_problems_stats},
    {"GET", "/api/v1/problems/ranking", "problem.read", 0, api_problems_ranking},
    {"GET", "/api/v1/problems/ranking/thresholds", "problem.read", 0,
     api_problems_ranking_thresholds_get},
    {"PUT", "/api/v1/problems/ranking/thresholds", "problem.assign", 0,
     api_problems_ranking_thresholds_set},
    {"GET", "/api/v1/problems/recurring", "problem.read", 0, api_problems_recurring},
    {"GET", "/api/v1/problems/names", "audit.read", 0, api_problems_names},
    {"GET", "/api/v1/problems/export.xlsx", "problem.read", 0, api_problems_export_xlsx},
    {"GET", "/api/v1/problems/export.csv", "problem.read", 0, api_problems_export_csv},
    {"POST", "/api/v1/problems/import", "problem.register", ROUTE_UPLOAD, api_problems_import},
    {"GET", "/api/v1/problems/{id}", "problem.read", 0, api_problems_get},
    {"GET", "/api/v1/problems/{id}/actions", "problem.read", 0, api_problems_actions},
    {"POST", "/api/v1/problems/{id}/actions/{action}", "problem.read", 0, api_problems_act},
    {"POST", "/api/v1/problems/{id}/attachments", "problem.read", ROUTE_UPLOAD,
     api_problem_attachments_upload},
    {"GET", "/api/v1/lookbacks", NULL, ROUTE_SIGNED_IN, api_lookbacks_list},
    {"POST", "/api/v1/lookbacks/{id}", "problem.lookback", 0, api_lookbacks_complete},
    {NULL, NULL, NULL, 0, NULL},
};
