/*
 * mech — the descriptor of the outbound mechanism (消息推送与催办): the permissions of a unit's
 * channel administrator and of 催办, its routes, its part of the scheduler (the 08:30 digest of
 * working days), its demo part, and the describer that tells the outbound service (notify/)
 * what a problem is (unit, deadline, link) — registered when this mechanism is linked in.
 */
#include "outward/outward_int.h"

#include <stdio.h>
#include <string.h>

static const perm_info perms[] = {
    {"notify.admin", "配置本单位的钉钉、企业微信和邮件渠道", CLASS_NONE, 0},
    {"notify.urge", "对责任单位催办", CLASS_NONE, 0},
    {NULL, NULL, CLASS_NONE, 0},
};

typedef struct {
    arena *a;
    int64_t now;
    int made;
} digest_ctx;

static err_code digest_fn(store_tx *tx, void *ctx)
{
    digest_ctx *d = ctx;
    return notify_digest(tx, d->a, d->now, &d->made);
}

static err_code tick(app *ap, arena *a, int64_t now, char *summary, size_t n, int *acted)
{
    digest_ctx d = {a, now, 0};
    err_code e = store_write(ap->st, digest_fn, &d);
    if (e != E_OK) return e;
    snprintf(summary, n, "%d outbound digests", d.made);
    *acted = d.made > 0;
    return E_OK;
}

/* A problem's unit, deadline and page, for the messages about it. */
static err_code describe(store_tx *tx, arena *a, const char *flow, int64_t item_id,
                         notify_item *out)
{
    if (strcmp(flow, "problem") != 0) return E_OK;
    store_problem p;
    err_code e = store_problem_get(tx, a, item_id, &p);
    if (e == E_NOT_FOUND) return E_OK;
    if (e != E_OK) return e;
    out->unit_name = p.unit_name;
    out->deadline = p.deadline;
    out->path = arena_sprintf(a, "/problems/%lld", (long long)item_id);
    return E_OK;
}

__attribute__((constructor)) static void install_describer(void)
{
    notify_set_describer(describe);
}

const mech outward_mech = {
    .name = "outward",
    .title = "消息推送",
    .perms = perms,
    .routes = outward_routes,
    .tick = tick,
    .demo = outward_demo,
    .sealer = outward_move_sealer,
};
