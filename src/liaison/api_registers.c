/*
 * api_registers — the registers through the API: one set of handlers for every register of
 * registers.c (the route's path names the register). Lists are filtered to the subtrees where
 * the caller holds the register's read permission (liaison.person for the persons, whose reads
 * are audited) and are also Excel exports; a record is read only within that scope; changes
 * need liaison.write over the record's unit, checked inside the write transaction.
 */
#include "liaison/liaison_int.h"

#include <string.h>

/* The register of the request's path: /api/v1/liaison/<path>[/…]. */
static const lreg *reg_of(http_req *r)
{
    const char *p = http_path(r) + strlen("/api/v1/liaison/");
    char seg[32];
    size_t n = strcspn(p, "/");
    if (n >= sizeof seg) return NULL;
    memcpy(seg, p, n);
    seg[n] = 0;
    return liaison_reg(seg);
}

/* The body as a JSON object (the caller decrefs it). */
err_code liaison_body(http_req *r, json_t **out)
{
    json_error_t jerr;
    *out = json_loadb((const char *)http_body(r), http_body_len(r), JSON_REJECT_DUPLICATES, &jerr);
    if (*out && json_is_object(*out)) return E_OK;
    json_decref(*out);
    *out = NULL;
    return http_fail(r, E_BAD_JSON, NULL);
}

err_code liaison_reply_change(http_req *r, err_code e, const char *bad_field)
{
    if (e == E_NOT_FOUND && bad_field) e = E_FIELD_INVALID;
    return http_fail(r, e, bad_field);
}

/* ---- lists ---- */

typedef struct {
    arena *a;
    const principal *p;
    const lreg *g;
    lfilter f;
    int64_t unit_id;
    json_t *items;
    int64_t total;
} list_ctx;

static err_code list_fn(store_tx *tx, void *ctx)
{
    list_ctx *c = ctx;
    if (c->unit_id) {
        store_unit u;
        err_code e = store_unit_get(tx, c->a, c->unit_id, &u);
        if (e != E_OK) return e;
        c->f.subtree = u.path;
    }
    return liaison_record_list(tx, c->a, c->p, c->g, &c->f, c->items, &c->total);
}

/* The ?column= filters of the register's filter columns (and ?mine=1 for a cadre's own). */
static err_code read_filters(http_req *r, const lreg *g, json_t *eq)
{
    for (size_t i = 0; i < g->ncols; i++) {
        const lcol *c = &g->cols[i];
        if (!c->filter) continue;
        err_code e;
        if (c->type == LT_REF || c->type == LT_USER) {
            int64_t id;
            e = http_query_id(r, c->name, &id);
            if (e == E_OK && id) json_object_set_new(eq, c->name, json_integer(id));
        } else if (c->type == LT_FLAG) {
            int v;
            e = http_query_flag(r, c->name, -1, &v);
            if (e == E_OK && v >= 0) json_object_set_new(eq, c->name, json_integer(v));
        } else {
            const char *v;
            e = http_query_text(r, c->name, HTTP_QUERY_TEXT_MAX, &v);
            if (e == E_OK && v) json_object_set_new(eq, c->name, json_string(v));
        }
        if (e != E_OK) return e;
    }
    int mine;
    err_code e = http_query_flag(r, "mine", 0, &mine);
    if (e == E_OK && mine)
        json_object_set_new(eq, "cadre_user_id", json_integer(http_principal(r)->user_id));
    return e;
}

/* The export's columns: each column's shown value (titles, names) under its title. */
static size_t export_columns(arena *a, const lreg *g, api_column **out)
{
    api_column *cols = arena_alloc(a, (g->ncols + 1) * sizeof *cols);
    size_t n = 0;
    cols[n++] = (api_column){"unit_name", "单位"};
    for (size_t i = 0; i < g->ncols; i++) {
        const lcol *c = &g->cols[i];
        const char *key = c->name;
        if (c->type == LT_CHOICE || c->type == LT_CODE) key = arena_sprintf(a, "%s_title", c->name);
        else if (c->type == LT_USER) key = arena_sprintf(a, "%s_label", c->name);
        else if (c->type == LT_REF) key = arena_sprintf(a, "%s_name", c->name);
        cols[n++] = (api_column){key, c->title};
    }
    *out = cols;
    return n;
}

