/*
 * reg — the register engine of the liaison mechanism (see liaison_int.h): SQL built once from
 * each register's description, bodies checked against it, records written with their links
 * and audit record, and read back as JSON. The registers themselves are described in
 * registers.c.
 */
#include "liaison/liaison_int.h"

#include "base/clock.h"
#include "base/text.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the SQL of each register, built once ---- */

typedef struct {
    char *insert, *update, *get, *list, *count, *path;
    char *link_get[4], *link_del[4], *link_ins[4];
} reg_sql;

enum { MAX_REGS = 16 };
extern const lreg *const liaison_regs[]; /* registers.c, NULL-terminated */
static reg_sql sqls[MAX_REGS];
static pthread_once_t once = PTHREAD_ONCE_INIT;

typedef struct {
    char *s;
    size_t n, cap;
} sbuf;

static void put(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int k = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? b->cap - b->n : 0, fmt, ap);
        va_end(ap);
        if (b->s && b->n + (size_t)k < b->cap) {
            b->n += (size_t)k;
            return;
        }
        b->cap = (b->cap + (size_t)k + 1) * 2;
        b->s = realloc(b->s, b->cap);
        if (!b->s) abort();
        if (b->n == 0) b->s[0] = 0;
    }
}

static int reg_index(const lreg *g)
{
    for (int i = 0; liaison_regs[i]; i++)
        if (liaison_regs[i] == g) return i;
    abort(); /* a register not in the table: a bug */
}

const lreg *liaison_reg(const char *name)
{
    for (int i = 0; name && liaison_regs[i]; i++)
        if (strcmp(liaison_regs[i]->name, name) == 0 || strcmp(liaison_regs[i]->path, name) == 0)
            return liaison_regs[i];
    return NULL;
}

/* The table and label column of a reference target ("unit" or a register). */
static void ref_target(const char *ref, const char **table, const char **label)
{
    if (strcmp(ref, "unit") == 0) {
        *table = "unit";
        *label = "name";
        return;
    }
    const lreg *r = liaison_reg(ref);
    if (!r) abort();
    *table = r->table;
    *label = r->label;
}

/* SELECT … FROM … JOIN … of a register: the fixed columns, its columns, then their extras. */
static void select_from(sbuf *b, const lreg *g)
{
    put(b, "SELECT t.id, t.unit_id, t.created_at, t.version, u.name, u.path");
    for (size_t i = 0; i < g->ncols; i++)
        put(b, ", t.%s", g->cols[i].name);
    for (size_t i = 0; i < g->ncols; i++) {
        const lcol *c = &g->cols[i];
        if (c->type == LT_USER)
            put(b, ", COALESCE(x%zu.name, ''), COALESCE(xu%zu.name, '')", i, i);
        else if (c->type == LT_REF && strcmp(c->ref, "unit") == 0)
            put(b, ", COALESCE(x%zu.name, ''), COALESCE(x%zu.path, '')", i, i);
        else if (c->type == LT_REF) {
            const char *tb, *label;
            ref_target(c->ref, &tb, &label);
            put(b, ", COALESCE(x%zu.%s, ''), COALESCE(xu%zu.path, '')", i, label, i);
        } else if (c->type == LT_CODE)
            put(b, ", COALESCE(x%zu.title, '')", i);
    }
    put(b, " FROM %s t JOIN unit u ON u.id = t.unit_id", g->table);
    for (size_t i = 0; i < g->ncols; i++) {
        const lcol *c = &g->cols[i];
        if (c->type == LT_USER)
            put(b,
                " LEFT JOIN \"user\" x%zu ON x%zu.id = t.%s LEFT JOIN unit xu%zu ON xu%zu.id ="
                " x%zu.unit_id",
                i, i, c->name, i, i, i);
        else if (c->type == LT_REF && strcmp(c->ref, "unit") == 0)
            put(b, " LEFT JOIN unit x%zu ON x%zu.id = t.%s", i, i, c->name);
        else if (c->type == LT_REF) {
            const char *tb, *label;
            ref_target(c->ref, &tb, &label);
            put(b,
                " LEFT JOIN %s x%zu ON x%zu.id = t.%s LEFT JOIN unit xu%zu ON xu%zu.id ="
                " x%zu.unit_id",
                tb, i, i, c->name, i, i, i);
        } else if (c->type == LT_CODE)
            put(b, " LEFT JOIN %s x%zu ON x%zu.code = t.%s", c->ref, i, i, c->name);
    }
}

