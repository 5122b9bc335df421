/*
 * problem_int — what the problem list's own files share and nobody else includes: its HTTP
 * handlers (listed in routes.c), the JSON view of a problem and the list filters of the query
 * string, and the mechanism's descriptor parts.
 */
#ifndef DUBAN_PROBLEM_INT_H
#define DUBAN_PROBLEM_INT_H

#include "api/api.h"
#include "cli/cli.h"
#include "core/mech.h"
#include "problem/problem.h"

json_t *api_problem_json(http_req *r, const store_problem *p);
/* Reads the problem-list filters from the query string (shared by list, export, figures). */
err_code api_problem_filter(http_req *r, store_problem_filter *f);
/* Narrows f to the caller's task named by ?task= (sign, report, verify, approve, overdue). */
err_code api_problem_task_filter(http_req *r, store_problem_filter *f);

/* ---- handlers (api_*.c), listed in routes.c ---- */
err_code api_problems_list(http_req *r);
err_code api_problems_create(http_req *r);
err_code api_problems_get(http_req *r);
err_code api_problems_actions(http_req *r);
err_code api_problem_flow(http_req *r);
err_code api_problems_act(http_req *r);
err_code api_problems_stats(http_req *r);
err_code api_problems_export_xlsx(http_req *r);
err_code api_problems_export_csv(http_req *r);
err_code api_problems_import(http_req *r);
err_code api_problems_recurring(http_req *r);
/*
 * The figures of f grouped by the units directly under f->unit_id (the stats' unit grouping,
 * key "0" the unit itself), each with its list filters, and their total (api_stats.c).
 */
err_code api_problem_unit_figures(http_req *r, const store_problem_filter *f, json_t **groups,
                                  json_t **total);
/* 通报排名 (api_ranking.c): the ranking of units, and its thresholds. */
err_code api_problems_ranking(http_req *r);
err_code api_problems_ranking_thresholds_get(http_req *r);
err_code api_problems_ranking_thresholds_set(http_req *r);
/* The titles of problems named in the audit log (api_names.c). */
err_code api_problems_names(http_req *r);

err_code api_lookbacks_list(http_req *r);
err_code api_lookbacks_complete(http_req *r);

err_code api_me_tasks(http_req *r);
err_code api_problem_attachments_upload(http_req *r);

/* ---- CLI commands (cli.c, cli_ledger.c) ---- */
int cmd_problem(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_import(int argc, char **argv);

extern const http_route problem_routes[];

/* Its part of `duban demo` (demo.c): accounts and two years of problems. */
err_code problem_demo(app *ap, mech_demo_county *c, FILE *out);

#endif