err_code api_liaison_list(http_req *r)
{
    const lreg *g = reg_of(r);
    if (!g) return E_ROUTE_NOT_FOUND;
    list_ctx c = {.a = http_arena(r), .p = http_principal(r), .g = g, .items = json_array()};
    c.f.scope = authz_scope(c.p, g->read_perm, c.a);
    c.f.eq = json_object();
    err_code e = http_query_id(r, "unit_id", &c.unit_id);
    if (e == E_OK) e = http_query_text(r, "q", HTTP_QUERY_TEXT_MAX, &c.f.q);
    if (e == E_OK) e = http_query_date(r, "from", &c.f.from);
    if (e == E_OK) e = http_query_date(r, "to", &c.f.to);
    if (e == E_OK) e = read_filters(r, g, c.f.eq);
    if (e == E_OK) e = api_list_page(r, 50, &c.f.limit, &c.f.offset);
    if (e == E_OK) e = api_read_filtered(r, list_fn, &c);
    json_decref(c.f.eq);
    if (e != E_OK) {
        json_decref(c.items);
        return e;
    }
    api_column *cols;
    size_t ncols = export_columns(c.a, g, &cols);
    return api_reply_list(r, c.items, c.total, cols, ncols, g->title);
}

/* ---- one record ---- */

typedef struct {
    arena *a;
    const principal *p;
    const lreg *g;
    int64_t id;
    json_t *out;
} get_ctx;

static err_code get_fn(store_tx *tx, void *ctx)
{
    get_ctx *c = ctx;
    const char *path;
    err_code e = liaison_record_path(tx, c->a, c->g, c->id, NULL, &path);
    if (e != E_OK) return e;
    if (!authz_can(c->p, c->g->read_perm, path)) return E_FORBIDDEN;
    return liaison_record_json(tx, c->a, c->p, c->g, c->id, &c->out);
}

err_code api_liaison_get(http_req *r)
{
    const lreg *g = reg_of(r);
    get_ctx c = {.a = http_arena(r), .p = http_principal(r), .g = g};
    err_code e = g ? http_param_id(r, "id", &c.id) : E_ROUTE_NOT_FOUND;
    if (e != E_OK) return e;
    e = mech_read(http_app(r), c.p, g->read_perm,
                  arena_sprintf(c.a, "liaison_%s:%lld", g->name, (long long)c.id), get_fn, &c);
    return e == E_OK ? http_reply(r, 200, c.out) : e;
}

/* ---- changes ---- */

typedef struct {
    lctx c;
    json_t *body;
    int64_t id, out_id, version;
} save_ctx;

static err_code save_fn(store_tx *tx, void *ctx)
{
    save_ctx *s = ctx;
    return liaison_record_save(&s->c, tx, s->body, s->id, &s->out_id, &s->version);
}

static err_code save(http_req *r, int64_t id)
{
    const lreg *g = reg_of(r);
    if (!g) return E_ROUTE_NOT_FOUND;
    const char *bad = NULL;
    save_ctx s = {{http_app(r), http_arena(r), http_principal(r), g, &bad}, NULL, id, 0, 0};
    err_code e = liaison_body(r, &s.body);
    if (e != E_OK) return e;
    e = store_write(http_app(r)->st, save_fn, &s);
    json_decref(s.body);
    if (e != E_OK) return liaison_reply_change(r, e, bad);
    return http_reply(r, id ? 200 : 201,
                      json_pack("{sI sI}", "id", (json_int_t)s.out_id, "version",
                                (json_int_t)s.version));
}

err_code api_liaison_create(http_req *r)
{
    return save(r, 0);
}

err_code api_liaison_update(http_req *r)
{
    int64_t id;
    err_code e = http_param_id(r, "id", &id);
    return e == E_OK ? save(r, id) : e;
}

/* ---- what the forms offer: categories, choice lists, settings, registers' columns ---- */

typedef struct {
    arena *a;
    json_t *out;
} meta_ctx;

static const char *const type_names[] = {"text", "int",  "flag", "date", "month",
                                         "choice", "code", "user", "ref"};

