/* views — the JSON shape of each record as the API returns it (see api.h). */
#include "api/api.h"

#include "base/clock.h"
#include "org/org.h"

json_t *api_time(int64_t t)
{
    char buf[24];
    return t ? json_string(clock_iso(t, buf)) : json_null();
}

json_t *api_unit_json(const store_unit *u)
{
    json_t *j = json_pack("{sI ss ss* ss ss sI}", "id", (json_int_t)u->id, "kind", u->kind,
                          "kind_title", org_unit_kind_title(u->kind), "code", u->code, "name",
                          u->name, "version", (json_int_t)u->version);
    json_object_set_new(j, "parent_id", u->parent_id ? json_integer(u->parent_id) : json_null());
    json_object_set_new(j, "created_at", api_time(u->created_at));
    return j;
}

json_t *api_user_json(const store_user *u)
{
    int64_t now = clock_now();
    json_t *j = json_pack("{sI ss ss sI ss sb sb sb sI}", "id", (json_int_t)u->id, "login",
                          u->login, "name", u->name, "unit_id", (json_int_t)u->unit_id,
                          "unit_name", u->unit_name, "must_change_password", (int)u->must_change,
                          "disabled", (int)u->disabled, "locked", u->locked_until > now,
                          "version", (json_int_t)u->version);
    json_object_set_new(j, "locked_until",
                        u->locked_until > now ? api_time(u->locked_until) : json_null());
    json_object_set_new(j, "created_at", api_time(u->created_at));
    json_object_set_new(j, "password_changed_at", api_time(u->pw_changed_at));
    return j;
}

json_t *api_role_json(const store_role *r)
{
    json_t *perms = json_array();
    for (size_t i = 0; i < r->nperms; i++) json_array_append_new(perms, json_string(r->perms[i]));
    return json_pack("{sI ss ss sb so}", "id", (json_int_t)r->id, "name", r->name, "title",
                     r->title, "builtin", r->builtin, "permissions", perms);
}

json_t *api_grant_json(const store_grant *g)
{
    json_t *j = json_pack("{sI sI ss ss sI ss ss}", "id", (json_int_t)g->id, "user_id",
                          (json_int_t)g->user_id, "user_login", g->user_login, "role",
                          g->role_name, "unit_id", (json_int_t)g->unit_id, "unit_name",
                          g->unit_name, "created_by", g->created_by);
    json_object_set_new(j, "created_at", api_time(g->created_at));
    return j;
}

json_t *api_token_json(const store_token *t)
{
    json_t *j = json_pack("{sI ss}", "id", (json_int_t)t->id, "name", t->name);
    json_object_set_new(j, "created_at", api_time(t->created_at));
    json_object_set_new(j, "last_used", api_time(t->last_used));
    json_object_set_new(j, "revoked_at", api_time(t->revoked_at));
    return j;
}

json_t *api_audit_json(const store_audit *a)
{
    json_error_t jerr;
    json_t *detail = json_loads(a->detail, 0, &jerr);
    /* Records are shown whatever bytes an edit may have put in them. */
    json_t *j = json_pack("{sI so so so so}", "seq", (json_int_t)a->seq, "actor",
                          jsonx_text(a->actor), "action", jsonx_text(a->action), "object",
                          jsonx_text(a->object), "mac", jsonx_text(a->mac));
    json_object_set_new(j, "at", api_time(a->at));
    json_object_set_new(j, "actor_id", a->actor_id ? json_integer(a->actor_id) : json_null());
    json_object_set_new(j, "detail", detail ? detail : jsonx_text(a->detail));
    return j;
}

json_t *api_principal_perms(const principal *p)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < p->nperms; i++)
        json_array_append_new(arr, json_pack("{ss ss}", "permission", p->perms[i].perm,
                                             "unit_path", p->perms[i].path));
    return arr;
}

static const char *field_type_name(flow_field_type t)
{
    static const char *names[] = {"text", "date", "int", "bool", "choice", "id", "user"};
    return names[t];
}

json_t *api_flow_action_json(const flow_action *a)
{
    json_t *fields = json_array();
    for (size_t i = 0; i < a->nfields; i++) {
        const flow_field *f = &a->fields[i];
        json_t *j = json_pack("{ss ss ss sb sI}", "name", f->name, "title", f->title, "type",
                              field_type_name(f->type), "required", f->required, "max_chars",
                              (json_int_t)f->max_chars);
        if (f->type == FF_CHOICE) {
            json_t *choices = json_array();
            for (size_t k = 0; k < f->nchoices; k++)
                json_array_append_new(choices, json_string(f->choices[k]));
            json_object_set_new(j, "choices", choices);
        }
        json_array_append_new(fields, j);
    }
    return json_pack("{ss ss so sI}", "name", a->name, "title", a->title, "fields", fields,
                     "evidence", (json_int_t)a->evidence);
}
