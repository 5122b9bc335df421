/*
 * authz — permissions, principals and unit-subtree scopes.
 *
 * A role is a set of permissions; a grant gives a user a role over one unit's subtree. A
 * principal is who is acting in a request: a user with the (permission, subtree) pairs of all
 * their grants, or the system (the CLI, run by whoever administers the server), which may do
 * anything. Every check fails closed: no matching grant, no access.
 *
 * 三员分立: each administrative permission belongs to one class (system, security, audit); no
 * role and no user may combine two classes.
 */
#ifndef DUBAN_AUTHZ_H
#define DUBAN_AUTHZ_H

#include "audit/audit.h"
#include "base/err.h"
#include "base/mem.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

typedef enum { CLASS_NONE = 0, CLASS_SYSTEM = 1, CLASS_SECURITY = 2, CLASS_AUDIT = 4 } perm_class;

typedef struct {
    const char *name;  /* "unit.write" */
    const char *title; /* "管理组织架构" */
    perm_class cls;
    int audit_reads; /* every read under this permission is recorded (sensitive records) */
} perm_info;

/*
 * The entry for name in the catalogue of permissions, or NULL when no such permission exists.
 * The catalogue is every registered mechanism's own list (each mechanism names its
 * permissions with their titles and classes): defined by core/mech.c, so that auth/ names no
 * mechanism.
 */
const perm_info *authz_perm(const char *name);
/* The union of classes of a set of permissions. */
unsigned authz_classes(const char **perms, size_t n);
/* 1 when classes holds more than one administrative class. */
int authz_mixed(unsigned classes);

typedef struct {
    int system; /* the CLI: every permission everywhere */
    int64_t user_id, unit_id;
    const char *login, *name, *unit_path, *ip;
    int must_change;
    store_perm_scope *perms;
    size_t nperms;
} principal;

/* The system principal used by CLI commands (login "cli:<os user>"). */
principal authz_system(arena *a);
/* Loads the user's grants into p (user fields already filled). */
err_code authz_load(store_tx *tx, arena *a, principal *p);
/* 1 when p holds perm over the unit at path (a path of the unit tree). */
int authz_can(const principal *p, const char *perm, const char *unit_path);
/* 1 when path lies in the subtree whose root has path `root` (both unit paths). */
int authz_within(const char *root, const char *path);
/* The administrative classes p holds through its grants. */
unsigned authz_principal_classes(const principal *p);
/* 1 when p holds perm anywhere. */
int authz_has(const principal *p, const char *perm);
/*
 * The subtrees where p holds perm, as a JSON array of paths for the store's scope filters;
 * NULL means everywhere (the system). A user without the permission gets "[]".
 */
const char *authz_scope(const principal *p, const char *perm, arena *a);
/* Like authz_scope, for the subtrees where p holds both permissions. */
const char *authz_scope_both(const principal *p, const char *perm_a, const char *perm_b, arena *a);
/* The audit actor for p. */
audit_actor authz_actor(const principal *p);

#endif
