/* flow — loading, checking and applying flow definitions (see flow.h). */
#include "flow/flow.h"

#include "base/mem.h"
#include "base/text.h"
#include "flow/calendar.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- freeing ---- */

static void free_field(flow_field *fl)
{
    free(fl->name);
    free(fl->title);
    for (size_t i = 0; i < fl->nchoices; i++) free(fl->choices[i]);
    free(fl->choices);
    free(fl->holding);
}

void flow_free(flow_def *f)
{
    if (!f) return;
    for (size_t i = 0; i < f->nstates; i++) {
        free(f->states[i].name);
        free(f->states[i].title);
    }
    for (size_t i = 0; i < f->nactions; i++) {
        flow_action *a = &f->actions[i];
        free(a->name);
        free(a->title);
        free(a->from);
        free(a->permission);
        free(a->different_from);
        free(a->answers);
        for (size_t k = 0; k < a->nfields; k++) free_field(&a->fields[k]);
        free(a->fields);
        for (size_t k = 0; k < a->ndeadlines; k++) {
            free(a->deadlines[k].name);
            free(a->deadlines[k].field);
        }
        free(a->deadlines);
    }
    free(f->states);
    free(f->actions);
    free(f->name);
    free(f->title);
    free(f->source);
    free(f);
}

/* ---- parsing ---- */

typedef struct {
    const char *source;
    char *err;
    size_t errlen;
} parse_ctx;

static int fault(parse_ctx *pc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fault(parse_ctx *pc, const char *fmt, ...)
{
    int n = snprintf(pc->err, pc->errlen, "%s: ", pc->source);
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < pc->errlen) vsnprintf(pc->err + n, pc->errlen - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

/* A required, non-empty string member. */
static const char *str_member(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    const char *s = json_is_string(v) ? json_string_value(v) : NULL;
    return s && *s ? s : NULL;
}

static int state_index(const flow_def *f, const char *name)
{
    for (size_t i = 0; i < f->nstates; i++)
        if (strcmp(f->states[i].name, name) == 0) return (int)i;
    return -1;
}

static int check_keys(parse_ctx *pc, json_t *obj, const char *what, const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        int ok = 0;
        for (const char *const *a = allowed; *a && !ok; a++) ok = strcmp(*a, key) == 0;
        if (!ok) return fault(pc, "%s: unknown key '%s'", what, key);
    }
    return 0;
}

static int parse_states(parse_ctx *pc, flow_def *f, json_t *states)
{
    static const char *const keys[] = {"title", "terminal", NULL};
    if (!json_is_object(states) || json_object_size(states) == 0)
        return fault(pc, "'states' must be an object of at least one state");
    f->states = xcalloc(json_object_size(states), sizeof *f->states);
    const char *name;
    json_t *st;
    json_object_foreach(states, name, st)
    {
        if (!json_is_object(st)) return fault(pc, "state '%s' must be an object", name);
        if (check_keys(pc, st, name, keys)) return -1;
        const char *title = str_member(st, "title");
        if (!title) return fault(pc, "state '%s' has no title", name);
        json_t *term = json_object_get(st, "terminal");
        if (term && !json_is_boolean(term))
            return fault(pc, "state '%s': 'terminal' must be true or false", name);
        f->states[f->nstates++] = (flow_state){xstrdup(name), xstrdup(title), json_is_true(term)};
    }
    return 0;
}

static int parse_type(const char *t, flow_field_type *out)
{
    static const struct {
        const char *name;
        flow_field_type type;
    } types[] = {{"text", FF_TEXT}, {"date", FF_DATE}, {"int", FF_INT},
                 {"bool", FF_BOOL}, {"choice", FF_CHOICE}, {"id", FF_ID},
                 {"user", FF_USER}};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcmp(types[i].name, t) == 0) return *out = types[i].type, 0;
    return -1;
}

