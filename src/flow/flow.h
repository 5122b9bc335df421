/*
 * flow — work items moving through states, with the rules as data.
 *
 * A flow definition (flows/NAME.json) declares states (with titles and which are terminal),
 * the initial state, and actions: from which states to which, the permission it needs over
 * the item's unit, the fields it requires, how many evidence files, whether the actor must be
 * outside the handling unit, whether the actor must be a different person from whoever took
 * an earlier action, and its effects on deadlines. flow_parse checks a definition and names
 * the file and the fault (unknown or unreachable state, action without permission, duplicate
 * action, bad field). flow_check decides whether a principal may take an action on an item
 * now, and says why not; flow_available lists the actions a principal may take now.
 */
#ifndef DUBAN_FLOW_H
#define DUBAN_FLOW_H

#include "auth/authz.h"
#include "base/err.h"

#include <jansson.h>
#include <stddef.h>

/* FF_USER: a user's id; the mechanism checks the user exists and holds `holding` (if given). */
typedef enum { FF_TEXT, FF_DATE, FF_INT, FF_BOOL, FF_CHOICE, FF_ID, FF_USER } flow_field_type;

typedef struct {
    char *name, *title;
    flow_field_type type;
    int required;
    size_t max_chars;   /* FF_TEXT; default 2000 */
    char **choices;     /* FF_CHOICE */
    size_t nchoices;
    char *holding;      /* FF_USER: the permission the chosen user must hold over the item */
} flow_field;

typedef enum {
    FD_WORKDAYS, /* deadline = today + amount working days */
    FD_DAYS,     /* deadline = today + amount calendar days */
    FD_FIELD,    /* deadline = the date in the action's field `field` */
    FD_CLEAR,    /* the deadline no longer applies */
} flow_deadline_kind;

typedef struct {
    char *name; /* which deadline of the item: "deadline", "sign_by", … */
    flow_deadline_kind kind;
    int amount;
    char *field;
} flow_deadline;

typedef struct {
    char *name, *title;
    int *from; /* state indexes */
    size_t nfrom;
    int to;               /* state index; -1: the item keeps its state */
    char *permission;
    flow_field *fields;
    size_t nfields;
    int evidence;         /* at least this many evidence files */
    int outside_unit;     /* the actor's unit must lie outside the handling unit's subtree */
    char *different_from; /* the actor must not be who last took this action */
    char *answers;        /* only while this request action is pending: taken since it was last
                             answered by any action that answers it */
    flow_deadline *deadlines;
    size_t ndeadlines;
    int once;             /* may be taken only once on an item (挂牌督办) */
} flow_action;

typedef struct {
    char *name, *title;
    int terminal;
} flow_state;

typedef struct flow_def {
    char *name, *title, *source;
    flow_state *states;
    size_t nstates;
    int initial;
    flow_action *actions;
    size_t nactions;
} flow_def;

/* Parses and checks a definition; NULL with "source: fault" in err. */
flow_def *flow_parse(const char *json_text, const char *source, char *err, size_t errlen);
/* Reads and parses a file. */
flow_def *flow_load(const char *path, char *err, size_t errlen);
void flow_free(flow_def *f);

const flow_state *flow_state_named(const flow_def *f, const char *name);
const flow_action *flow_action_named(const flow_def *f, const char *name);

/* The state an item in `current` is in after action a. */
const char *flow_next_state(const flow_def *f, const flow_action *a, const char *current);

/* The item an action is taken on, as the engine needs to see it. */
typedef struct {
    const char *state;     /* current state name */
    const char *unit_path; /* the handling unit's path in the org tree */
    /* The user id who last took `action` on this item (0: nobody). */
    int64_t (*last_actor)(void *ctx, const char *action);
    /* The id of the last event of `action` on this item (0: never); ids grow with time. */
    int64_t (*last_event)(void *ctx, const char *action);
    void *ctx;
    /* Further units that share the item (co-units): an outside_unit actor is outside these too. */
    const char *const *other_paths;
    size_t nother;
    /* The unit path of the user who last took `action` (NULL: nobody, or not known). An
     * outside_unit action with different_from also refuses an actor inside that unit. */
    const char *(*last_actor_unit)(void *ctx, const char *action);
} flow_item;

/* Why an action was refused: the field concerned ("" for none) and a Chinese message. */
typedef struct {
    char field[64];
    char message[256];
} flow_refusal;

/*
 * Decides whether p may take action `name` on item with these fields (a JSON object, may be
 * NULL) and evidence count. E_OK, or the error with *why filled:
 *   E_NOT_FOUND      no such action in this flow
 *   E_FLOW_STATE     not allowed from the item's current state, nothing pending to answer, or
 *                    a `once` action already taken
 *   E_FORBIDDEN      no permission over the item's unit
 *   E_FLOW_OUTSIDE   the actor belongs to the handling unit
 *   E_FLOW_PERSON    the actor took the action that must be someone else's
 *   E_FIELD_*        a field is missing, unknown, of the wrong type or invalid
 *   E_FLOW_EVIDENCE  too few evidence files
 */
err_code flow_check(const flow_def *f, const flow_item *item, const principal *p,
                    const char *name, json_t *fields, size_t evidence, flow_refusal *why);
/*
 * Whether the actor-related guards (state, permission, outside, different person) let p take
 * a now; fields and evidence are the form's business, so they are not checked here.
 */
int flow_may(const flow_def *f, const flow_item *item, const principal *p, const flow_action *a);

#endif
