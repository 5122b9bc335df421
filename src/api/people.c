/*
 * people — who did something, as the people using duban know them: 姓名（单位）, never a login
 * name. Records name their actor by a user id and a login (the audit log, flow events) or by a
 * login alone (grants, the tree's history); actors that are no user are the command line
 * ("cli:root", run by the operating system's administrator) and the scheduler ("system:…").
 * A small cache per request keeps a page of records to one lookup per person.
 */
#include "api/api.h"

#include <string.h>

#define PEOPLE_CACHE 64

struct api_people {
    arena *a;
    size_t n;
    struct {
        int64_t id;
        const char *login;
        json_t *person; /* owned here; handed out as new references */
    } slot[PEOPLE_CACHE];
};

api_people *api_people_new(arena *a)
{
    api_people *pp = arena_alloc(a, sizeof *pp);
    memset(pp, 0, sizeof *pp);
    pp->a = a;
    return pp;
}

void api_people_free(api_people *pp)
{
    if (!pp) return;
    for (size_t i = 0; i < pp->n; i++)
        json_decref(pp->slot[i].person);
    pp->n = 0;
}

static json_t *user_person(arena *a, const store_user *u)
{
    json_t *j = json_pack("{sI ss ss sI ss ss}", "id", (json_int_t)u->id, "login", u->login, "name",
                          u->name, "unit_id", (json_int_t)u->unit_id, "unit_name", u->unit_name,
                          "kind", "user");
    json_object_set_new(j, "label",
                        json_string(arena_sprintf(a, "%s（%s）", u->name, u->unit_name)));
    return j;
}

/* An actor that is no user: the command line, the scheduler, or a login no longer known. */
static json_t *other_person(const char *actor)
{
    const char *name, *kind;
    if (strncmp(actor, "cli:", 4) == 0) {
        name = "命令行·系统管理员";
        kind = "cli";
    } else if (strncmp(actor, "system", 6) == 0) {
        name = "系统·定时任务";
        kind = "system";
    } else {
        name = *actor ? actor : "—";
        kind = "unknown";
    }
    return json_pack("{sn ss ss ss ss}", "id", "login", actor, "name", name, "label", name, "kind",
                     kind);
}

json_t *api_actor_json(store_tx *tx, api_people *pp, int64_t user_id, const char *actor)
{
    if (!actor) actor = "";
    for (size_t i = 0; i < pp->n; i++)
        if (user_id ? pp->slot[i].id == user_id
                    : pp->slot[i].id == 0 && strcmp(pp->slot[i].login, actor) == 0)
            return json_incref(pp->slot[i].person);
    store_user u;
    err_code e = E_NOT_FOUND;
    if (user_id)
        e = store_user_get(tx, pp->a, user_id, &u);
    else if (*actor && strchr(actor, ':') == NULL)
        e = store_user_by_login(tx, pp->a, actor, &u);
    json_t *person = e == E_OK ? user_person(pp->a, &u) : other_person(actor);
    if (pp->n < PEOPLE_CACHE) {
        pp->slot[pp->n].id = user_id;
        pp->slot[pp->n].login = arena_strdup(pp->a, actor);
        pp->slot[pp->n].person = json_incref(person);
        pp->n++;
    }
    return person;
}

const char *api_actor_label(store_tx *tx, api_people *pp, int64_t user_id, const char *actor)
{
    json_t *p = api_actor_json(tx, pp, user_id, actor);
    const char *label = arena_strdup(pp->a, json_string_value(json_object_get(p, "label")));
    json_decref(p);
    return label;
}
