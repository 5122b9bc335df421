/*
 * mech — the problem list's descriptor (问题清单): its permissions, its flow, its routes, its
 * CLI commands, its part of the scheduler and of the demo, and who may see its evidence.
 */
#include "problem/problem_int.h"

#include "problem/tick.h"

#include <stdio.h>

extern const char flow_builtin_problem[];

static const perm_info perms[] = {
    {"problem.read", "查看问题清单", CLASS_NONE, 0},
    {"problem.register", "登记问题", CLASS_NONE, 0},
    {"problem.assign", "交办问题、审批延期", CLASS_NONE, 0},
    {"problem.handle", "办理问题（签收、报送进展、申请销号、申请延期）", CLASS_NONE, 0},
    {"problem.verify", "核查销号", CLASS_NONE, 0},
    {"problem.supervise", "挂牌督办", CLASS_NONE, 0},
    {"problem.lookback", "回头看", CLASS_NONE, 0},
    {NULL, NULL, CLASS_NONE, 0},
};

static const mech_flow flows[] = {
    {"problem", "problem.json", flow_builtin_problem, 1},
    {NULL, NULL, NULL, 0},
};

static const mech_cmd commands[] = {
    {"problem", cmd_problem, "list|show|act on the problem list (问题清单)"},
    {"export", cmd_export, "export problems: the ledger (台账) as XLSX or CSV"},
    {"import", cmd_import, "import problems: a ledger from XLSX or CSV, with a report per bad row"},
    {NULL, NULL, NULL},
};

const flow_def *problem_flow_def(const app *ap)
{
    return app_flow(ap, "problem");
}

static err_code tick(app *ap, arena *a, int64_t now, char *summary, size_t n, int *acted)
{
    (void)a;
    problem_tick_report r;
    err_code e = problem_tick(ap, now, &r);
    if (e != E_OK) return e;
    snprintf(summary, n,
             "%d newly overdue, %d due soon, %d unsigned, %d without staged result, "
             "%d look-back tasks, %d notifications",
             r.overdue, r.reminders, r.unsigned_, r.staged, r.lookbacks, r.notifications);
    *acted = r.overdue || r.notifications || r.lookbacks;
    return E_OK;
}

/* Evidence is seen by whoever may see the problem. */
static err_code attach_access(app *ap, arena *a, const principal *p, const char *flow,
                              int64_t item_id, const char **object)
{
    (void)flow;
    store_problem pr;
    *object = arena_sprintf(a, "problem:%lld", (long long)item_id);
    return problem_get(ap, a, p, item_id, &pr);
}

const mech problem_mech = {
    .name = "problem",
    .title = "问题清单",
    .perms = perms,
    .flows = flows,
    .routes = problem_routes,
    .commands = commands,
    .tick = tick,
    .attach_flow = "problem",
    .attach = attach_access,
    .demo = problem_demo,
};