/* The list's conditions: ?1 scope, ?2 subtree, ?3 q, ?4 from, ?5 to, then one per filter. */
static void list_where(sbuf *b, const lreg *g)
{
    put(b, " WHERE {in_scope u.path} AND {in_subtree u.path}");
    put(b, " AND (?3 IS NULL OR {instr t.%s, ?3} > 0)", g->label);
    if (g->date) put(b, " AND (?4 IS NULL OR t.%s >= ?4) AND (?5 IS NULL OR t.%s <= ?5)", g->date,
                     g->date);
    else put(b, " AND (?4 IS NULL OR ?5 IS NULL OR 1 = 1)");
    int k = 6;
    for (size_t i = 0; i < g->ncols; i++) {
        const lcol *c = &g->cols[i];
        if (!c->filter) continue;
        if (c->type == LT_CODE)
            put(b, " AND (?%d IS NULL OR t.%s = ?%d OR t.%s IN (SELECT code FROM %s WHERE parent = ?%d))",
                k, c->name, k, c->name, c->ref, k);
        else
            put(b, " AND (?%d IS NULL OR t.%s = ?%d)", k, c->name, k);
        k++;
    }
}

static int nfilters(const lreg *g)
{
    int k = 0;
    for (size_t i = 0; i < g->ncols; i++)
        k += g->cols[i].filter != 0;
    return k;
}

static void build(void)
{
    for (int r = 0; liaison_regs[r]; r++) {
        const lreg *g = liaison_regs[r];
        reg_sql *q = &sqls[r];
        sbuf b = {0};
        put(&b, "INSERT INTO %s(unit_id, created_at", g->table);
        for (size_t i = 0; i < g->ncols; i++)
            put(&b, ", %s", g->cols[i].name);
        put(&b, ") VALUES (?1, ?2");
        for (size_t i = 0; i < g->ncols; i++)
            put(&b, ", ?%zu", i + 3);
        put(&b, ") {returning_id}");
        q->insert = b.s;
        b = (sbuf){0};
        put(&b, "UPDATE %s SET unit_id = ?1, version = version + 1", g->table);
        for (size_t i = 0; i < g->ncols; i++)
            put(&b, ", %s = ?%zu", g->cols[i].name, i + 3);
        put(&b, " WHERE id = ?2 AND version = ?%zu", g->ncols + 3);
        q->update = b.s;
        b = (sbuf){0};
        select_from(&b, g);
        put(&b, " WHERE t.id = ?1");
        q->get = b.s;
        b = (sbuf){0};
        select_from(&b, g);
        list_where(&b, g);
        int k = 6 + nfilters(g);
        if (g->date)
            put(&b, " ORDER BY t.%s DESC, t.id DESC LIMIT ?%d OFFSET ?%d", g->date, k, k + 1);
        else
            put(&b, " ORDER BY u.path, t.id LIMIT ?%d OFFSET ?%d", k, k + 1);
        q->list = b.s;
        b = (sbuf){0};
        put(&b, "SELECT count(*) FROM %s t JOIN unit u ON u.id = t.unit_id", g->table);
        list_where(&b, g);
        q->count = b.s;
        b = (sbuf){0};
        put(&b, "SELECT t.unit_id, u.path FROM %s t JOIN unit u ON u.id = t.unit_id WHERE t.id = ?1",
            g->table);
        q->path = b.s;
        for (size_t l = 0; l < g->nlinks && l < 4; l++) {
            const llink *ln = &g->links[l];
            const char *tb, *label;
            ref_target(ln->ref, &tb, &label);
            b = (sbuf){0};
            if (strcmp(ln->ref, "unit") == 0)
                put(&b, "SELECT l.ref_id, r.name, r.path FROM %s l JOIN unit r ON r.id = l.ref_id"
                        " WHERE l.owner_id = ?1 ORDER BY r.path, l.ref_id",
                    ln->table);
            else
                put(&b, "SELECT l.ref_id, r.%s, ru.path FROM %s l JOIN %s r ON r.id = l.ref_id"
                        " JOIN unit ru ON ru.id = r.unit_id WHERE l.owner_id = ?1 ORDER BY l.ref_id",
                    label, ln->table, tb);
            q->link_get[l] = b.s;
            b = (sbuf){0};
            put(&b, "DELETE FROM %s WHERE owner_id = ?1", ln->table);
            q->link_del[l] = b.s;
            b = (sbuf){0};
            put(&b, "INSERT INTO %s(owner_id, ref_id) VALUES (?1, ?2)", ln->table);
            q->link_ins[l] = b.s;
        }
    }
}

