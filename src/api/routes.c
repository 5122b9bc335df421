/*
 * routes — the API's table of contents. Every endpoint duban serves is one line here; the
 * handler behind it checks permission and scope itself (fail closed).
 */
#include "api/api.h"

const http_route http_routes[] = {
    {"GET", "/healthz", ROUTE_PUBLIC, api_healthz},

    {"GET", "/api/v1/session", ROUTE_OPTIONAL_AUTH | ROUTE_PW_CHANGE, api_session_get},
    {"POST", "/api/v1/session", ROUTE_PUBLIC, api_session_create},
    {"DELETE", "/api/v1/session", ROUTE_PW_CHANGE, api_session_delete},
    {"GET", "/api/v1/me", ROUTE_PW_CHANGE, api_me},
    {"PUT", "/api/v1/me/password", ROUTE_PW_CHANGE, api_me_password},
    {"GET", "/api/v1/me/tasks", 0, api_me_tasks},
    {"GET", "/api/v1/tokens", 0, api_tokens_list},
    {"POST", "/api/v1/tokens", 0, api_tokens_create},
    {"DELETE", "/api/v1/tokens/{id}", 0, api_tokens_delete},

    {"GET", "/api/v1/unit-kinds", 0, api_unit_kinds},
    {"GET", "/api/v1/units", 0, api_units_list},
    {"POST", "/api/v1/units", 0, api_units_create},
    {"GET", "/api/v1/units/{id}", 0, api_units_get},
    {"PATCH", "/api/v1/units/{id}", 0, api_units_rename},
    {"POST", "/api/v1/units/{id}/move", 0, api_units_move},
    {"GET", "/api/v1/units/{id}/history", 0, api_units_history},

    {"GET", "/api/v1/users", 0, api_users_list},
    {"POST", "/api/v1/users", 0, api_users_create},
    {"GET", "/api/v1/users/{id}", 0, api_users_get},
    {"POST", "/api/v1/users/{id}/lock", 0, api_users_lock},
    {"POST", "/api/v1/users/{id}/unlock", 0, api_users_unlock},
    {"POST", "/api/v1/users/{id}/reset-password", 0, api_users_reset_password},

    {"GET", "/api/v1/permissions", 0, api_permissions_list},
    {"GET", "/api/v1/roles", 0, api_roles_list},
    {"POST", "/api/v1/roles", 0, api_roles_create},
    {"PATCH", "/api/v1/roles/{name}", 0, api_roles_update},
    {"GET", "/api/v1/grants", 0, api_grants_list},
    {"POST", "/api/v1/grants", 0, api_grants_create},
    {"DELETE", "/api/v1/grants/{id}", 0, api_grants_delete},

    {"GET", "/api/v1/problems", 0, api_problems_list},
    {"POST", "/api/v1/problems", 0, api_problems_create},
    {"GET", "/api/v1/problems/flow", 0, api_problem_flow},
    {"GET", "/api/v1/problems/stats", 0, api_problems_stats},
    {"GET", "/api/v1/problems/recurring", 0, api_problems_recurring},
    {"GET", "/api/v1/problems/export.xlsx", 0, api_problems_export_xlsx},
    {"GET", "/api/v1/problems/export.csv", 0, api_problems_export_csv},
    {"POST", "/api/v1/problems/import", ROUTE_UPLOAD, api_problems_import},
    {"GET", "/api/v1/problems/{id}", 0, api_problems_get},
    {"GET", "/api/v1/problems/{id}/actions", 0, api_problems_actions},
    {"POST", "/api/v1/problems/{id}/actions/{action}", 0, api_problems_act},
    {"POST", "/api/v1/problems/{id}/attachments", ROUTE_UPLOAD, api_attachments_upload},
    {"GET", "/api/v1/attachments/{id}", 0, api_attachments_get},
    {"GET", "/api/v1/lookbacks", 0, api_lookbacks_list},
    {"POST", "/api/v1/lookbacks/{id}", 0, api_lookbacks_complete},
    {"GET", "/api/v1/notifications", ROUTE_PW_CHANGE, api_notifications_list},
    {"POST", "/api/v1/notifications/read", 0, api_notifications_read},
    {"POST", "/api/v1/notifications/{id}/read", 0, api_notifications_read},

    {"GET", "/api/v1/audit", 0, api_audit_list},
    {"GET", "/api/v1/audit/verify", 0, api_audit_verify},
    {NULL, NULL, 0, NULL},
};

/* Any other GET outside /api/: the UI's built files, and its page for the UI's own paths. */
const http_route http_web_route = {"GET", "/*", ROUTE_PUBLIC, api_web};