static int parse_field(parse_ctx *pc, const char *action, json_t *j, flow_field *out)
{
    static const char *const keys[] = {"name", "title", "type", "required", "max_chars",
                                       "choices", "holding", NULL};
    if (!json_is_object(j)) return fault(pc, "action '%s': each field must be an object", action);
    const char *name = str_member(j, "name"), *title = str_member(j, "title");
    const char *type = str_member(j, "type");
    if (!name || !title || !type)
        return fault(pc, "action '%s': a field needs name, title and type", action);
    if (check_keys(pc, j, name, keys)) return -1;
    out->name = xstrdup(name);
    out->title = xstrdup(title);
    if (parse_type(type, &out->type))
        return fault(pc, "action '%s': field '%s' has unknown type '%s'", action, name, type);
    out->required = json_is_true(json_object_get(j, "required"));
    json_t *mc = json_object_get(j, "max_chars");
    out->max_chars = json_is_integer(mc) && json_integer_value(mc) > 0
                         ? (size_t)json_integer_value(mc) : 2000;
    json_t *choices = json_object_get(j, "choices");
    if (out->type == FF_CHOICE) {
        if (!json_is_array(choices) || json_array_size(choices) == 0)
            return fault(pc, "action '%s': choice field '%s' needs choices", action, name);
        out->choices = xcalloc(json_array_size(choices), sizeof *out->choices);
        size_t i;
        json_t *c;
        json_array_foreach(choices, i, c)
        {
            if (!json_is_string(c))
                return fault(pc, "action '%s': field '%s': choices must be strings", action, name);
            out->choices[out->nchoices++] = xstrdup(json_string_value(c));
        }
    } else if (choices) {
        return fault(pc, "action '%s': only a choice field has choices", action);
    }
    const char *holding = str_member(j, "holding");
    if (holding && out->type != FF_USER)
        return fault(pc, "action '%s': only a user field has 'holding'", action);
    if (holding) out->holding = xstrdup(holding);
    return 0;
}

static int parse_deadline(parse_ctx *pc, const flow_action *a, json_t *j, flow_deadline *out)
{
    static const char *const keys[] = {"name", "workdays", "days", "field", "clear", NULL};
    if (!json_is_object(j)) return fault(pc, "action '%s': each deadline must be an object", a->name);
    if (check_keys(pc, j, a->name, keys)) return -1;
    const char *name = str_member(j, "name");
    if (!name) return fault(pc, "action '%s': a deadline needs a name", a->name);
    out->name = xstrdup(name);
    json_t *wd = json_object_get(j, "workdays"), *d = json_object_get(j, "days");
    const char *field = str_member(j, "field");
    int given = (wd != NULL) + (d != NULL) + (field != NULL) + json_is_true(json_object_get(j, "clear"));
    if (given != 1)
        return fault(pc, "action '%s': deadline '%s' needs exactly one of workdays, days, field, "
                     "clear", a->name, name);
    if (wd || d) {
        json_t *n = wd ? wd : d;
        if (!json_is_integer(n) || json_integer_value(n) < 0 || json_integer_value(n) > 3650)
            return fault(pc, "action '%s': deadline '%s' needs a count of 0..3650", a->name, name);
        out->kind = wd ? FD_WORKDAYS : FD_DAYS;
        out->amount = (int)json_integer_value(n);
    } else if (field) {
        int found = 0;
        for (size_t i = 0; i < a->nfields; i++)
            found |= strcmp(a->fields[i].name, field) == 0 && a->fields[i].type == FF_DATE;
        if (!found)
            return fault(pc, "action '%s': deadline '%s' takes its date from '%s', which is not a "
                         "date field of the action", a->name, name, field);
        out->kind = FD_FIELD;
        out->field = xstrdup(field);
    } else {
        out->kind = FD_CLEAR;
    }
    return 0;
}