static json_t *reg_json(const lreg *g)
{
    json_t *cols = json_array();
    for (size_t i = 0; i < g->ncols; i++) {
        const lcol *c = &g->cols[i];
        json_t *o = json_pack("{ss ss ss sb si}", "name", c->name, "title", c->title, "type",
                              type_names[c->type], "required", c->required, "max", c->max);
        if (c->type == LT_CHOICE) {
            json_t *ch = json_array();
            for (size_t k = 0; c->codes[k]; k++)
                json_array_append_new(ch, json_pack("{ss ss}", "code", c->codes[k], "title",
                                                    c->titles[k]));
            json_object_set_new(o, "choices", ch);
        }
        if (c->ref) json_object_set_new(o, "ref", json_string(c->ref));
        json_array_append_new(cols, o);
    }
    json_t *links = json_array();
    for (size_t l = 0; l < g->nlinks; l++)
        json_array_append_new(links, json_pack("{ss ss ss ss}", "key", g->links[l].key, "out",
                                               g->links[l].out, "ref", g->links[l].ref, "title",
                                               g->links[l].title));
    return json_pack("{ss ss ss ss so so sb}", "name", g->name, "path", g->path, "title",
                     g->title, "label", g->label, "columns", cols, "links", links, "parent",
                     g->parent != NULL);
}

static err_code meta_fn(store_tx *tx, void *ctx)
{
    meta_ctx *c = ctx;
    static const char cat_sql[] = "SELECT code, title, COALESCE(parent, ''), attr FROM"
                                  " liaison_category ORDER BY seq, code";
    static const char choice_sql[] = "SELECT list, title FROM liaison_choice ORDER BY list, seq,"
                                     " title";
    static const char set_sql[] = "SELECT key, value FROM liaison_setting ORDER BY key";
    json_t *cats = json_array(), *choices = json_object(), *settings = json_object();
    c->out = json_pack("{so so so}", "categories", cats, "choices", choices, "settings", settings);
    sq_stmt *st = sq_prep(tx, cat_sql);
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW)
        json_array_append_new(cats, json_pack("{ss ss ss ss}", "code", sq_text_peek(st, 0),
                                              "title", sq_text_peek(st, 1), "parent",
                                              sq_text_peek(st, 2), "attr", sq_text_peek(st, 3)));
    sq_reset(st);
    if (rc != SQ_DONE) return (err_code)rc;
    st = sq_prep(tx, choice_sql);
    while ((rc = sq_step(st)) == SQ_ROW) {
        const char *list = sq_text_peek(st, 0);
        json_t *arr = json_object_get(choices, list);
        if (!arr) json_object_set_new(choices, list, arr = json_array());
        json_array_append_new(arr, json_string(sq_text_peek(st, 1)));
    }
    sq_reset(st);
    if (rc != SQ_DONE) return (err_code)rc;
    st = sq_prep(tx, set_sql);
    while ((rc = sq_step(st)) == SQ_ROW)
        json_object_set_new(settings, sq_text_peek(st, 0), json_integer(sq_int(st, 1)));
    sq_reset(st);
    return rc == SQ_DONE ? E_OK : (err_code)rc;
}

err_code api_liaison_meta(http_req *r)
{
    meta_ctx c = {http_arena(r), NULL};
    err_code e = store_read(http_app(r)->st, meta_fn, &c);
    if (e != E_OK) {
        json_decref(c.out);
        return e;
    }
    json_t *regs = json_array();
    extern const lreg *const liaison_regs[];
    for (size_t i = 0; liaison_regs[i]; i++)
        json_array_append_new(regs, reg_json(liaison_regs[i]));
    json_object_set_new(c.out, "registers", regs);
    return http_reply(r, 200, c.out);
}

/* PUT /liaison/settings {leader_min_targets}: for liaison.write over the county. */
typedef struct {
    lctx c;
    int64_t min;
} settings_ctx;

