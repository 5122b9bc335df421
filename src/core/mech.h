/*
 * mech — the descriptor of a mechanism, and the one registration table (src/mechs.c).
 *
 * A mechanism (the problem list, the study registry, the foundation's org tree …) is a folder
 * under src/ that owns its rules, SQL, routes, CLI commands, flows, scheduler part and demo.
 * It exports one `const mech` naming all of them; src/mechs.c lists every mechanism in
 * `duban_mechs`. The HTTP server, the CLI, the scheduler, the permission catalogue, the flow
 * loader and the attachment download walk that table: none of them names a mechanism.
 *
 * Order matters where a mechanism builds on another: the foundation first, then the problem
 * list, then the rest (the demo runs the parts in this order; routes are matched in it).
 */
#ifndef DUBAN_MECH_H
#define DUBAN_MECH_H

#include "auth/authz.h"
#include "base/err.h"
#include "base/mem.h"
#include "store/store.h"

#include <stdint.h>
#include <stdio.h>

typedef struct app app;
typedef struct http_route http_route; /* http/http.h */
typedef struct move_sealer move_sealer; /* io/county_move.h */

/* A subcommand of the CLI: `duban NAME …` runs fn with the words after NAME. */
typedef struct {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} mech_cmd;

/* A flow definition the mechanism runs on: flows/<file>, compiled in, replaceable per county. */
typedef struct {
    const char *name;    /* what app_flow() looks it up by: "problem" */
    const char *file;    /* "problem.json": its name in flows_dir */
    const char *builtin; /* the compiled-in definition */
    int required;        /* 1: a flows_dir must hold this file (else the built-in is used) */
} mech_flow;

/*
 * The scheduler's part of a mechanism: does what is due at `now`, writes what it did as one
 * phrase into summary ("3 newly overdue, …") and sets *acted when it did anything.
 */
typedef err_code (*mech_tick_fn)(app *ap, arena *a, int64_t now, char *summary, size_t n,
                                 int *acted);

/*
 * Who may read or add an attachment of this mechanism's items (attachment rows name their
 * flow): E_OK, E_FORBIDDEN or E_NOT_FOUND. Also gives the audit object, e.g. "problem:12".
 */
typedef err_code (*mech_attach_fn)(app *ap, arena *a, const principal *p, const char *flow,
                                   int64_t item_id, const char **object);

/* The county the foundation's demo made, for the mechanisms' demo parts to fill. */
typedef struct mech_demo_county mech_demo_county;
typedef err_code (*mech_demo_fn)(app *ap, mech_demo_county *county, FILE *out);

/*
 * For a mechanism that keeps columns sealed under keys derived from the instance's key file:
 * fills out with its sealed columns and the keys to re-seal them from the county whose key
 * file is county_key (a county moved in, io/county_move.h) to this instance's keys. 0, or -1
 * with err when a key cannot be read.
 */
typedef int (*mech_sealer_fn)(app *ap, const char *county_key, move_sealer *out, char *err,
                              size_t n);

typedef struct mech {
    const char *name;         /* "problem" */
    const char *title;        /* "问题清单" */
    const perm_info *perms;   /* its permissions, ending with a NULL name; or NULL */
    const mech_flow *flows;   /* ending with a NULL name; or NULL */
    const http_route *routes; /* ending with a NULL method; or NULL */
    const mech_cmd *commands; /* ending with a NULL name; or NULL */
    mech_tick_fn tick;        /* or NULL */
    const char *attach_flow;  /* the flow name its attachments carry, or NULL */
    mech_attach_fn attach;    /* decides access to those attachments */
    mech_demo_fn demo;        /* its part of `duban demo`, or NULL */
    mech_sealer_fn sealer;    /* how a moved county's sealed columns are re-sealed, or NULL */
} mech;

/*
 * Reads a mechanism's records for p under perm: runs fn(ctx) in one read transaction and, when
 * the permission is marked `audit_reads` (sensitive records, e.g. cadre supervision), appends
 * an audit record "read" of object by p after a successful read — the one place where reads
 * are audited. The caller has checked the scope (authz_can / authz_scope) as for any read.
 */
err_code mech_read(app *ap, const principal *p, const char *perm, const char *object, store_fn fn,
                   void *ctx);

/* Every mechanism, in order, ending with NULL (defined in src/mechs.c). */
extern const mech *const duban_mechs[];

/* The permission named name in any mechanism's catalogue, or NULL. */
const perm_info *mech_perm(const char *name);
/* The mechanism whose attachments carry flow, or NULL. */
const mech *mech_for_attachments(const char *flow);
/* The CLI command named name in any mechanism, or NULL. */
const mech_cmd *mech_command(const char *name);
/*
 * Runs every mechanism's tick in order (all of them, even after one failed) and joins their
 * summaries with "; " into line; *acted is set when any did something. The first error.
 */
err_code mech_tick_all(app *ap, int64_t now, char *line, size_t n, int *acted);

#endif