static int parse_action(parse_ctx *pc, flow_def *f, json_t *j, flow_action *a)
{
    static const char *const keys[] = {"name", "title", "from", "to", "permission", "fields",
                                       "evidence", "outside_unit", "different_from",
                                       "answers", "deadlines", "once", NULL};
    if (!json_is_object(j)) return fault(pc, "each action must be an object");
    const char *name = str_member(j, "name");
    if (!name) return fault(pc, "an action has no name");
    a->name = xstrdup(name);
    if (check_keys(pc, j, name, keys)) return -1;
    const char *title = str_member(j, "title");
    if (!title) return fault(pc, "action '%s' has no title", name);
    a->title = xstrdup(title);
    const char *perm = str_member(j, "permission");
    if (!perm) return fault(pc, "action '%s' has no permission", name);
    a->permission = xstrdup(perm);
    json_t *from = json_object_get(j, "from");
    if (!json_is_array(from) || json_array_size(from) == 0)
        return fault(pc, "action '%s': 'from' must list at least one state", name);
    a->from = xcalloc(json_array_size(from), sizeof *a->from);
    size_t i;
    json_t *s;
    json_array_foreach(from, i, s)
    {
        int idx = json_is_string(s) ? state_index(f, json_string_value(s)) : -1;
        if (idx < 0)
            return fault(pc, "action '%s': unknown state '%s' in from", name,
                         json_is_string(s) ? json_string_value(s) : "?");
        a->from[a->nfrom++] = idx;
    }
    /* Without "to" the action keeps the item in its state (a progress report, say). */
    json_t *to_j = json_object_get(j, "to");
    const char *to = str_member(j, "to");
    a->to = to ? state_index(f, to) : -1;
    if (to_j && a->to < 0) return fault(pc, "action '%s': unknown state '%s' in to", name, to ? to : "");
    json_t *fields = json_object_get(j, "fields");
    if (fields && !json_is_array(fields)) return fault(pc, "action '%s': fields must be a list", name);
    a->fields = xcalloc(json_array_size(fields) + 1, sizeof *a->fields);
    json_array_foreach(fields, i, s)
    {
        if (parse_field(pc, name, s, &a->fields[a->nfields++])) return -1;
        for (size_t k = 0; k + 1 < a->nfields; k++)
            if (strcmp(a->fields[k].name, a->fields[a->nfields - 1].name) == 0)
                return fault(pc, "action '%s': field '%s' given twice", name, a->fields[k].name);
    }
    json_t *ev = json_object_get(j, "evidence");
    if (ev && (!json_is_integer(ev) || json_integer_value(ev) < 0 || json_integer_value(ev) > 20))
        return fault(pc, "action '%s': evidence must be a count of 0..20", name);
    a->evidence = ev ? (int)json_integer_value(ev) : 0;
    a->outside_unit = json_is_true(json_object_get(j, "outside_unit"));
    a->once = json_is_true(json_object_get(j, "once"));
    const char *diff = str_member(j, "different_from");
    if (diff) a->different_from = xstrdup(diff);
    const char *answers = str_member(j, "answers");
    if (answers) a->answers = xstrdup(answers);
    json_t *dls = json_object_get(j, "deadlines");
    if (dls && !json_is_array(dls)) return fault(pc, "action '%s': deadlines must be a list", name);
    a->deadlines = xcalloc(json_array_size(dls) + 1, sizeof *a->deadlines);
    json_array_foreach(dls, i, s) if (parse_deadline(pc, a, s, &a->deadlines[a->ndeadlines++])) return -1;
    return 0;
}

/* Every state must be reachable from the initial one. */
static int check_reachable(parse_ctx *pc, const flow_def *f)
{
    int *seen = xcalloc(f->nstates, sizeof *seen);
    seen[f->initial] = 1;
    for (int changed = 1; changed;) {
        changed = 0;
        for (size_t i = 0; i < f->nactions; i++) {
            const flow_action *a = &f->actions[i];
            for (size_t k = 0; k < a->nfrom; k++)
                if (a->to >= 0 && seen[a->from[k]] && !seen[a->to]) seen[a->to] = changed = 1;
        }
    }
    int rc = 0;
    for (size_t i = 0; i < f->nstates && !rc; i++)
        if (!seen[i]) rc = fault(pc, "state '%s' cannot be reached from '%s'", f->states[i].name,
                                 f->states[f->initial].name);
    free(seen);
    return rc;
}

