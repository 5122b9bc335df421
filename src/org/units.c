/* units — adding, renaming and moving units of the org tree (see org.h). */
#include "org/org.h"

#include "base/clock.h"
#include "base/text.h"

#include <string.h>

const unit_kind org_unit_kinds[] = {
    {"province", "省委省政府"},  {"city", "市委市政府"},
    {"county", "县委县政府"},    {"department", "部门"}, {"township", "乡镇（街道）"},
    {"village", "村（社区）"},   {"branch", "党支部"},   {"enterprise", "企业"},
    {"third_party", "第三方机构"}, {NULL, NULL},
};

const char *org_unit_kind_title(const char *kind)
{
    for (const unit_kind *k = org_unit_kinds; k->kind; k++)
        if (strcmp(k->kind, kind) == 0) return k->title;
    return NULL;
}

err_code org_check_name(const char *name, size_t max_chars)
{
    if (!name || !*name) return E_FIELD_REQUIRED;
    if (text_has_control(name)) return E_FIELD_INVALID;
    if (text_chars(name) > max_chars) return E_FIELD_TOO_LONG;
    return E_OK;
}

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    const org_unit_input *in;
    int64_t id, parent_id, version;
    const char *name;
    store_unit *out;
    const char **bad_field;
} unit_op;

static err_code fail_field(unit_op *op, err_code e, const char *field)
{
    *op->bad_field = field;
    return e;
}

static err_code add_fn(store_tx *tx, void *ctx)
{
    unit_op *op = ctx;
    const org_unit_input *in = op->in;
    const char *parent_path = "/";
    if (in->parent_id) {
        store_unit parent;
        err_code e = store_unit_get(tx, op->a, in->parent_id, &parent);
        if (e == E_NOT_FOUND) return fail_field(op, E_FIELD_INVALID, "parent_id");
        if (e != E_OK) return e;
        parent_path = parent.path;
    } else if (!op->p->system) {
        return fail_field(op, E_FIELD_REQUIRED, "parent_id");
    }
    if (!authz_can(op->p, "unit.write", parent_path)) return E_FORBIDDEN;
    *op->out = (store_unit){.parent_id = in->parent_id, .kind = in->kind, .code = in->code,
                            .name = in->name, .created_at = clock_now()};
    err_code e = store_unit_insert(tx, op->a, op->out);
    if (e == E_DUPLICATE) return fail_field(op, E_DUPLICATE, "code");
    if (e != E_OK) return e;
    e = store_unit_history_add(tx, op->out->id, op->out->created_at, op->p->login, "create", NULL,
                               in->name);
    if (e != E_OK) return e;
    json_t *d = json_pack("{ss ss ss sI}", "code", in->code, "name", in->name, "kind", in->kind,
                          "parent_id", (json_int_t)in->parent_id);
    return app_audit(op->ap, tx, op->a, op->p, "unit.create",
                     arena_sprintf(op->a, "unit:%lld", (long long)op->out->id), d);
}

err_code org_unit_add(app *ap, arena *a, const principal *p, const org_unit_input *in,
                      store_unit *out, const char **bad_field)
{
    *bad_field = NULL;
    if (!in->code || !*in->code) return *bad_field = "code", E_FIELD_REQUIRED;
    if (!text_is_ident(in->code, 32)) return *bad_field = "code", E_FIELD_INVALID;
    err_code e = org_check_name(in->name, 60);
    if (e != E_OK) return *bad_field = "name", e;
    if (!in->kind || !org_unit_kind_title(in->kind)) return *bad_field = "kind", E_FIELD_INVALID;
    unit_op op = {.ap = ap, .a = a, .p = p, .in = in, .out = out, .bad_field = bad_field};
    return store_write(ap->st, add_fn, &op);
}

/* The store's form of a version: 0 matches any. */
static int64_t any_version(int64_t version)
{
    return version == ORG_VERSION_ANY ? 0 : version;
}

