/*
 * names — what the study registry's audit objects are called (an activity by its date, kind
 * and topic, a feedback item by its issue and the activity it was raised at, a plan, an
 * output, a person), so the audit log names them instead of showing "activity:7214".
 * Only for audit.read over the county (api_audit_names checks it).
 */
#include "study/study_int.h"

#include <string.h>

static json_t *study_name(store_tx *tx, arena *a, const char *kind, int64_t id, int64_t *page)
{
    if (strcmp(kind, "activity") == 0) {
        store_activity x;
        if (store_activity_get(tx, a, id, &x) != E_OK) return NULL;
        return json_pack("{ss ss}", "title",
                         arena_sprintf(a, "%s %s %s", x.held_on, x.kind_title, x.topic),
                         "unit_name", x.unit_name);
    }
    if (strcmp(kind, "feedback") == 0) {
        store_feedback f;
        if (store_feedback_get(tx, a, id, &f) != E_OK) return NULL;
        *page = f.activity_id; /* a feedback item is shown on its activity's page */
        return json_pack("{ss ss}", "title", f.issue, "unit_name", f.unit_name);
    }
    if (strcmp(kind, "plan") == 0) {
        store_plan p;
        if (store_plan_get(tx, a, id, &p) != E_OK) return NULL;
        return json_pack("{ss ss}", "title", arena_sprintf(a, "%lld年学习计划", (long long)p.year),
                         "unit_name", p.unit_name);
    }
    if (strcmp(kind, "person") == 0) {
        store_person p;
        if (store_person_get(tx, a, id, &p) != E_OK) return NULL;
        return json_pack("{ss ss}", "title", p.name, "unit_name", p.unit_name);
    }
    return NULL;
}

err_code api_study_names(http_req *r)
{
    static const char *const kinds[] = {"activity", "feedback", "plan", "person", NULL};
    return api_audit_names(r, kinds, study_name);
}
