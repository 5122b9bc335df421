/*
 * mech — the liaison mechanism's descriptor (统战联络、党建联盟): its permissions (the persons'
 * personal data under liaison.person, whose every read is audited), its routes, its CLI command,
 * its part of the scheduler (overdue and due-soon visit reminders) and of the demo.
 */
#include "liaison/liaison_int.h"

#include <stdio.h>

static const perm_info perms[] = {
    {"liaison.read", "查看统战联络和党建联盟记录", CLASS_NONE, 0},
    {"liaison.person", "查看统战对象个人信息", CLASS_NONE, 1},
    {"liaison.write", "维护统战名册、联系任务和党建联盟", CLASS_NONE, 0},
    {"liaison.visit", "登记本人联系对象的走访", CLASS_NONE, 0},
    {NULL, NULL, CLASS_NONE, 0},
};

static err_code tick(app *ap, arena *a, int64_t now, char *summary, size_t n, int *acted)
{
    int overdue = 0, soon = 0;
    err_code e = liaison_tick(ap, a, now, &overdue, &soon);
    if (e != E_OK) return e;
    snprintf(summary, n, "%d visit reminders of overdue periods, %d of periods due soon", overdue,
             soon);
    *acted = overdue || soon;
    return E_OK;
}

static const mech_cmd commands[] = {
    {"liaison", cmd_liaison, "persons|person|due|stats: the 统战 registers (personal data masked)"},
    {NULL, NULL, NULL},
};

const mech liaison_mech = {
    .name = "liaison",
    .title = "统战联络",
    .perms = perms,
    .routes = liaison_routes,
    .commands = commands,
    .tick = tick,
    .demo = liaison_demo,
};
