/*
 * cadre_int — what the cadre mechanism's own files share: the sealing of texts in the store,
 * the checks every read and change makes (scope, nobody reads their own file), the warning's
 * computation over the store, its handlers and route table, and its demo part.
 */
#ifndef DUBAN_CADRE_INT_H
#define DUBAN_CADRE_INT_H

#include "api/api.h"
#include "cadre/cadre.h"
#include "core/app.h"
#include "core/mech.h"
#include "io/county_move.h"
#include "store/sq.h"

#include <jansson.h>

/* The key file the cadre keys derive from: DUBAN_CADRE_KEY_FILE after a rotation, else the
 * audit key file (heap string). */
char *cadre_key_path(const app *ap);
/* Loads the sealing keys from that key file (once); E_INTERNAL when there is none. */
err_code cadre_keys(app *ap);
/* Binds text sealed at index i of st (keys loaded). */
err_code cadre_bind_sealed(arena *a, sq_stmt *st, int i, const char *text);
/* Column i opened as text in a ("" for NULL; "〔无法解密〕" when the tag fails). */
const char *cadre_col_sealed(arena *a, sq_stmt *st, int i);

/* A cadre's unit path and linked user; E_NOT_FOUND when there is none. */
err_code cadre_path(store_tx *tx, arena *a, int64_t cadre_id, const char **path, int64_t *user_id);
/* The check of every read of one cadre's records: perm over the cadre's unit, and never the
 * cadre themself (E_CADRE_OWN_FILE). */
err_code cadre_may_read(store_tx *tx, arena *a, const principal *p, const char *perm,
                        int64_t cadre_id);
/* The audit record of a change ("cadre.<what>") of object kind:id. */
err_code cadre_audit(app *ap, store_tx *tx, arena *a, const principal *p, const char *action,
                     const char *kind, int64_t id, json_t *detail);
/* The title of a code of a list of cadre_code ("" when unknown); 1 when code is listed. */
const char *cadre_code_title(store_tx *tx, arena *a, const char *list, const char *code);
int cadre_code_listed(store_tx *tx, const char *list, const char *code);
/* The user as 姓名（单位）. */
const char *cadre_user_label(store_tx *tx, arena *a, int64_t user_id);

/* The reply of a change: the refusal (a missing reference is bad_field's fault), else status
 * with body (taken). */
err_code cadre_reply_change(http_req *r, err_code e, const char *bad_field, int status,
                            json_t *body);
/* The reply of a read: 200 with out (taken), or the error (out dropped). */
err_code cadre_reply_read(http_req *r, err_code e, json_t *out);

/* The warning configuration from the store. */
err_code cadre_config_get(store_tx *tx, cadre_config *cfg);
/* A cadre's warning at today: {score, level, level_title, by_count, explanation:[…]}, with
 * each record's source and category but never a clue's text. */
err_code cadre_warning_json(store_tx *tx, arena *a, const cadre_config *cfg, int64_t cadre_id,
                            cal_day today, json_t **out, int *level);
/* Today in the county's time. */
cal_day cadre_today(void);

/* ---- handlers (api_*.c), listed in routes.c ---- */
err_code api_cadre_meta(http_req *r);
err_code api_cadre_list(http_req *r);
err_code api_cadre_create(http_req *r);
err_code api_cadre_get(http_req *r);
err_code api_cadre_reads(http_req *r);
err_code api_cadre_pick(http_req *r);
err_code api_cadre_clue_submit(http_req *r);
err_code api_cadre_submissions(http_req *r);
err_code api_cadre_clues(http_req *r);
err_code api_cadre_clue_get(http_req *r);
err_code api_cadre_session_create(http_req *r);
err_code api_cadre_sessions(http_req *r);
err_code api_cadre_response_create(http_req *r);
err_code api_cadre_assessment_create(http_req *r);
err_code api_cadre_warnings(http_req *r);
err_code api_cadre_config_get(http_req *r);
err_code api_cadre_config_set(http_req *r);
err_code api_cadre_eligibility(http_req *r);
err_code api_cadre_stats(http_req *r);

extern const http_route cadre_routes[];

err_code cadre_demo(app *ap, mech_demo_county *c, FILE *out);
/* The sealed columns (reseal.c): the key rotation and a county's move re-seal these. */
extern const move_sealed_col cadre_sealed_cols[];
/* The move's re-sealer: from the county's key file to this instance's cadre keys. */
int cadre_move_sealer(app *ap, const char *county_key, move_sealer *out, char *err, size_t n);

/* `duban cadre rekey NEW_KEY_FILE` (cli.c). */
int cmd_cadre(int argc, char **argv);

#endif
