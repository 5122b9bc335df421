/*
 * api — the HTTP handlers, one file per resource, and the JSON views of records they share.
 * Each handler parses its input by a declarative spec, authorises through authz or a
 * mechanism, calls the mechanism, and replies with what was committed.
 */
#ifndef DUBAN_API_H
#define DUBAN_API_H

#include "http/http.h"
#include "io/sheet.h"
#include "store/store_study.h"
#include "store/store.h"

/* ---- JSON views (views.c) ---- */
json_t *api_time(int64_t t); /* ISO-8601 UTC string, or null for 0 */
json_t *api_unit_json(const store_unit *u);
json_t *api_user_json(const store_user *u);
json_t *api_role_json(const store_role *r);
json_t *api_grant_json(const store_grant *g);
json_t *api_token_json(const store_token *t);
json_t *api_audit_json(const store_audit *a);
json_t *api_principal_perms(const principal *p);

json_t *api_problem_json(http_req *r, const store_problem *p);
/* Reads the problem-list filters from the query string (shared by list, export, figures). */
err_code api_problem_filter(http_req *r, store_problem_filter *f);
/* Narrows f to the caller's task named by ?task= (sign, report, verify, approve, overdue). */
err_code api_problem_task_filter(http_req *r, store_problem_filter *f);
/* ---- list replies (api/list_reply.c) ---- */
typedef struct {
    const char *key, *title; /* a key of each item, and its column title in the export */
} api_column;
/* 1 when the path ends in /export.xlsx: the list is wanted as a workbook. */
int api_wants_xlsx(http_req *r);
/* Replies {items,total} (items taken), or the items as an XLSX sheet on an export path. */
err_code api_reply_list(http_req *r, json_t *items, int64_t total, const api_column *cols,
                        size_t ncols, const char *title);

/* ---- the study registry (api/study*.c) ---- */
/* The subtrees where the caller may read study records (authz_scope of study.read). */
const char *api_study_scope(http_req *r);
/* The path of unit_id (NULL for 0); E_NOT_FOUND when there is no such unit. */
err_code api_study_subtree(store_tx *tx, arena *a, int64_t unit_id, const char **path);
/* A YYYY-MM-DD query argument, or NULL when absent; E_BAD_QUERY naming it when malformed. */
err_code api_study_date_query(http_req *r, const char *name, const char **out);
/* The reply for a refused change of src/study/ (the field named). */
err_code api_study_reply_change(http_req *r, err_code e, const char *bad_field);
json_t *api_person_json(const store_person *p);
/* An import's report {rows,imported,skipped,faults[{row,column,reason}],fatal}. */
json_t *api_import_report_json(const sheet_report *rep);
/* The reply of an import: the report, or (E_FIELD_INVALID) 400 naming the bad rows. */
err_code api_reply_import(http_req *r, err_code e, const sheet_report *rep);
json_t *api_output_json(const store_output *o);
json_t *api_feedback_json(const store_feedback *f);
/* The activity-list filters of the query string (shared by the list, export and figures). */
err_code api_study_activity_filter(http_req *r, store_activity_filter *f, int64_t *unit_id);
/* The unit path of a study activity (E_NOT_FOUND when there is no such activity). */
err_code api_activity_path(http_req *r, int64_t activity_id, const char **path);

/* ---- handlers ---- */
err_code api_healthz(http_req *r);
/* The browser UI: an embedded file by path, else its index page (client-side routes). */
err_code api_web(http_req *r);

err_code api_session_create(http_req *r);
err_code api_session_delete(http_req *r);
err_code api_me(http_req *r);
/* Like api_me when signed in, else {"user":null} with 200: the UI's first question. */
err_code api_session_get(http_req *r);
err_code api_me_tasks(http_req *r);
err_code api_me_password(http_req *r);
err_code api_tokens_list(http_req *r);
err_code api_tokens_create(http_req *r);
err_code api_tokens_delete(http_req *r);

err_code api_unit_kinds(http_req *r);
err_code api_units_list(http_req *r);
err_code api_units_create(http_req *r);
err_code api_units_get(http_req *r);
err_code api_units_rename(http_req *r);
err_code api_units_move(http_req *r);
err_code api_units_history(http_req *r);

err_code api_users_list(http_req *r);
err_code api_users_create(http_req *r);
err_code api_users_get(http_req *r);
err_code api_users_lock(http_req *r);
err_code api_users_unlock(http_req *r);
err_code api_users_reset_password(http_req *r);

err_code api_permissions_list(http_req *r);
err_code api_roles_list(http_req *r);
err_code api_roles_create(http_req *r);
err_code api_roles_update(http_req *r);
err_code api_grants_list(http_req *r);
err_code api_grants_create(http_req *r);
err_code api_grants_delete(http_req *r);

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

err_code api_attachments_upload(http_req *r);
err_code api_attachments_get(http_req *r);
err_code api_notifications_list(http_req *r);
err_code api_notifications_read(http_req *r);
err_code api_lookbacks_list(http_req *r);
err_code api_lookbacks_complete(http_req *r);

err_code api_study_persons_list(http_req *r);
err_code api_study_persons_create(http_req *r);
err_code api_study_persons_update(http_req *r);
err_code api_study_persons_import(http_req *r);
err_code api_study_kinds_list(http_req *r);
err_code api_study_kinds_create(http_req *r);
err_code api_study_plans_list(http_req *r);
err_code api_study_plans_create(http_req *r);
err_code api_study_plans_get(http_req *r);
err_code api_study_plans_topics(http_req *r);
err_code api_study_activities_list(http_req *r);
err_code api_study_activities_create(http_req *r);
err_code api_study_activities_get(http_req *r);
err_code api_study_activities_update(http_req *r);
err_code api_study_attendance_set(http_req *r);
err_code api_study_reflections_create(http_req *r);
err_code api_activity_attachments_upload(http_req *r);
err_code api_study_observations_create(http_req *r);
err_code api_study_outputs_list(http_req *r);
err_code api_study_outputs_create(http_req *r);
err_code api_study_feedback_list(http_req *r);
err_code api_study_feedback_answer(http_req *r);
err_code api_study_branch_set(http_req *r);
err_code api_study_compliance(http_req *r);
err_code api_study_rotation(http_req *r);
err_code api_study_brands_list(http_req *r);
err_code api_study_brands_create(http_req *r);
err_code api_study_teams_list(http_req *r);
err_code api_study_teams_create(http_req *r);
err_code api_study_sites_list(http_req *r);
err_code api_study_sites_create(http_req *r);
err_code api_study_visits_list(http_req *r);
err_code api_study_visits_create(http_req *r);
err_code api_study_stats(http_req *r);
err_code api_study_summary(http_req *r);
err_code api_study_summary_txt(http_req *r);
err_code api_study_summary_docx(http_req *r);

err_code api_audit_list(http_req *r);
err_code api_audit_verify(http_req *r);

#endif
