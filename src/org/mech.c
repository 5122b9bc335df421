/* mech — the org tree's descriptor: units and user accounts, their permissions, routes and
 * commands. */
#include "org/org_int.h"

static const perm_info perms[] = {
    {"unit.read", "查看组织架构", CLASS_NONE, 0},
    {"unit.write", "管理组织架构", CLASS_SYSTEM, 0},
    {"user.read", "查看用户", CLASS_NONE, 0},
    {"user.write", "管理用户账户", CLASS_SYSTEM, 0},
    {"user.unlock", "解除登录锁定", CLASS_SECURITY, 0},
    {NULL, NULL, CLASS_NONE, 0},
};

static const mech_cmd commands[] = {
    {"user", cmd_user, "add|passwd|lock|unlock|list user accounts"},
    {"unit", cmd_unit, "add|list|move|rename units of the org tree"},
    {NULL, NULL, NULL},
};

const mech org_mech = {
    .name = "org",
    .title = "组织架构与用户",
    .perms = perms,
    .routes = org_routes,
    .commands = commands,
};
