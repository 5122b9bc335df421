/*
 * access_int — what roles and grants' own files share and nobody else includes: the HTTP
 * handlers (listed in routes.c) and the CLI commands.
 */
#ifndef DUBAN_ACCESS_INT_H
#define DUBAN_ACCESS_INT_H

#include "access/access.h"
#include "api/api.h"
#include "cli/cli.h"
#include "core/mech.h"

err_code api_permissions_list(http_req *r);
err_code api_roles_list(http_req *r);
err_code api_roles_create(http_req *r);
err_code api_roles_update(http_req *r);
err_code api_grants_list(http_req *r);
err_code api_grants_create(http_req *r);
err_code api_grants_delete(http_req *r);

extern const http_route access_routes[];

int cmd_role(int argc, char **argv);
int cmd_grant(int argc, char **argv);
int cmd_revoke(int argc, char **argv);

#endif