static reg_sql *sql_of(const lreg *g)
{
    pthread_once(&once, build);
    return &sqls[reg_index(g)];
}

/* ---- reading ---- */

/* A person's name, or a placeholder for callers who may not see the 统战 side's records. */
static const char *shown_name(const principal *p, const char *ref, const char *name,
                              const char *path)
{
    const lreg *r = strcmp(ref, "unit") == 0 ? NULL : liaison_reg(ref);
    if (r && strcmp(r->read_perm, "liaison.read") != 0 && !authz_can(p, r->read_perm, path))
        return "（统战对象）";
    return name;
}

const char *liaison_choice_title(const char *reg, const char *col, const char *code)
{
    const lreg *g = liaison_reg(reg);
    for (size_t i = 0; g && code && i < g->ncols; i++) {
        const lcol *c = &g->cols[i];
        if (c->type != LT_CHOICE || strcmp(c->name, col) != 0) continue;
        for (size_t k = 0; c->codes[k]; k++)
            if (strcmp(c->codes[k], code) == 0) return c->titles[k];
    }
    return "";
}

static json_t *read_row(arena *a, const principal *p, const lreg *g, sq_stmt *st)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(sq_int(st, 0)));
    json_object_set_new(o, "unit_id", json_integer(sq_int(st, 1)));
    json_object_set_new(o, "created_at", api_time(sq_int(st, 2)));
    json_object_set_new(o, "version", json_integer(sq_int(st, 3)));
    json_object_set_new(o, "unit_name", jsonx_text(sq_text_peek(st, 4)));
    int k = 6 + (int)g->ncols;
    for (size_t i = 0; i < g->ncols; i++) {
        const lcol *c = &g->cols[i];
        int col = 6 + (int)i;
        switch (c->type) {
        case LT_INT:
        case LT_FLAG:
            json_object_set_new(o, c->name, json_integer(sq_int(st, col)));
            break;
        case LT_USER: {
            json_object_set_new(o, c->name,
                                sq_is_null(st, col) ? json_null() : json_integer(sq_int(st, col)));
            const char *name = sq_text(a, st, k), *unit = sq_text(a, st, k + 1);
            k += 2;
            json_object_set_new(o, arena_sprintf(a, "%s_name", c->name), jsonx_text(name));
            char *label = *name ? arena_sprintf(a, "%s（%s）", name, unit) : "";
            json_object_set_new(o, arena_sprintf(a, "%s_label", c->name), jsonx_text(label));
            break;
        }
        case LT_REF: {
            json_object_set_new(o, c->name,
                                sq_is_null(st, col) ? json_null() : json_integer(sq_int(st, col)));
            const char *name = sq_text(a, st, k), *path = sq_text(a, st, k + 1);
            k += 2;
            json_object_set_new(o, arena_sprintf(a, "%s_name", c->name),
                                jsonx_text(shown_name(p, c->ref, name, path)));
            break;
        }
        case LT_CODE:
            json_object_set_new(o, c->name, jsonx_text(sq_text_peek(st, col)));
            json_object_set_new(o, arena_sprintf(a, "%s_title", c->name),
                                jsonx_text(sq_text_peek(st, k++)));
            break;
        case LT_CHOICE: {
            const char *v = sq_text(a, st, col);
            json_object_set_new(o, c->name, jsonx_text(v));
            json_object_set_new(o, arena_sprintf(a, "%s_title", c->name),
                                jsonx_text(liaison_choice_title(g->name, c->name, v)));
            break;
        }
        default:
            json_object_set_new(o, c->name, jsonx_text(sq_text_peek(st, col)));
        }
    }
    return o;
}

