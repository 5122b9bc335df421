/*
 * budget_int — what budget performance's own files share and nobody else includes: its HTTP
 * handlers (listed in routes.c), the JSON views its handlers have in common, its CLI command
 * and its demo part.
 */
#ifndef DUBAN_BUDGET_INT_H
#define DUBAN_BUDGET_INT_H

#include "api/api.h"
#include "budget/budget.h"
#include "core/mech.h"

/* The list view of a project (no sheet). */
json_t *api_budget_json(http_req *r, const store_budget_project *p);
/* The gate's result as {ok, failures:[{code, field, message}]}. */
json_t *api_budget_gate_json(const budget_gate_result *g);
/* The list filters of the query string (shared by the list, its export and the figures). */
err_code api_budget_filter(http_req *r, store_budget_filter *f);
/* In a read: the filter's unit (a "#id" placeholder) as its path; E_BAD_QUERY when none. */
err_code api_budget_resolve(store_tx *tx, arena *a, store_budget_filter *f);

/* ---- handlers (api_*.c), listed in routes.c ---- */
err_code api_budget_list(http_req *r);
err_code api_budget_create(http_req *r);
err_code api_budget_get(http_req *r);
err_code api_budget_update(http_req *r);
err_code api_budget_actions(http_req *r);
err_code api_budget_act(http_req *r);
err_code api_budget_assess(http_req *r);
/* A project's cost sheet and targets as a workbook (api_export.c). */
err_code api_budget_export(http_req *r);
err_code api_budget_meta(http_req *r);
err_code api_budget_names(http_req *r);
err_code api_budget_library_list(http_req *r);
err_code api_budget_library_create(http_req *r);
err_code api_budget_stats(http_req *r);
err_code api_budget_public(http_req *r);
/* 执行监控 (api_monitor.c) */
err_code api_budget_monitor_report(http_req *r);
err_code api_budget_monitor_get(http_req *r);
err_code api_budget_monitor_list(http_req *r);

/* ---- CLI (cli.c) ---- */
int cmd_budget(int argc, char **argv);

extern const http_route budget_routes[];

/* Its part of `duban demo` (demo.c): a year's budget preparation of every department. */
err_code budget_demo(app *ap, mech_demo_county *c, FILE *out);

#endif
