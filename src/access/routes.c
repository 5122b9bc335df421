/*
 * routes — the endpoints of roles and grants: the permission catalogue, roles, grants.
 * Every row names the permission it needs (checked by the server before the handler, which
 * checks the object's unit) or is marked as needing none (http.h).
 */
#include "access/access_int.h"

const http_route access_routes[] = {
    /* the catalogue of permission titles: every profile page shows its own by title */
    {"GET", "/api/v1/permissions", NULL, ROUTE_SIGNED_IN, api_permissions_list},
    {"GET", "/api/v1/roles", "role.read", 0, api_roles_list},
    {"POST", "/api/v1/roles", "role.write", 0, api_roles_create},
    {"PATCH", "/api/v1/roles/{name}", "role.write", 0, api_roles_update},
    {"GET", "/api/v1/grants", "grant.read", ROUTE_LIST, api_grants_list},
    {"POST", "/api/v1/grants", "grant.write", 0, api_grants_create},
    {"DELETE", "/api/v1/grants/{id}", "grant.write", 0, api_grants_delete},
    {NULL, NULL, NULL, 0, NULL},
};
