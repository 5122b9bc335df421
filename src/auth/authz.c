/* authz — permission checks against a principal's grants (see authz.h). */
#include "auth/authz.h"

#include <jansson.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

unsigned authz_classes(const char **perms, size_t n)
{
    unsigned c = 0;
    for (size_t i = 0; i < n; i++) {
        const perm_info *p = authz_perm(perms[i]);
        if (p) c |= p->cls;
    }
    return c;
}

int authz_mixed(unsigned classes)
{
    return (classes & (classes - 1)) != 0; /* more than one bit */
}

principal authz_system(arena *a)
{
    struct passwd *pw = getpwuid(geteuid());
    principal p = {.system = 1};
    p.login = arena_sprintf(a, "cli:%s", pw ? pw->pw_name : "unknown");
    p.name = p.login;
    return p;
}

err_code authz_load(store_tx *tx, arena *a, principal *p)
{
    return store_user_perms(tx, a, p->user_id, &p->perms, &p->nperms);
}

int authz_within(const char *root, const char *path)
{
    return root && path && strncmp(root, path, strlen(root)) == 0;
}

unsigned authz_principal_classes(const principal *p)
{
    unsigned c = 0;
    for (size_t i = 0; i < p->nperms; i++) {
        const perm_info *info = authz_perm(p->perms[i].perm);
        if (info) c |= info->cls;
    }
    return c;
}

int authz_can(const principal *p, const char *perm, const char *unit_path)
{
    if (p->system) return 1;
    if (!unit_path) return 0;
    for (size_t i = 0; i < p->nperms; i++)
        if (strcmp(p->perms[i].perm, perm) == 0 && authz_within(p->perms[i].path, unit_path))
            return 1;
    return 0;
}

int authz_has(const principal *p, const char *perm)
{
    if (p->system) return 1;
    for (size_t i = 0; i < p->nperms; i++)
        if (strcmp(p->perms[i].perm, perm) == 0) return 1;
    return 0;
}

/* The array of paths as the store's scope text (in a); arr is released. */
static const char *scope_text(json_t *arr, arena *a)
{
    char *s = json_dumps(arr, JSON_COMPACT);
    const char *out = arena_strdup(a, s);
    free(s);
    json_decref(arr);
    return out;
}

const char *authz_scope(const principal *p, const char *perm, arena *a)
{
    if (p->system) return NULL;
    json_t *arr = json_array();
    for (size_t i = 0; i < p->nperms; i++)
        if (strcmp(p->perms[i].perm, perm) == 0)
            json_array_append_new(arr, json_string(p->perms[i].path));
    return scope_text(arr, a);
}

const char *authz_scope_both(const principal *p, const char *perm_a, const char *perm_b, arena *a)
{
    if (p->system) return NULL;
    json_t *arr = json_array();
    /* Where a grant of one lies inside a grant of the other, the inner subtree has both. */
    for (size_t i = 0; i < p->nperms; i++) {
        if (strcmp(p->perms[i].perm, perm_a) != 0) continue;
        for (size_t k = 0; k < p->nperms; k++) {
            if (strcmp(p->perms[k].perm, perm_b) != 0) continue;
            const char *x = p->perms[i].path, *y = p->perms[k].path;
            if (authz_within(y, x))
                json_array_append_new(arr, json_string(x));
            else if (authz_within(x, y))
                json_array_append_new(arr, json_string(y));
        }
    }
    return scope_text(arr, a);
}

audit_actor authz_actor(const principal *p)
{
    audit_actor a = {.user_id = p->user_id, .login = p->login, .ip = p->ip};
    return a;
}