static int parse_def(parse_ctx *pc, flow_def *f, json_t *root)
{
    static const char *const keys[] = {"name", "title", "initial", "states", "actions", NULL};
    if (!json_is_object(root)) return fault(pc, "a flow definition must be a JSON object");
    if (check_keys(pc, root, "flow", keys)) return -1;
    const char *name = str_member(root, "name"), *title = str_member(root, "title");
    if (!name || !title) return fault(pc, "a flow needs a name and a title");
    f->name = xstrdup(name);
    f->title = xstrdup(title);
    if (parse_states(pc, f, json_object_get(root, "states"))) return -1;
    const char *initial = str_member(root, "initial");
    f->initial = initial ? state_index(f, initial) : -1;
    if (f->initial < 0) return fault(pc, "unknown initial state '%s'", initial ? initial : "");
    json_t *actions = json_object_get(root, "actions");
    if (!json_is_array(actions) || json_array_size(actions) == 0)
        return fault(pc, "'actions' must list at least one action");
    f->actions = xcalloc(json_array_size(actions), sizeof *f->actions);
    size_t i;
    json_t *j;
    json_array_foreach(actions, i, j)
    {
        if (parse_action(pc, f, j, &f->actions[f->nactions++])) return -1;
        for (size_t k = 0; k + 1 < f->nactions; k++)
            if (strcmp(f->actions[k].name, f->actions[f->nactions - 1].name) == 0)
                return fault(pc, "duplicate action '%s'", f->actions[k].name);
    }
    for (size_t k = 0; k < f->nactions; k++) {
        const char *d = f->actions[k].different_from;
        if (d && !flow_action_named(f, d))
            return fault(pc, "action '%s': different_from names unknown action '%s'",
                         f->actions[k].name, d);
        const char *ans = f->actions[k].answers;
        if (ans && !flow_action_named(f, ans))
            return fault(pc, "action '%s': answers unknown action '%s'", f->actions[k].name, ans);
    }
    return check_reachable(pc, f);
}

flow_def *flow_parse(const char *json_text, const char *source, char *err, size_t errlen)
{
    parse_ctx pc = {source, err, errlen};
    json_error_t jerr;
    json_t *root = json_loads(json_text, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        fault(&pc, "line %d: %s", jerr.line, jerr.text);
        return NULL;
    }
    flow_def *f = xcalloc(1, sizeof *f);
    f->source = xstrdup(source);
    int rc = parse_def(&pc, f, root);
    json_decref(root);
    if (rc) {
        flow_free(f);
        return NULL;
    }
    return f;
}

flow_def *flow_load(const char *path, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        snprintf(err, errlen, "%s: cannot open", path);
        return NULL;
    }
    char *buf = NULL;
    size_t n = 0, cap = 0, got;
    do {
        if (n + 4096 > cap) buf = xrealloc(buf, cap = (n + 4096) * 2);
        got = fread(buf + n, 1, cap - n - 1, fp);
        n += got;
    } while (got > 0 && n < (1 << 20));
    fclose(fp);
    buf[n] = 0;
    flow_def *f = n >= (1 << 20) ? (snprintf(err, errlen, "%s: larger than 1 MiB", path), NULL)
                                 : flow_parse(buf, path, err, errlen);
    free(buf);
    return f;
}

/* ---- lookups and checks ---- */

const flow_state *flow_state_named(const flow_def *f, const char *name)
{
    int i = state_index(f, name);
    return i < 0 ? NULL : &f->states[i];
}

const flow_action *flow_action_named(const flow_def *f, const char *name)
{
    for (size_t i = 0; i < f->nactions; i++)
        if (strcmp(f->actions[i].name, name) == 0) return &f->actions[i];
    return NULL;
}