/* Adds each link of the record as {id, name} under its out key and the ids under its key. */
static err_code read_links(store_tx *tx, arena *a, const principal *p, const lreg *g, json_t *o)
{
    reg_sql *q = sql_of(g);
    int64_t id = json_integer_value(json_object_get(o, "id"));
    for (size_t l = 0; l < g->nlinks; l++) {
        sq_stmt *st = sq_prep(tx, q->link_get[l]);
        sq_bind_int(st, 1, id);
        json_t *objs = json_array(), *ids = json_array();
        int rc;
        while ((rc = sq_step(st)) == SQ_ROW) {
            const char *name = sq_text(a, st, 1), *path = sq_text(a, st, 2);
            json_array_append_new(ids, json_integer(sq_int(st, 0)));
            json_array_append_new(
                objs, json_pack("{sI so}", "id", (json_int_t)sq_int(st, 0), "name",
                                jsonx_text(shown_name(p, g->links[l].ref, name, path))));
        }
        sq_reset(st);
        json_object_set_new(o, g->links[l].key, ids);
        json_object_set_new(o, g->links[l].out, objs);
        if (rc != SQ_DONE) return (err_code)rc;
    }
    return E_OK;
}

err_code liaison_record_path(store_tx *tx, arena *a, const lreg *g, int64_t id, int64_t *unit_id,
                             const char **path)
{
    sq_stmt *st = sq_prep(tx, sql_of(g)->path);
    sq_bind_int(st, 1, id);
    int rc = sq_step(st);
    if (rc == SQ_ROW) {
        if (unit_id) *unit_id = sq_int(st, 0);
        *path = sq_text(a, st, 1);
    }
    sq_reset(st);
    return rc == SQ_ROW ? E_OK : rc == SQ_DONE ? E_NOT_FOUND : (err_code)rc;
}

err_code liaison_record_json(store_tx *tx, arena *a, const principal *p, const lreg *g,
                             int64_t id, json_t **out)
{
    sq_stmt *st = sq_prep(tx, sql_of(g)->get);
    sq_bind_int(st, 1, id);
    int rc = sq_step(st);
    *out = rc == SQ_ROW ? read_row(a, p, g, st) : NULL;
    sq_reset(st);
    if (rc != SQ_ROW) return rc == SQ_DONE ? E_NOT_FOUND : (err_code)rc;
    err_code e = read_links(tx, a, p, g, *out);
    if (e != E_OK) json_decref(*out), *out = NULL;
    return e;
}

static void bind_filter(sq_stmt *st, const lreg *g, const lfilter *f)
{
    sq_bind_text(st, 1, f->scope);
    sq_bind_text(st, 2, f->subtree);
    sq_bind_text(st, 3, f->q);
    sq_bind_text(st, 4, f->from);
    sq_bind_text(st, 5, f->to);
    int k = 6;
    for (size_t i = 0; i < g->ncols; i++) {
        const lcol *c = &g->cols[i];
        if (!c->filter) continue;
        json_t *v = f->eq ? json_object_get(f->eq, c->name) : NULL;
        if (json_is_integer(v)) sq_bind_int(st, k, json_integer_value(v));
        else if (json_is_string(v)) sq_bind_text(st, k, json_string_value(v));
        else sq_bind_null(st, k);
        k++;
    }
}

