/*
 * org_int — what the org tree's own files share and nobody else includes: its HTTP handlers
 * (listed in routes.c) and its CLI commands.
 */
#ifndef DUBAN_ORG_INT_H
#define DUBAN_ORG_INT_H

#include "api/api.h"
#include "cli/cli.h"
#include "core/mech.h"
#include "org/org.h"

err_code api_unit_kinds(http_req *r);
err_code api_units_list(http_req *r);
err_code api_units_create(http_req *r);
err_code api_units_get(http_req *r);
err_code api_units_rename(http_req *r);
err_code api_units_move(http_req *r);
err_code api_units_history(http_req *r);

err_code api_users_list(http_req *r);
err_code api_users_create(http_req *r);
err_code api_users_get(http_req *r);
err_code api_users_lock(http_req *r);
err_code api_users_unlock(http_req *r);
err_code api_users_clear_lockout(http_req *r);
err_code api_users_reset_password(http_req *r);

extern const http_route org_routes[];

int cmd_user(int argc, char **argv);
int cmd_unit(int argc, char **argv);

#endif
