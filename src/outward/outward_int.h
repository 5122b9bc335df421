/*
 * outward_int — private to src/outward/ (the mechanism of outbound channels and 催办): its
 * handlers, its route table, and the urging rule its handlers and CLI share.
 */
#ifndef DUBAN_OUTWARD_INT_H
#define DUBAN_OUTWARD_INT_H

#include "api/api.h"
#include "core/mech.h"
#include "io/county_move.h"
#include "http/http.h"
#include "notify/notify.h"
#include "problem/problem.h"

extern const http_route outward_routes[];

err_code api_outward_channels(http_req *r);
err_code api_outward_channel_create(http_req *r);
err_code api_outward_channel_update(http_req *r);
err_code api_outward_channel_test(http_req *r);
err_code api_outward_rules(http_req *r);
err_code api_outward_rule_set(http_req *r);
err_code api_outward_outbox(http_req *r);
err_code api_outward_outbox_retry(http_req *r);
err_code api_outward_contact_get(http_req *r);
err_code api_outward_contact_set(http_req *r);
err_code api_outward_urge(http_req *r);
err_code api_outward_urges(http_req *r);
err_code api_outward_urge_stats(http_req *r);

/* The result of an urge: its id, the count of urges on the item, and for a refusal the time
 * the next one is allowed. */
typedef struct {
    int64_t id, count, next_allowed;
} outward_urged;

/* 催办 on a problem by p with message: checks notify.urge over the problem's unit, the state
 * (not closed) and the interval; records the urge, a timeline event, the notifications that
 * go out through the channels, and the audit record, in one transaction. */
err_code outward_urge_problem(app *ap, arena *a, const principal *p, int64_t id,
                              const char *message, outward_urged *out);

/* The move's re-sealer of the channels' secrets (reseal.c). */
int outward_move_sealer(app *ap, const char *county_key, move_sealer *out, char *err, size_t n);

/* Its part of `duban demo`. */
err_code outward_demo(app *ap, mech_demo_county *county, FILE *out);

#endif