static err_code settings_fn(store_tx *tx, void *ctx)
{
    settings_ctx *s = ctx;
    static const char sql[] = "UPDATE liaison_setting SET value = ?1 WHERE key = ?2";
    store_unit root;
    err_code e = store_unit_root(tx, s->c.a, &root);
    if (e != E_OK) return e;
    if (!authz_can(s->c.p, "liaison.write", root.path)) return E_FORBIDDEN;
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "is", s->min, "leader_min_targets");
    e = sq_exec(tx, st);
    return e == E_OK ? liaison_audit(&s->c, tx, "liaison.settings", "setting", 1,
                                     json_pack("{sI}", "leader_min_targets", (json_int_t)s->min))
                     : e;
}

err_code api_liaison_settings_set(http_req *r)
{
    typedef struct {
        int64_t min;
    } body;
    static const jfield spec[] = {
        {"leader_min_targets", JF_INT, 1, offsetof(body, min), 0, 1, 50},
        JF_END,
    };
    body b = {0};
    uint32_t present;
    err_code e = http_parse(r, spec, &b, &present);
    if (e != E_OK) return e;
    const char *bad = NULL;
    settings_ctx s = {{http_app(r), http_arena(r), http_principal(r), NULL, &bad}, b.min};
    e = store_write(http_app(r)->st, settings_fn, &s);
    if (e != E_OK) return http_fail(r, e, bad);
    return http_reply(r, 200, json_pack("{sI}", "leader_min_targets", (json_int_t)b.min));
}

/* ---- people to pick (cadres, contacts): the users under the caller's liaison.write ---- */

typedef struct {
    arena *a;
    store_user_filter f;
    store_user *items;
    size_t n;
    int64_t total;
} users_ctx;

static err_code users_fn(store_tx *tx, void *ctx)
{
    users_ctx *u = ctx;
    return store_user_list(tx, u->a, &u->f, &u->items, &u->n, &u->total);
}

/* Name and unit only: a picker for the registers' user fields, without user.read. */
err_code api_liaison_users(http_req *r)
{
    users_ctx u = {.a = http_arena(r)};
    err_code e = http_query_id(r, "unit_id", &u.f.unit_id);
    if (e == E_OK) e = api_list_page(r, 20, &u.f.limit, &u.f.offset);
    if (e == E_OK) e = http_query_text(r, "q", HTTP_QUERY_TEXT_MAX, &u.f.q);
    if (e != E_OK) return e;
    u.f.scope = authz_scope(http_principal(r), "liaison.write", u.a);
    e = api_read_filtered(r, users_fn, &u);
    if (e != E_OK) return e;
    json_t *items = json_array();
    for (size_t i = 0; i < u.n; i++) {
        if (u.items[i].disabled) continue;
        const char *unit = u.items[i].unit_name ? u.items[i].unit_name : "";
        json_array_append_new(
            items, json_pack("{sI ss ss ss}", "id", (json_int_t)u.items[i].id, "name",
                             u.items[i].name, "unit_name", unit, "label",
                             arena_sprintf(u.a, "%s（%s）", u.items[i].name, unit)));
    }
    return http_reply(r, 200, json_pack("{so sI}", "items", items, "total", (json_int_t)u.total));
}

/* ---- names of audit objects (audit.read) ---- */

static json_t *liaison_name(store_tx *tx, arena *a, const char *kind, int64_t id, int64_t *page)
{
    if (strncmp(kind, "liaison_", 8) != 0) return NULL;
    const lreg *g = liaison_reg(kind + 8);
    json_t *o;
    principal sys = authz_system(a);
    /* a person's name is personal data: the audit log shows the register and number only */
    if (!g || strcmp(g->name, "person") == 0 || liaison_record_json(tx, a, &sys, g, id, &o) != E_OK)
        return NULL;
    json_t *label = json_object_get(o, g->label);
    (void)page;
    json_t *res = json_pack("{ss sO}", "title", json_is_string(label) ? json_string_value(label) : "",
                            "unit_name", json_object_get(o, "unit_name"));
    json_decref(o);
    return res;
}

err_code api_liaison_names(http_req *r)
{
    static const char *const kinds[] = {
        "liaison_person", "liaison_enterprise", "liaison_assignment", "liaison_station",
        "liaison_alliance", "liaison_team", "liaison_rotation", "liaison_meeting",
        "liaison_activity", NULL};
    return api_audit_names(r, kinds, liaison_name);
}