err_code liaison_record_list(store_tx *tx, arena *a, const principal *p, const lreg *g,
                             const lfilter *f, json_t *items, int64_t *total)
{
    reg_sql *q = sql_of(g);
    sq_stmt *st = sq_prep(tx, q->count);
    bind_filter(st, g, f);
    err_code e = sq_count(tx, st, total);
    if (e != E_OK) return e;
    st = sq_prep(tx, q->list);
    bind_filter(st, g, f);
    int k = 6 + nfilters(g);
    sq_bind_int(st, k, f->limit);
    sq_bind_int(st, k + 1, f->offset);
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW)
        json_array_append_new(items, read_row(a, p, g, st));
    sq_reset(st);
    if (rc != SQ_DONE) return (err_code)rc;
    for (size_t i = 0; e == E_OK && i < json_array_size(items); i++)
        e = read_links(tx, a, p, g, json_array_get(items, i));
    return e;
}

/* ---- people, settings, audit ---- */

const char *liaison_user_label(store_tx *tx, arena *a, int64_t user_id)
{
    store_user u;
    if (!user_id || store_user_get(tx, a, user_id, &u) != E_OK) return "";
    return arena_sprintf(a, "%s（%s）", u.name, u.unit_name ? u.unit_name : "");
}

err_code liaison_setting_get(store_tx *tx, const char *key, int64_t dflt, int64_t *v)
{
    static const char sql[] = "SELECT value FROM liaison_setting WHERE key = ?1";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind_text(st, 1, key);
    return sq_int_or(tx, st, dflt, v);
}

err_code liaison_audit(const lctx *c, store_tx *tx, const char *action, const char *kind,
                       int64_t id, json_t *detail)
{
    return app_audit(c->ap, tx, c->a, c->p, action,
                     arena_sprintf(c->a, "liaison_%s:%lld", kind, (long long)id), detail);
}

err_code liaison_write(app *ap, arena *a, const principal *p, const char **bad_field, void *ctx,
                       store_fn fn)
{
    *bad_field = NULL;
    return store_write(ap->st, fn, ctx);
}

/* ---- checking and writing ---- */

/* The field to name in the refusal, copied to the arena: it may be a key of the body, which
 * the caller frees before the reply is built. */
err_code liaison_fail(lctx *c, err_code e, const char *field)
{
    *c->bad_field = field ? arena_strdup(c->a, field) : NULL;
    return e;
}

static const lcol *col_named(const lreg *g, const char *name)
{
    for (size_t i = 0; i < g->ncols; i++)
        if (strcmp(g->cols[i].name, name) == 0) return &g->cols[i];
    return NULL;
}

/* A value of the body for column c, checked for its type and stored into row. */
static err_code take(lctx *c, json_t *row, const lcol *col, json_t *v)
{
    const char *f = col->name;
    if (json_is_null(v) && (col->type == LT_REF || col->type == LT_USER)) {
        json_object_set_new(row, f, json_null());
        return E_OK;
    }
    if (json_is_null(v)) v = NULL;
    switch (col->type) {
    case LT_INT: {
        if (!v) return liaison_fail(c, E_FIELD_TYPE, f);
        if (!json_is_integer(v)) return liaison_fail(c, E_FIELD_TYPE, f);
        json_int_t n = json_integer_value(v);
        if (n < 0 || (col->max && n > col->max)) return liaison_fail(c, E_FIELD_INVALID, f);
        json_object_set_new(row, f, json_integer(n));
        return E_OK;
    }
    case LT_FLAG:
        if (json_is_boolean(v)) json_object_set_new(row, f, json_integer(json_is_true(v)));
        else if (json_is_integer(v) && (json_integer_value(v) == 0 || json_integer_value(v) == 1))
            json_object_set_new(row, f, json_integer(json_integer_value(v)));
        else return liaison_fail(c, E_FIELD_TYPE, f);
        return E_OK;
    case LT_USER:
    case LT_REF:
        if (!json_is_integer(v)) return liaison_fail(c, E_FIELD_TYPE, f);
        if (json_integer_value(v) <= 0) return liaison_fail(c, E_FIELD_INVALID, f);
        json_object_set_new(row, f, json_integer(json_integer_value(v)));
        return E_OK;
    default:
        break;
    }
    if (v && !json_is_string(v)) return liaison_fail(c, E_FIELD_TYPE, f);
    const char *s = v ? json_string_value(v) : "";
    err_code e = text_check_field(s, col->type == LT_TEXT && col->max ? (size_t)col->max : 200, 0);
    if (e != E_OK) return liaison_fail(c, e, f);
    if (*s && (col->type == LT_DATE || col->type == LT_MONTH)) {
        cal_day d;
        char buf[11];
        if (col->type == LT_MONTH && strlen(s) == 7) snprintf(buf, sizeof buf, "%s-01", s);
        else snprintf(buf, sizeof buf, "%s", s);
        if ((col->type == LT_MONTH && strlen(s) != 7) || strlen(s) > 10 || cal_parse(buf, &d))
            return liaison_fail(c, E_FIELD_INVALID, f);
        if (col->past && d > cal_local_day(clock_now())) return liaison_fail(c, E_DATE_FUTURE, f);
    }
    if (col->type == LT_CHOICE) {
        size_t k = 0;
        for (; col->codes[k]; k++)
            if (strcmp(col->codes[k], s) == 0 || (*s && strcmp(col->titles[k], s) == 0)) break;
        if (!col->codes[k]) return liaison_fail(c, E_FIELD_INVALID, f);
        s = col->codes[k];
    }
    json_object_set_new(row, f, jsonx_text(s));
    return E_OK;
}

