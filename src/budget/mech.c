/*
 * mech — budget performance's descriptor (成本预算绩效): its permissions (the applicant side, the
 * department head, the finance bureau's reviewers, the third party, the approvers), its flow,
 * its routes, its part of the scheduler (执行监控 warnings), its CLI command and its part of the demo.
 */
#include "budget/budget_int.h"
#include "budget/monitor.h"

#include <stdio.h>

extern const char flow_builtin_budget[];

static const perm_info perms[] = {
    {"budget.read", "查看预算项目", CLASS_NONE, 0},
    {"budget.apply", "编报预算项目（部门财务：测算表、绩效目标、提交）", CLASS_NONE, 0},
    {"budget.dept_approve", "预算单位负责人审核", CLASS_NONE, 0},
    {"budget.review", "财政审核（预算科、绩效科：委托评审、审定、退回）", CLASS_NONE, 0},
    {"budget.third_party", "第三方评审（仅限分配的项目）", CLASS_NONE, 0},
    {"budget.approve", "预算批复与公开", CLASS_NONE, 0},
    {"budget.library", "维护绩效指标库", CLASS_NONE, 0},
    {NULL, NULL, CLASS_NONE, 0},
};

static const mech_flow flows[] = {
    {"budget", "budget.json", flow_builtin_budget, 0},
    {NULL, NULL, NULL, 0},
};

static const mech_cmd commands[] = {
    {"budget", cmd_budget, "list|show|gate budget projects (成本预算绩效)"},
    {NULL, NULL, NULL},
};

/* The scheduler's part: 执行监控 flags announced once to the department and the finance bureau. */
static err_code tick(app *ap, arena *a, int64_t now, char *summary, size_t n, int *acted)
{
    int sent = 0;
    err_code e = budget_monitor_tick(ap, a, now, &sent);
    if (e != E_OK) return e;
    snprintf(summary, n, "%d budget monitoring warnings", sent);
    *acted = sent > 0;
    return E_OK;
}

const flow_def *budget_flow_def(const app *ap)
{
    return app_flow(ap, "budget");
}

const mech budget_mech = {
    .name = "budget",
    .title = "成本预算绩效",
    .perms = perms,
    .flows = flows,
    .routes = budget_routes,
    .commands = commands,
    .tick = tick,
    .demo = budget_demo,
};
