/*
 * routes — the org tree's endpoints: unit kinds, units (with moves and history), user accounts.
 * Every row names the permission it needs (checked by the server before the handler, which
 * checks the object's unit) or is marked as needing none (http.h).
 */
#include "org/org_int.h"

const http_route org_routes[] = {
    {"GET", "/api/v1/unit-kinds", "unit.read", 0, api_unit_kinds},
    {"GET", "/api/v1/units", "unit.read", ROUTE_LIST, api_units_list},
    {"POST", "/api/v1/units", "unit.write", 0, api_units_create},
    {"GET", "/api/v1/units/{id}", "unit.read", 0, api_units_get},
    {"PATCH", "/api/v1/units/{id}", "unit.write", 0, api_units_rename},
    {"POST", "/api/v1/units/{id}/move", "unit.write", 0, api_units_move},
    {"GET", "/api/v1/units/{id}/history", "unit.read", 0, api_units_history},
    {"GET", "/api/v1/users", "user.read", ROUTE_LIST, api_users_list},
    {"POST", "/api/v1/users", "user.write", 0, api_users_create},
    {"GET", "/api/v1/users/{id}", "user.read", 0, api_users_get},
    {"POST", "/api/v1/users/{id}/lock", "user.write", 0, api_users_lock},
    {"POST", "/api/v1/users/{id}/unlock", "user.write", 0, api_users_unlock},
    {"POST", "/api/v1/users/{id}/clear-lockout", "user.unlock", 0, api_users_clear_lockout},
    {"POST", "/api/v1/users/{id}/reset-password", "user.write", 0, api_users_reset_password},
    {NULL, NULL, NULL, 0, NULL},
};
