/* mech — the descriptor of roles and grants (权限): their permissions, routes and commands. */
#include "access/access_int.h"

static const perm_info perms[] = {
    {"role.read", "查看角色", CLASS_NONE, 0},
    {"role.write", "管理角色", CLASS_SECURITY, 0},
    {"grant.read", "查看授权", CLASS_NONE, 0},
    {"grant.write", "授予和撤销权限", CLASS_SECURITY, 0},
    {NULL, NULL, CLASS_NONE, 0},
};

static const mech_cmd commands[] = {
    {"role", cmd_role, "list roles"},
    {"grant", cmd_grant, "grant a role over a unit's subtree"},
    {"revoke", cmd_revoke, "revoke a grant"},
    {NULL, NULL, NULL},
};

const mech access_mech = {
    .name = "access",
    .title = "角色与授权",
    .perms = perms,
    .routes = access_routes,
    .commands = commands,
};
