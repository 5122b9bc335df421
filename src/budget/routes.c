/*
 * routes — budget performance's endpoints (成本预算绩效): projects with their cost sheets and
 * targets, the flow's actions, the indicator library, figures and the public page.
 * Every row names the permission it needs (checked by the server before the handler, which
 * checks the project's unit or assignment) or is marked as needing none (http.h).
 */
#include "budget/budget_int.h"

const http_route budget_routes[] = {
    {"GET", "/api/v1/budget/meta", NULL, ROUTE_SIGNED_IN, api_budget_meta},
    {"GET", "/api/v1/budget/names", "audit.read", 0, api_budget_names},
    /* a third party without budget.read sees the projects assigned to it */
    {"GET", "/api/v1/budget/projects", NULL, ROUTE_SIGNED_IN, api_budget_list},
    {"GET", "/api/v1/budget/projects/export.xlsx", NULL, ROUTE_SIGNED_IN, api_budget_list},
    {"POST", "/api/v1/budget/projects", "budget.apply", 0, api_budget_create},
    {"GET", "/api/v1/budget/projects/{id}", NULL, ROUTE_SIGNED_IN, api_budget_get},
    {"GET", "/api/v1/budget/projects/{id}/export.xlsx", NULL, ROUTE_SIGNED_IN, api_budget_export},
    {"PUT", "/api/v1/budget/projects/{id}", "budget.apply", 0, api_budget_update},
    {"GET", "/api/v1/budget/projects/{id}/actions", NULL, ROUTE_SIGNED_IN, api_budget_actions},
    {"POST", "/api/v1/budget/projects/{id}/actions/{action}", NULL, ROUTE_SIGNED_IN,
     api_budget_act},
    {"POST", "/api/v1/budget/projects/{id}/assessment", "budget.review", 0, api_budget_assess},
    {"GET", "/api/v1/budget/projects/{id}/monitor", NULL, ROUTE_SIGNED_IN, api_budget_monitor_get},
    {"POST", "/api/v1/budget/projects/{id}/monitor", "budget.apply", 0, api_budget_monitor_report},
    {"GET", "/api/v1/budget/monitor", "budget.read", 0, api_budget_monitor_list},
    {"GET", "/api/v1/budget/monitor/export.xlsx", "budget.read", 0, api_budget_monitor_list},
    {"GET", "/api/v1/budget/library", "budget.read", 0, api_budget_library_list},
    {"POST", "/api/v1/budget/library", "budget.library", 0, api_budget_library_create},
    {"GET", "/api/v1/budget/stats", "budget.read", 0, api_budget_stats},
    {"GET", "/api/v1/public/budget", NULL, ROUTE_PUBLIC, api_budget_public},
    {NULL, NULL, NULL, 0, NULL},
};