/* A referenced record exists and lies where the caller may read its register. */
static err_code check_ref(lctx *c, store_tx *tx, const char *ref, int64_t id, const char *field)
{
    const char *path;
    if (strcmp(ref, "unit") == 0) {
        store_unit u;
        err_code e = store_unit_get(tx, c->a, id, &u);
        return e == E_NOT_FOUND ? liaison_fail(c, E_FIELD_INVALID, field) : e;
    }
    const lreg *r = liaison_reg(ref);
    err_code e = liaison_record_path(tx, c->a, r, id, NULL, &path);
    if (e == E_NOT_FOUND) return liaison_fail(c, E_FIELD_INVALID, field);
    if (e != E_OK) return e;
    return authz_can(c->p, r->read_perm, path) ? E_OK : liaison_fail(c, E_FIELD_INVALID, field);
}

static err_code check_user(lctx *c, store_tx *tx, int64_t id, const char *field)
{
    store_user u;
    err_code e = store_user_get(tx, c->a, id, &u);
    if (e == E_NOT_FOUND || (e == E_OK && u.disabled)) return liaison_fail(c, E_FIELD_INVALID, field);
    return e;
}

/* Overlays the body on row (the record's current fields, or empty); links into links[]. */
static err_code overlay(lctx *c, json_t *row, json_t *body, json_t **links)
{
    const lreg *g = c->reg;
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v)
    {
        if (strcmp(key, "version") == 0) continue;
        if (strcmp(key, "unit_id") == 0 && !g->parent) {
            if (!json_is_integer(v)) return liaison_fail(c, E_FIELD_TYPE, "unit_id");
            json_object_set(row, "unit_id", v);
            continue;
        }
        const lcol *col = col_named(g, key);
        if (col) {
            err_code e = take(c, row, col, v);
            if (e != E_OK) return e;
            continue;
        }
        size_t l = 0;
        while (l < g->nlinks && strcmp(g->links[l].key, key) != 0)
            l++;
        if (l == g->nlinks) return liaison_fail(c, E_FIELD_UNKNOWN, key);
        if (!json_is_array(v) || json_array_size(v) > 500) return liaison_fail(c, E_FIELD_TYPE, key);
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) if (!json_is_integer(x) || json_integer_value(x) <= 0) return
            liaison_fail(c, E_FIELD_INVALID, key);
        links[l] = json_incref(v);
    }
    return E_OK;
}

/* Every column set (defaults for the absent), required ones non-empty. */
static err_code complete(lctx *c, json_t *row)
{
    const lreg *g = c->reg;
    for (size_t i = 0; i < g->ncols; i++) {
        const lcol *col = &g->cols[i];
        json_t *v = json_object_get(row, col->name);
        int empty = !v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v));
        if (col->required && empty) return liaison_fail(c, E_FIELD_REQUIRED, col->name);
        if (v) continue;
        if (col->type == LT_INT || col->type == LT_FLAG)
            json_object_set_new(row, col->name, json_integer(0));
        else if (col->type == LT_REF || col->type == LT_USER)
            json_object_set_new(row, col->name, json_null());
        else
            json_object_set_new(row, col->name,
                                jsonx_text(col->type == LT_CHOICE ? col->codes[0] : ""));
    }
    return E_OK;
}