const char *flow_next_state(const flow_def *f, const flow_action *a, const char *current)
{
    return a->to < 0 ? current : f->states[a->to].name;
}

static int from_allows(const flow_def *f, const flow_action *a, const char *state)
{
    int idx = state_index(f, state);
    for (size_t i = 0; i < a->nfrom; i++)
        if (a->from[i] == idx) return 1;
    return 0;
}

/* For an answering action: is a request pending (made since the last answer of any kind)? */
static int request_pending(const flow_def *f, const flow_item *item, const flow_action *a)
{
    if (!item->last_event) return 0;
    int64_t asked = item->last_event(item->ctx, a->answers);
    if (!asked) return 0;
    for (size_t i = 0; i < f->nactions; i++) {
        const flow_action *o = &f->actions[i];
        if (o->answers && strcmp(o->answers, a->answers) == 0 &&
            item->last_event(item->ctx, o->name) > asked)
            return 0;
    }
    return 1;
}

/*
 * Is p outside everything that handles the item: its unit, its co-units, and the unit of the
 * person who took the action p must differ from (a colleague of the claimant is no outsider)?
 */
static int outside(const flow_item *item, const flow_action *a, const principal *p)
{
    if (authz_within(item->unit_path, p->unit_path)) return 0;
    for (size_t i = 0; i < item->nother; i++)
        if (authz_within(item->other_paths[i], p->unit_path)) return 0;
    if (a->different_from && item->last_actor_unit) {
        const char *theirs = item->last_actor_unit(item->ctx, a->different_from);
        if (theirs && authz_within(theirs, p->unit_path)) return 0;
    }
    return 1;
}

/* The actor-related guards; E_OK or the refusal. */
static err_code guards(const flow_def *f, const flow_item *item, const principal *p,
                       const flow_action *a, flow_refusal *why)
{
    if (!from_allows(f, a, item->state)) {
        const flow_state *st = flow_state_named(f, item->state);
        snprintf(why->message, sizeof why->message, "当前状态为「%s」，不能执行「%s」",
                 st ? st->title : item->state, a->title);
        return E_FLOW_STATE;
    }
    if (a->answers && !request_pending(f, item, a)) {
        const flow_action *req = flow_action_named(f, a->answers);
        snprintf(why->message, sizeof why->message, "没有待处理的「%s」", req ? req->title : a->answers);
        return E_FLOW_STATE;
    }
    if (a->once && item->last_event && item->last_event(item->ctx, a->name)) {
        snprintf(why->message, sizeof why->message, "已经「%s」，不能重复办理", a->title);
        return E_FLOW_STATE;
    }
    if (!authz_can(p, a->permission, item->unit_path)) {
        snprintf(why->message, sizeof why->message, "没有执行「%s」的权限", a->title);
        return E_FORBIDDEN;
    }
    if (a->different_from && item->last_actor && !p->system &&
        item->last_actor(item->ctx, a->different_from) == p->user_id) {
        const flow_action *other = flow_action_named(f, a->different_from);
        snprintf(why->message, sizeof why->message, "「%s」须由「%s」经办人以外的人员办理",
                 a->title, other ? other->title : a->different_from);
        return E_FLOW_PERSON;
    }
    if (a->outside_unit && !p->system && !outside(item, a, p)) {
        snprintf(why->message, sizeof why->message, "「%s」须由责任单位以外的人员办理", a->title);
        return E_FLOW_OUTSIDE;
    }
    return E_OK;
}

int flow_may(const flow_def *f, const flow_item *item, const principal *p, const flow_action *a)
{
    flow_refusal why;
    return guards(f, item, p, a, &why) == E_OK;
}

static err_code field_refusal(flow_refusal *why, const flow_field *fl, err_code e, const char *what)
{
    snprintf(why->field, sizeof why->field, "%s", fl->name);
    snprintf(why->message, sizeof why->message, "「%s」%s", fl->title, what);
    return e;
}