static err_code rename_fn(store_tx *tx, void *ctx)
{
    unit_op *op = ctx;
    err_code e = store_unit_get(tx, op->a, op->id, op->out);
    if (e != E_OK) return e;
    if (!authz_can(op->p, "unit.write", op->out->path)) return E_FORBIDDEN;
    const char *old = op->out->name;
    if (strcmp(old, op->name) == 0) return E_OK; /* nothing changes, nothing to record */
    if (op->version == 0) return E_VERSION_REQUIRED;
    e = store_unit_rename(tx, op->id, op->name, any_version(op->version));
    if (e != E_OK) return e;
    e = store_unit_history_add(tx, op->id, clock_now(), op->p->login, "rename", old, op->name);
    if (e != E_OK) return e;
    e = store_unit_get(tx, op->a, op->id, op->out);
    if (e != E_OK) return e;
    return app_audit(op->ap, tx, op->a, op->p, "unit.rename",
                     arena_sprintf(op->a, "unit:%lld", (long long)op->id),
                     json_pack("{ss ss}", "old", old, "new", op->name));
}

err_code org_unit_rename(app *ap, arena *a, const principal *p, int64_t id, const char *name,
                         int64_t version, store_unit *out, const char **bad_field)
{
    *bad_field = NULL;
    err_code e = org_check_name(name, 60);
    if (e != E_OK) return *bad_field = "name", e;
    unit_op op = {.ap = ap, .a = a, .p = p, .id = id, .name = name, .version = version,
                  .out = out, .bad_field = bad_field};
    return store_write(ap->st, rename_fn, &op);
}

static err_code move_fn(store_tx *tx, void *ctx)
{
    unit_op *op = ctx;
    store_unit parent;
    err_code e = store_unit_get(tx, op->a, op->id, op->out);
    if (e != E_OK) return e;
    e = store_unit_get(tx, op->a, op->parent_id, &parent);
    if (e == E_NOT_FOUND) return fail_field(op, E_FIELD_INVALID, "parent_id");
    if (e != E_OK) return e;
    if (!authz_can(op->p, "unit.write", op->out->path) ||
        !authz_can(op->p, "unit.write", parent.path))
        return E_FORBIDDEN;
    if (!op->out->parent_id) return fail_field(op, E_FIELD_INVALID, "id"); /* the root stays */
    if (authz_within(op->out->path, parent.path)) return fail_field(op, E_UNIT_CYCLE, "parent_id");
    if (op->out->parent_id == parent.id) return E_OK;
    if (op->version == 0) return E_VERSION_REQUIRED;
    store_unit old_parent;
    e = store_unit_get(tx, op->a, op->out->parent_id, &old_parent);
    if (e != E_OK) return e;
    e = store_unit_move(tx, op->a, op->out, &parent, any_version(op->version));
    if (e != E_OK) return e;
    e = store_unit_history_add(tx, op->id, clock_now(), op->p->login, "move", old_parent.code,
                               parent.code);
    if (e != E_OK) return e;
    e = store_unit_get(tx, op->a, op->id, op->out);
    if (e != E_OK) return e;
    return app_audit(op->ap, tx, op->a, op->p, "unit.move",
                     arena_sprintf(op->a, "unit:%lld", (long long)op->id),
                     json_pack("{sI sI}", "old_parent_id", (json_int_t)old_parent.id,
                               "new_parent_id", (json_int_t)parent.id));
}

err_code org_unit_move(app *ap, arena *a, const principal *p, int64_t id, int64_t parent_id,
                       int64_t version, store_unit *out, const char **bad_field)
{
    *bad_field = NULL;
    unit_op op = {.ap = ap, .a = a, .p = p, .id = id, .parent_id = parent_id,
                  .version = version, .out = out, .bad_field = bad_field};
    return store_write(ap->st, move_fn, &op);
}

/* By code, by "名称（编码）", else by name when the name is unique; *ambiguous set when not. */
const store_unit *org_unit_by_text(const store_unit *units, size_t n, const char *s, int *ambiguous)
{
    const store_unit *hit = NULL;
    *ambiguous = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(units[i].code, s) == 0) return &units[i];
    size_t len = strlen(s);
    const char *open = strstr(s, "（");
    if (open && len > 3 && strcmp(s + len - 3, "）") == 0) {
        const char *code = open + 3;
        size_t code_len = (size_t)(s + len - 3 - code);
        for (size_t i = 0; i < n; i++)
            if (strlen(units[i].code) == code_len && strncmp(units[i].code, code, code_len) == 0)
                return &units[i];
    }
    for (size_t i = 0; i < n; i++)
        if (strcmp(units[i].name, s) == 0) {
            if (hit) *ambiguous = 1;
            hit = &units[i];
        }
    return *ambiguous ? NULL : hit;
}
