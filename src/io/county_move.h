/*
 * county_move — copies a county's SQLite database, all of it, into another duban database
 * (the province's PostgreSQL) under a given unit: `duban move-to-postgres`.
 *
 * The copy is driven by the schema, not by a list of tables: every table of the county is
 * read, in an order where a row's references come first, and written with fresh ids, each
 * reference rewritten through the map of the table it names (its FOREIGN KEY), the (flow,
 * item_id) pairs through the table of their flow, "user:N" actors and *_id keys of JSON
 * details alike. A reference the move has no rule for stops it before anything is written,
 * naming the table and column, so a mechanism added later cannot be moved half. The county's
 * audit chain is verified with its own key and archived unchanged; the move's record in the
 * target chain holds the archive's digest (audit.h). Columns a mechanism keeps sealed under
 * keys derived from the instance's key file (cadre records, channel secrets) are opened with
 * the county's keys and sealed again with the target's, by the re-sealers the caller collects
 * from the mechanisms; a binary column no re-sealer declares stops the move. Everything runs
 * in one write transaction of the target: the move lands whole or not at all.
 */
#ifndef DUBAN_COUNTY_MOVE_H
#define DUBAN_COUNTY_MOVE_H

#include "audit/audit.h"
#include "base/err.h"
#include "base/mem.h"
#include "store/store.h"

#include <stdio.h>

/* A column sealed at rest, and a keyed hash of its plaintext kept beside it (or NULL). */
typedef struct {
    const char *table, *column, *hash_column;
    const char *what; /* what it holds, in Chinese, for refusals: "干部监督线索" */
} move_sealed_col;

/*
 * A mechanism's re-sealer: its sealed columns (ending with a NULL table) and the keys of both
 * sides in ctx. reseal opens in[0..n) with the county's keys and seals the plaintext with the
 * target's into *out (allocated in a), and for a column with a hash sets *hash (in a); 0, or
 * -1 when the value does not open (the county's key is not the one it was sealed under).
 */
typedef struct move_sealer {
    const move_sealed_col *cols;
    void *ctx;
    int (*reseal)(void *ctx, const move_sealed_col *col, arena *a, const unsigned char *in,
                  size_t n, unsigned char **out, size_t *outn, const char **hash);
    void (*release)(void *ctx); /* wipes and frees ctx */
} move_sealer;

typedef struct {
    store *src;             /* the county's database (SQLite), at the current schema */
    audit *src_audit;       /* its audit key: the chain must verify before anything moves */
    const char *src_label;  /* how the source is named in the record and the report */
    const char *src_files;  /* its evidence directory; NULL: files kept in the database */
    store *dst;             /* the target, at the same schema */
    audit *dst_audit;
    const char *dst_files;  /* NULL: the target keeps files in the database */
    const char *under;      /* code of the target unit the county's root goes under */
    const char *code_prefix;  /* put before every unit code of the county (NULL: none) */
    const char *login_prefix; /* put before every login of the county (NULL: none) */
    const char *actor;      /* who runs the move, for the audit record ("cli:root") */
    const move_sealer *sealers; /* every mechanism's, nsealers of them */
    size_t nsealers;
    int check;              /* do everything, report, then roll back */
    FILE *report;           /* the counts, table by table */
} move_opts;

/*
 * Runs the move. E_OK when it landed (or, with check, would land); otherwise nothing was
 * written and why names the reason in Chinese (collisions listed, the table and column of a
 * missing rule, the county already moved in …).
 */
err_code county_move(const move_opts *o, char *why, size_t whylen);

#endif
