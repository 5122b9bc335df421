/*
 * mech — the descriptor of what belongs to no single mechanism: the cross-cutting endpoints
 * (routes.c), the audit administrator's permission, and the scheduler's warning to them when
 * disk space runs low.
 */
#include "api/api.h"

#include "core/mech.h"

extern const http_route api_routes[];

static const perm_info perms[] = {
    {"audit.read", "查看和校验审计日志", CLASS_AUDIT, 0},
    {NULL, NULL, CLASS_NONE, 0},
};

const mech common_mech = {
    .name = "common",
    .title = "公共",
    .perms = perms,
    .routes = api_routes,
    .tick = api_audit_disk_tick,
};
