/*
 * mech — the study and outreach registry's descriptor (学习宣讲): its permissions, the flow
 * of observers' feedback, its routes, its part of the scheduler and who may see the
 * materials of an activity.
 */
#include "study/study_int.h"

#include <stdio.h>

extern const char flow_builtin_feedback[];

static const perm_info perms[] = {
    {"study.read", "查看学习宣讲记录", CLASS_NONE, 0},
    {"study.write", "登记学习计划、活动、人员和宣讲", CLASS_NONE, 0},
    {"study.observe", "列席旁听并反馈", CLASS_NONE, 0},
    {"study.answer", "答复列席旁听反馈", CLASS_NONE, 0},
    {NULL, NULL, CLASS_NONE, 0},
};

static const mech_flow flows[] = {
    {"feedback", "feedback.json", flow_builtin_feedback, 0},
    {NULL, NULL, NULL, 0},
};

const flow_def *study_feedback_flow(const app *ap)
{
    return app_flow(ap, "feedback");
}

static err_code tick(app *ap, arena *a, int64_t now, char *summary, size_t n, int *acted)
{
    int feedback = 0, branches = 0;
    err_code e = study_tick(ap, a, now, &feedback, &branches);
    if (e != E_OK) return e;
    snprintf(summary, n, "%d observers' feedback newly overdue, %d branches missed 三定一分享",
             feedback, branches);
    *acted = feedback || branches;
    return E_OK;
}

/* An activity's materials are seen by whoever may read study records of its unit. */
static err_code attach_access(app *ap, arena *a, const principal *p, const char *flow,
                              int64_t item_id, const char **object)
{
    (void)flow;
    const char *path;
    *object = arena_sprintf(a, "activity:%lld", (long long)item_id);
    err_code e = study_activity_path(ap, a, item_id, &path);
    if (e != E_OK) return e;
    return authz_can(p, "study.read", path) ? E_OK : E_FORBIDDEN;
}

const mech study_mech = {
    .name = "study",
    .title = "学习宣讲",
    .perms = perms,
    .flows = flows,
    .routes = study_routes,
    .tick = tick,
    .attach_flow = "activity",
    .attach = attach_access,
    .demo = study_demo,
};
