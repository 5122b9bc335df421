/* access — role and grant changes with 三员分立 checks (see access.h). */
#include "access/access.h"

#include "base/clock.h"
#include "base/text.h"

#include <string.h>

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    const char *name, *title, *role;
    const char **perms;
    size_t nperms;
    int64_t user_id, unit_id, grant_id;
    store_role *role_out;
    store_grant *grant_out;
    const char **bad_field;
} access_op;

static err_code check_perms(const char **perms, size_t n, const char **bad_field)
{
    if (n == 0) return *bad_field = "permissions", E_FIELD_REQUIRED;
    for (size_t i = 0; i < n; i++)
        if (!authz_perm(perms[i])) return *bad_field = "permissions", E_FIELD_INVALID;
    if (authz_mixed(authz_classes(perms, n))) return *bad_field = "permissions", E_SEPARATION;
    return E_OK;
}

static json_t *perm_array(const char **perms, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, json_string(perms[i]));
    return arr;
}

/* Roles are county-wide: managing them needs role.write over the root unit. */
static err_code may_manage_roles(store_tx *tx, access_op *op)
{
    store_unit root;
    err_code e = store_unit_root(tx, op->a, &root);
    if (e != E_OK) return e;
    return authz_can(op->p, "role.write", root.path) ? E_OK : E_FORBIDDEN;
}

static err_code role_add_fn(store_tx *tx, void *ctx)
{
    access_op *op = ctx;
    err_code e = may_manage_roles(tx, op);
    if (e != E_OK) return e;
    *op->role_out = (store_role){.name = op->name, .title = op->title, .perms = op->perms,
                                 .nperms = op->nperms};
    e = store_role_insert(tx, op->role_out);
    if (e == E_DUPLICATE) *op->bad_field = "name";
    if (e != E_OK) return e;
    return app_audit(op->ap, tx, op->a, op->p, "role.create",
                     arena_sprintf(op->a, "role:%s", op->name),
                     json_pack("{ss so}", "title", op->title,
                               "permissions", perm_array(op->perms, op->nperms)));
}

err_code access_role_add(app *ap, arena *a, const principal *p, const char *name,
                         const char *title, const char **perms, size_t nperms, store_role *out,
                         const char **bad_field)
{
    *bad_field = NULL;
    if (!name || !text_is_ident(name, 32)) return *bad_field = "name", E_FIELD_INVALID;
    if (!title || !*title || text_has_control(title) || text_chars(title) > 40)
        return *bad_field = "title", E_FIELD_INVALID;
    err_code e = check_perms(perms, nperms, bad_field);
    if (e != E_OK) return e;
    access_op op = {.ap = ap, .a = a, .p = p, .name = name, .title = title, .perms = perms,
                    .nperms = nperms, .role_out = out, .bad_field = bad_field};
    return store_write(ap->st, role_add_fn, &op);
}

/* The classes user_id would hold with extra_perms added to all their current grants. */
static err_code classes_with(store_tx *tx, arena *a, int64_t user_id, const char **extra,
                             size_t nextra, const char *skip_role, unsigned *out)
{
    unsigned c = authz_classes(extra, nextra);
    store_grant *g;
    size_t ng;
    err_code e = store_grant_list(tx, a, user_id, NULL, &g, &ng);
    if (e != E_OK) return e;
    for (size_t i = 0; i < ng; i++) {
        if (skip_role && strcmp(g[i].role_name, skip_role) == 0) continue;
        store_role r;
        e = store_role_by_name(tx, a, g[i].role_name, &r);
        if (e != E_OK) return e;
        c |= authz_classes(r.perms, r.nperms);
    }
    *out = c;
    return E_OK;
}

/* Does a role do business work (a problem, a budget …)? Reading the org tree is everyone's. */
static int business_role(const store_role *r)
{
    if (authz_classes(r->perms, r->nperms)) return 0;
    for (size_t i = 0; i < r->nperms; i++)
        if (strcmp(r->perms[i], "unit.read") && strcmp(r->perms[i], "user.read")) return 1;
    return 0;
}

/*
 * 三员分立 beyond the classes: an account holding an administrator class holds no business role
 * beside it. 1 when the user's grants plus role would break it.
 */
static err_code admin_with_business(store_tx *tx, arena *a, int64_t user_id,
                                    const store_role *role, int *bad)
{
    int admin = authz_classes(role->perms, role->nperms) != 0, business = business_role(role);
    store_grant *g;
    size_t ng;
    err_code e = store_grant_list(tx, a, user_id, NULL, &g, &ng);
    for (size_t i = 0; e == E_OK && i < ng; i++) {
        store_role r;
        e = store_role_by_name(tx, a, g[i].role_name, &r);
        if (e != E_OK) break;
        admin |= authz_classes(r.perms, r.nperms) != 0;
        business |= business_role(&r);
    }
    *bad = admin && business;
    return e;
}