static err_code check_value(const flow_field *fl, json_t *v, flow_refusal *why)
{
    cal_day d;
    switch (fl->type) {
    case FF_TEXT:
        if (!json_is_string(v)) return field_refusal(why, fl, E_FIELD_TYPE, "应为文字");
        if (fl->required && json_string_length(v) == 0)
            return field_refusal(why, fl, E_FIELD_REQUIRED, "为必填项");
        if (strlen(json_string_value(v)) != json_string_length(v))
            return field_refusal(why, fl, E_FIELD_INVALID, "含有无效字符");
        if (text_chars(json_string_value(v)) > fl->max_chars)
            return field_refusal(why, fl, E_FIELD_TOO_LONG, "内容过长");
        return E_OK;
    case FF_DATE:
        if (!json_is_string(v) || cal_parse(json_string_value(v), &d))
            return field_refusal(why, fl, E_FIELD_INVALID, "应为日期，格式如 2024-03-05");
        return E_OK;
    case FF_INT:
        return json_is_integer(v) ? E_OK : field_refusal(why, fl, E_FIELD_TYPE, "应为整数");
    case FF_ID:
    case FF_USER:
        return json_is_integer(v) && json_integer_value(v) > 0
                   ? E_OK : field_refusal(why, fl, E_FIELD_TYPE, "应为有效的编号");
    case FF_BOOL:
        return json_is_boolean(v) ? E_OK : field_refusal(why, fl, E_FIELD_TYPE, "应为是或否");
    case FF_CHOICE:
        if (json_is_string(v))
            for (size_t i = 0; i < fl->nchoices; i++)
                if (strcmp(fl->choices[i], json_string_value(v)) == 0) return E_OK;
        return field_refusal(why, fl, E_FIELD_INVALID, "的取值不在可选范围内");
    }
    return E_FIELD_TYPE;
}

static err_code check_fields(const flow_action *a, json_t *fields, flow_refusal *why)
{
    if (fields && !json_is_object(fields)) return E_BAD_JSON;
    const char *key;
    json_t *v;
    json_object_foreach(fields, key, v)
    {
        const flow_field *fl = NULL;
        for (size_t i = 0; i < a->nfields && !fl; i++)
            if (strcmp(a->fields[i].name, key) == 0) fl = &a->fields[i];
        if (!fl) {
            snprintf(why->field, sizeof why->field, "%s", key);
            snprintf(why->message, sizeof why->message, "「%s」不接受此项", a->title);
            return E_FIELD_UNKNOWN;
        }
        if (json_is_null(v)) continue;
        err_code e = check_value(fl, v, why);
        if (e != E_OK) return e;
    }
    for (size_t i = 0; i < a->nfields; i++) {
        json_t *given = json_object_get(fields, a->fields[i].name);
        if (a->fields[i].required && (!given || json_is_null(given)))
            return field_refusal(why, &a->fields[i], E_FIELD_REQUIRED, "为必填项");
    }
    return E_OK;
}

err_code flow_check(const flow_def *f, const flow_item *item, const principal *p,
                    const char *name, json_t *fields, size_t evidence, flow_refusal *why)
{
    memset(why, 0, sizeof *why);
    const flow_action *a = flow_action_named(f, name);
    if (!a) {
        snprintf(why->message, sizeof why->message, "没有名为「%s」的操作", name);
        return E_NOT_FOUND;
    }
    err_code e = guards(f, item, p, a, why);
    if (e == E_OK) e = check_fields(a, fields, why);
    if (e == E_OK && evidence < (size_t)a->evidence) {
        snprintf(why->field, sizeof why->field, "evidence");
        snprintf(why->message, sizeof why->message, "「%s」至少需要 %d 份佐证材料", a->title,
                 a->evidence);
        e = E_FLOW_EVIDENCE;
    }
    return e;
}
