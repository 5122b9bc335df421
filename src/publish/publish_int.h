/*
 * publish_int — what the publishing review's own files share: the handlers routes.c lists, and
 * the rules the handlers and the demo call (each a transaction with its checks and its audit).
 */
#ifndef DUBAN_PUBLISH_INT_H
#define DUBAN_PUBLISH_INT_H

#include "api/api.h"
#include "core/mech.h"
#include "publish/publish.h"
#include "store/sq.h"

extern const http_route publish_routes[];

typedef struct {
    int64_t unit_id;
    const char *title, *body, *outlet;
    int64_t version; /* updates: the version read */
} publish_draft_body;

typedef struct {
    const char *decision; /* "approve" | "reject" */
    const char *comment, *override_reason;
} publish_review_body;

/* Rules (publish.c). bad_field names the field a refusal is about (or NULL). A list is
 * replaced only with the version its editor saw (0 creates a new one). */
err_code publish_list_put(app *ap, arena *a, const principal *p, const char *name,
                          const char *kind, const char *category, int severity, json_t *terms,
                          int64_t version, const char **bad_field);
err_code publish_draft_save(app *ap, arena *a, const principal *p, int64_t id,
                            const publish_draft_body *b, int64_t *out_id, const char **bad_field);
err_code publish_draft_submit(app *ap, arena *a, const principal *p, int64_t id);
err_code publish_draft_review(app *ap, arena *a, const principal *p, int64_t id,
                              const publish_review_body *b, const char **bad_field);
err_code publish_draft_publish(app *ap, arena *a, const principal *p, int64_t id, const char *url,
                               const char **bad_field);
err_code publish_draft_withdraw(app *ap, arena *a, const principal *p, int64_t id,
                                const char *reason, const char **bad_field);
/* A draft as JSON with its hits and its trail (NULL scope: any). */
err_code publish_draft_json(store_tx *tx, arena *a, const principal *p, int64_t id, json_t **out);

/* An outlet's fields as filed (outlets.c). */
typedef struct {
    int64_t unit_id, fans, users;
    const char *platform, *name, *account_id, *leader, *admins, *password_holder, *purpose,
        *last_post_on, *reason, *kind;
    json_t *changes;
} outlet_body;
/* 开设: the outlet (pending) with its filing. */
err_code publish_outlet_open(app *ap, arena *a, const principal *p, const outlet_body *b,
                             int64_t *id, int64_t *filing, const char **bad);
/* The propaganda side's decision on a filing ("approve" | "reject", a comment for a reject). */
err_code publish_filing_decide(app *ap, arena *a, const principal *p, int64_t filing,
                               const char *decision, const char *comment, const char **bad);
/* The part of `duban demo` (demo.c). */
err_code publish_demo(app *ap, mech_demo_county *county, FILE *out);

/* The freshness thresholds in days (outlets.c). */
err_code publish_thresholds(store_tx *tx, int64_t *idle, int64_t *zombie);

/* Handlers (api.c). */
err_code api_publish_lists(http_req *r);
err_code api_publish_list_put(http_req *r);
err_code api_publish_scan(http_req *r);
err_code api_publish_drafts(http_req *r);
err_code api_publish_draft_create(http_req *r);
err_code api_publish_draft_get(http_req *r);
err_code api_publish_draft_update(http_req *r);
err_code api_publish_draft_submit(http_req *r);
err_code api_publish_draft_review(http_req *r);
err_code api_publish_draft_publish(http_req *r);
err_code api_publish_draft_withdraw(http_req *r);
/* The register of outlets (outlets.c). */
err_code api_publish_outlets(http_req *r);
err_code api_publish_outlet_get(http_req *r);
err_code api_publish_outlet_create(http_req *r);
err_code api_publish_outlet_filing(http_req *r);
err_code api_publish_outlet_activity(http_req *r);
err_code api_publish_outlet_check(http_req *r);
err_code api_publish_filings(http_req *r);
err_code api_publish_filing_decide(http_req *r);
err_code api_publish_settings(http_req *r);
err_code api_publish_settings_put(http_req *r);
/* Figures (stats.c). */
err_code api_publish_stats(http_req *r);

#endif
