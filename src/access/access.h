/*
 * access — roles and grants as mechanisms (the security administrator's work).
 *
 * Enforces 三员分立: a role may not combine permissions of two administrative classes, a grant
 * may not leave a user holding two classes, and nobody changes their own grants. The grantor
 * needs grant.write over the unit the grant is for.
 */
#ifndef DUBAN_ACCESS_H
#define DUBAN_ACCESS_H

#include "auth/authz.h"
#include "core/app.h"

/* Creates a role from permission names (each must be in the catalogue). */
err_code access_role_add(app *ap, arena *a, const principal *p, const char *name,
                         const char *title, const char **perms, size_t nperms, store_role *out,
                         const char **bad_field);
/* Replaces a non-builtin role's permissions, refusing when a holder would mix classes. */
err_code access_role_set_perms(app *ap, arena *a, const principal *p, const char *name,
                               const char **perms, size_t nperms, const char **bad_field);
/* Grants role (by name) to user over unit; fills *out. */
err_code access_grant(app *ap, arena *a, const principal *p, int64_t user_id, const char *role,
                      int64_t unit_id, store_grant *out, const char **bad_field);
/* Revokes a grant by id. */
err_code access_revoke(app *ap, arena *a, const principal *p, int64_t grant_id);

#endif
