/*
 * study_int — what the study registry's own files share and nobody else includes: its HTTP
 * handlers (listed in routes.c) and the helpers they have in common.
 */
#ifndef DUBAN_STUDY_INT_H
#define DUBAN_STUDY_INT_H

#include "api/api.h"
#include "core/mech.h"
#include "study/study_store.h"
#include "study/study.h"

/* The subtrees where the caller may read study records (authz_scope of study.read). */
const char *api_study_scope(http_req *r);
/* The path of unit_id (NULL for 0); E_NOT_FOUND when there is no such unit. */
err_code api_study_subtree(store_tx *tx, arena *a, int64_t unit_id, const char **path);
/* The reply for a refused change of src/study/ (the field named). */
err_code api_study_reply_change(http_req *r, err_code e, const char *bad_field);
json_t *api_person_json(const store_person *p);
json_t *api_output_json(const store_output *o);
json_t *api_feedback_json(const store_feedback *f);
/* The activity-list filters of the query string (shared by the list, export and figures). */
err_code api_study_activity_filter(http_req *r, store_activity_filter *f, int64_t *unit_id);
/* The unit path of a study activity (E_NOT_FOUND when there is no such activity). */
err_code study_activity_path(app *ap, arena *a, int64_t activity_id, const char **path);
/* The same for a handler (in its arena). */
err_code api_activity_path(http_req *r, int64_t activity_id, const char **path);

/* ---- handlers (api_*.c), listed in routes.c ---- */
/* The names of study objects in the audit log (api_names.c). */
err_code api_study_names(http_req *r);
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

extern const http_route study_routes[];

/* Its part of `duban demo` (demo.c): two years of study and outreach records. */
err_code study_demo(app *ap, mech_demo_county *c, FILE *out);

#endif