/* References, users and codes of the row are real and within reach. */
static err_code check_refs(lctx *c, store_tx *tx, json_t *row, json_t **links)
{
    const lreg *g = c->reg;
    for (size_t i = 0; i < g->ncols; i++) {
        const lcol *col = &g->cols[i];
        json_t *v = json_object_get(row, col->name);
        err_code e = E_OK;
        if (col->type == LT_REF && json_is_integer(v))
            e = check_ref(c, tx, col->ref, json_integer_value(v), col->name);
        else if (col->type == LT_USER && json_is_integer(v))
            e = check_user(c, tx, json_integer_value(v), col->name);
        else if (col->type == LT_CODE && *json_string_value(v)) {
            char *sql = arena_sprintf(c->a, "SELECT count(*) FROM %s WHERE code = ?1", col->ref);
            sq_stmt *st = sq_prep_once(tx, sql);
            sq_bind_text(st, 1, json_string_value(v));
            int64_t n = 0;
            e = sq_count(tx, st, &n);
            sq_finalize(st);
            if (e == E_OK && n == 0) e = liaison_fail(c, E_FIELD_INVALID, col->name);
        }
        if (e != E_OK) return e;
    }
    for (size_t l = 0; l < g->nlinks; l++) {
        size_t i;
        json_t *x;
        json_array_foreach(links[l], i, x)
        {
            err_code e = check_ref(c, tx, g->links[l].ref, json_integer_value(x), g->links[l].key);
            if (e != E_OK) return e;
        }
    }
    return E_OK;
}

/* The unit the record belongs to: its parent's, or the body's; the caller must write there. */
static err_code resolve_unit(lctx *c, store_tx *tx, json_t *row, int64_t *unit_id)
{
    const lreg *g = c->reg;
    const char *path;
    if (g->parent) {
        const lreg *pr = liaison_reg(g->parent);
        const char *f = arena_sprintf(c->a, "%s_id", g->parent);
        err_code e = liaison_record_path(tx, c->a, pr, json_integer_value(json_object_get(row, f)),
                                         unit_id, &path);
        if (e == E_NOT_FOUND) return liaison_fail(c, E_FIELD_INVALID, f);
        if (e != E_OK) return e;
    } else {
        json_t *v = json_object_get(row, "unit_id");
        if (!v || json_is_null(v)) return liaison_fail(c, E_FIELD_REQUIRED, "unit_id");
        store_unit u;
        err_code e = store_unit_get(tx, c->a, json_integer_value(v), &u);
        if (e == E_NOT_FOUND) return liaison_fail(c, E_FIELD_INVALID, "unit_id");
        if (e != E_OK) return e;
        *unit_id = u.id;
        path = u.path;
    }
    json_object_set_new(row, "unit_id", json_integer(*unit_id));
    return authz_can(c->p, "liaison.write", path) ? E_OK : E_FORBIDDEN;
}

static void bind_cols(sq_stmt *st, const lreg *g, json_t *row)
{
    for (size_t i = 0; i < g->ncols; i++) {
        const lcol *col = &g->cols[i];
        json_t *v = json_object_get(row, col->name);
        int at = (int)i + 3;
        if (json_is_integer(v)) sq_bind_int(st, at, json_integer_value(v));
        else if (json_is_string(v)) sq_bind_text(st, at, json_string_value(v));
        else sq_bind_null(st, at);
    }
}