static err_code role_perms_fn(store_tx *tx, void *ctx)
{
    access_op *op = ctx;
    err_code e = may_manage_roles(tx, op);
    if (e != E_OK) return e;
    store_role r;
    e = store_role_by_name(tx, op->a, op->name, &r);
    if (e != E_OK) return e;
    if (r.builtin) return *op->bad_field = "name", E_FIELD_INVALID;
    store_grant *g;
    size_t ng;
    e = store_grant_list(tx, op->a, 0, NULL, &g, &ng);
    for (size_t i = 0; e == E_OK && i < ng; i++) {
        if (g[i].role_id != r.id) continue;
        /* Editing a role one holds would change one's own grants. */
        if (!op->p->system && g[i].user_id == op->p->user_id) {
            e = E_SELF_GRANT;
            break;
        }
        unsigned c;
        e = classes_with(tx, op->a, g[i].user_id, op->perms, op->nperms, op->name, &c);
        if (e == E_OK && authz_mixed(c)) e = E_SEPARATION;
    }
    if (e == E_OK) e = store_role_set_perms(tx, r.id, op->perms, op->nperms);
    if (e != E_OK) return e;
    return app_audit(op->ap, tx, op->a, op->p, "role.update",
                     arena_sprintf(op->a, "role:%s", op->name),
                     json_pack("{so}", "permissions", perm_array(op->perms, op->nperms)));
}

err_code access_role_set_perms(app *ap, arena *a, const principal *p, const char *name,
                               const char **perms, size_t nperms, const char **bad_field)
{
    *bad_field = NULL;
    err_code e = check_perms(perms, nperms, bad_field);
    if (e != E_OK) return e;
    access_op op = {.ap = ap, .a = a, .p = p, .name = name, .perms = perms, .nperms = nperms,
                    .bad_field = bad_field};
    return store_write(ap->st, role_perms_fn, &op);
}

static err_code grant_fn(store_tx *tx, void *ctx)
{
    access_op *op = ctx;
    store_user user;
    store_unit unit;
    store_role role;
    err_code e = store_user_get(tx, op->a, op->user_id, &user);
    if (e == E_NOT_FOUND) return *op->bad_field = "user_id", E_FIELD_INVALID;
    if (e != E_OK) return e;
    e = store_unit_get(tx, op->a, op->unit_id, &unit);
    if (e == E_NOT_FOUND) return *op->bad_field = "unit_id", E_FIELD_INVALID;
    if (e != E_OK) return e;
    e = store_role_by_name(tx, op->a, op->role, &role);
    if (e == E_NOT_FOUND) return *op->bad_field = "role", E_FIELD_INVALID;
    if (e != E_OK) return e;
    /* The grantor needs grant.write over both the unit the grant is for and the grantee. */
    if (!authz_can(op->p, "grant.write", unit.path) ||
        !authz_can(op->p, "grant.write", user.unit_path))
        return E_FORBIDDEN;
    if (!op->p->system && user.id == op->p->user_id) return E_SELF_GRANT;
    unsigned c;
    e = classes_with(tx, op->a, user.id, role.perms, role.nperms, NULL, &c);
    if (e != E_OK) return e;
    if (authz_mixed(c)) return *op->bad_field = "role", E_SEPARATION;
    int bad;
    e = admin_with_business(tx, op->a, user.id, &role, &bad);
    if (e != E_OK) return e;
    if (bad) return *op->bad_field = "role", E_SEPARATION_BUSINESS;
    *op->grant_out = (store_grant){.user_id = user.id, .role_id = role.id, .unit_id = unit.id,
                                   .created_at = clock_now(), .created_by = op->p->login};
    e = store_grant_insert(tx, op->grant_out);
    if (e != E_OK) return e;
    e = store_grant_get(tx, op->a, op->grant_out->id, op->grant_out);
    if (e != E_OK) return e;
    return app_audit(op->ap, tx, op->a, op->p, "grant.create",
                     arena_sprintf(op->a, "grant:%lld", (long long)op->grant_out->id),
                     json_pack("{ss ss ss}", "user", user.login, "role", role.name, "unit",
                               unit.code));
}

err_code access_grant(app *ap, arena *a, const principal *p, int64_t user_id, const char *role,
                      int64_t unit_id, store_grant *out, const char **bad_field)
{
    *bad_field = NULL;
    access_op op = {.ap = ap, .a = a, .p = p, .user_id = user_id, .role = role,
                    .unit_id = unit_id, .grant_out = out, .bad_field = bad_field};
    return store_write(ap->st, grant_fn, &op);
}

static err_code revoke_fn(store_tx *tx, void *ctx)
{
    access_op *op = ctx;
    store_grant g;
    err_code e = store_grant_get(tx, op->a, op->grant_id, &g);
    if (e != E_OK) return e;
    store_user user;
    e = store_user_get(tx, op->a, g.user_id, &user);
    if (e != E_OK) return e;
    if (!authz_can(op->p, "grant.write", g.unit_path) ||
        !authz_can(op->p, "grant.write", user.unit_path))
        return E_FORBIDDEN;
    if (!op->p->system && g.user_id == op->p->user_id) return E_SELF_GRANT;
    e = store_grant_delete(tx, g.id);
    if (e != E_OK) return e;
    return app_audit(op->ap, tx, op->a, op->p, "grant.revoke",
                     arena_sprintf(op->a, "grant:%lld", (long long)g.id),
                     json_pack("{ss ss ss}", "user", g.user_login, "role", g.role_name, "unit",
                               g.unit_name));
}

err_code access_revoke(app *ap, arena *a, const principal *p, int64_t grant_id)
{
    access_op op = {.ap = ap, .a = a, .p = p, .grant_id = grant_id};
    return store_write(ap->st, revoke_fn, &op);
}
