/*
 * mech — walking the registration table (see mech.h): the permission catalogue of every
 * mechanism, the mechanism behind an attachment, CLI commands and the ticks.
 */
#include "core/mech.h"

#include "auth/authz.h"
#include "core/app.h"
#include "base/log.h"

#include <string.h>

const perm_info *mech_perm(const char *name)
{
    if (!name) return NULL;
    for (const mech *const *m = duban_mechs; *m; m++)
        for (const perm_info *p = (*m)->perms; p && p->name; p++)
            if (strcmp(p->name, name) == 0) return p;
    return NULL;
}

/* authz.h's catalogue is the registered mechanisms' (auth/ itself names none of them). */
const perm_info *authz_perm(const char *name)
{
    return mech_perm(name);
}

const mech *mech_for_attachments(const char *flow)
{
    for (const mech *const *m = duban_mechs; *m; m++)
        if ((*m)->attach_flow && flow && strcmp((*m)->attach_flow, flow) == 0) return *m;
    return NULL;
}

const mech_cmd *mech_command(const char *name)
{
    for (const mech *const *m = duban_mechs; *m; m++)
        for (const mech_cmd *c = (*m)->commands; c && c->name; c++)
            if (strcmp(c->name, name) == 0) return c;
    return NULL;
}

err_code mech_tick_all(app *ap, int64_t now, char *line, size_t n, int *acted)
{
    err_code first = E_OK;
    size_t used = 0;
    *acted = 0;
    if (n) line[0] = 0;
    for (const mech *const *m = duban_mechs; *m; m++) {
        if (!(*m)->tick) continue;
        char part[512] = "";
        int did = 0;
        arena *a = arena_new();
        err_code e = (*m)->tick(ap, a, now, part, sizeof part, &did);
        arena_free(a);
        if (e != E_OK) {
            log_error("tick of %s failed: %s", (*m)->name, err_name(e));
            if (first == E_OK) first = e;
            continue;
        }
        *acted |= did;
        if (part[0] && used < n) {
            int w = snprintf(line + used, n - used, "%s%s", used ? "; " : "", part);
            if (w > 0) used += (size_t)w < n - used ? (size_t)w : n - used - 1;
        }
    }
    return first;
}

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    const char *perm, *object;
} read_record;

static err_code read_record_fn(store_tx *tx, void *ctx)
{
    read_record *r = ctx;
    return app_audit(r->ap, tx, r->a, r->p, "read", r->object,
                     json_pack("{ss}", "permission", r->perm));
}

err_code mech_read(app *ap, const principal *p, const char *perm, const char *object, store_fn fn,
                   void *ctx)
{
    err_code e = store_read(ap->st, fn, ctx);
    const perm_info *info = mech_perm(perm);
    if (e != E_OK || !info || !info->audit_reads) return e;
    arena *a = arena_new();
    read_record r = {ap, a, p, perm, object ? object : ""};
    e = store_write(ap->st, read_record_fn, &r);
    arena_free(a);
    return e;
}