static err_code write_links(lctx *c, store_tx *tx, int64_t id, json_t **links)
{
    reg_sql *q = sql_of(c->reg);
    for (size_t l = 0; l < c->reg->nlinks; l++) {
        if (!links[l]) continue;
        sq_stmt *st = sq_prep(tx, q->link_del[l]);
        sq_bind_int(st, 1, id);
        err_code e = sq_exec(tx, st);
        size_t i;
        json_t *x;
        json_array_foreach(links[l], i, x)
        {
            if (e != E_OK) return e;
            st = sq_prep(tx, q->link_ins[l]);
            sq_bind(st, "ii", id, (int64_t)json_integer_value(x));
            e = sq_exec(tx, st);
            if (e == E_DUPLICATE) e = liaison_fail(c, E_FIELD_INVALID, c->reg->links[l].key);
        }
        if (e != E_OK) return e;
    }
    return E_OK;
}

err_code liaison_record_save(lctx *c, store_tx *tx, json_t *body, int64_t id, int64_t *out_id,
                             int64_t *version)
{
    const lreg *g = c->reg;
    reg_sql *q = sql_of(g);
    json_t *links[4] = {0};
    json_t *row = json_object();
    err_code e = E_OK;
    int64_t want = 0;
    if (id) {
        json_t *cur;
        const char *path;
        e = liaison_record_path(tx, c->a, g, id, NULL, &path);
        if (e == E_OK && !authz_can(c->p, "liaison.write", path)) e = E_FORBIDDEN;
        if (e == E_OK) e = liaison_record_json(tx, c->a, c->p, g, id, &cur);
        if (e != E_OK) goto done;
        json_t *v = json_object_get(body, "version");
        if (!json_is_integer(v)) {
            json_decref(cur);
            e = liaison_fail(c, v ? E_FIELD_TYPE : E_FIELD_REQUIRED, "version");
            goto done;
        }
        want = json_integer_value(v);
        json_object_set(row, "unit_id", json_object_get(cur, "unit_id"));
        for (size_t i = 0; i < g->ncols; i++)
            json_object_set(row, g->cols[i].name, json_object_get(cur, g->cols[i].name));
        json_decref(cur);
    } else if (json_object_get(body, "version")) {
        e = liaison_fail(c, E_FIELD_UNKNOWN, "version");
        goto done;
    }
    e = overlay(c, row, body, links);
    for (size_t l = 0; e == E_OK && l < g->nlinks; l++)
        if (!links[l] && !id) links[l] = json_array();
    if (e == E_OK) e = complete(c, row);
    int64_t unit_id = 0;
    if (e == E_OK) e = resolve_unit(c, tx, row, &unit_id);
    if (e == E_OK) e = check_refs(c, tx, row, links);
    if (e == E_OK && g->check) {
        /* the rule sees the links too, under their keys */
        for (size_t l = 0; l < g->nlinks; l++)
            if (links[l]) json_object_set(row, g->links[l].key, links[l]);
        e = g->check(c, tx, row);
        for (size_t l = 0; l < g->nlinks; l++)
            json_object_del(row, g->links[l].key);
    }
    if (e != E_OK) goto done;
    sq_stmt *st = sq_prep(tx, id ? q->update : q->insert);
    sq_bind_int(st, 1, unit_id);
    sq_bind_int(st, 2, id ? id : clock_now());
    bind_cols(st, g, row);
    if (id) {
        *version = want;
        sq_bind_int(st, (int)g->ncols + 3, want);
        e = sq_versioned(tx, st, version);
        *out_id = id;
    } else {
        e = sq_insert(tx, st, out_id);
        *version = 1;
    }
    if (e == E_DUPLICATE) *c->bad_field = g->label;
    if (e == E_OK) e = write_links(c, tx, *out_id, links);
    if (e == E_OK) {
        json_t *fields = json_array();
        const char *key;
        json_t *v;
        json_object_foreach(body, key, v) if (strcmp(key, "version") != 0)
            json_array_append_new(fields, json_string(key));
        json_t *label = json_object_get(row, g->label);
        e = liaison_audit(c, tx, arena_sprintf(c->a, "liaison.%s.%s", g->name, id ? "update" : "create"),
                          g->name, *out_id,
                          json_pack("{sO so}", "name", label ? label : json_null(), "fields", fields));
    }
done:
    for (size_t l = 0; l < g->nlinks; l++)
        json_decref(links[l]);
    json_decref(row);
    return e;
}
