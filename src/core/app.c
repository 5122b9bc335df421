/* app — opening and closing the shared state, and audit helpers (see app.h). */
#include "core/app.h"

#include "base/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int app_open(app *ap, const config *cfg, char *err, size_t errlen)
{
    memset(ap, 0, sizeof *ap);
    ap->cfg = *cfg;
    if (access(cfg->db, F_OK) != 0) {
        snprintf(err, errlen, "database %s does not exist (run 'duban init' or 'duban serve')",
                 cfg->db);
        return -1;
    }
    char *key = config_key_path(cfg);
    ap->au = audit_open(key, err, errlen);
    free(key);
    if (!ap->au) return -1;
    ap->st = store_open(cfg->db, (int)cfg->readers, 0, err, errlen);
    if (!ap->st) {
        app_close(ap);
        return -1;
    }
    return 0;
}

void app_close(app *ap)
{
    store_close(ap->st);
    audit_close(ap->au);
    ap->st = NULL;
    ap->au = NULL;
}

err_code app_audit(app *ap, store_tx *tx, arena *a, const principal *p, const char *action,
                   const char *object, json_t *detail)
{
    audit_actor actor = authz_actor(p);
    return audit_append(ap->au, tx, a, &actor, action, object, detail);
}

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    err_code why;
    const char *action, *object;
} refusal;

static err_code refusal_fn(store_tx *tx, void *ctx)
{
    refusal *r = ctx;
    json_t *d = json_pack("{ss ss}", "attempted", r->action, "reason", err_name(r->why));
    return app_audit(r->ap, tx, r->a, r->p, "access.denied", r->object, d);
}

void app_audit_refusal(app *ap, const principal *p, err_code why, const char *action,
                       const char *object)
{
    arena *a = arena_new();
    refusal r = {ap, a, p, why, action, object ? object : ""};
    if (store_write(ap->st, refusal_fn, &r) != E_OK) log_error("cannot audit a refusal");
    arena_free(a);
}
