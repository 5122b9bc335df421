/*
 * cli — the cadre mechanism's commands: `duban cadre rekey NEW_KEY_FILE` rotates the key the
 * sealed texts are encrypted under. It makes NEW_KEY_FILE (32 random bytes, mode 0600) unless
 * it exists, opens every sealed value (clue descriptions, decisions' reasons, response
 * contents, ID numbers and their lookup hashes) with the current keys and seals it again with
 * the new ones, all in one write transaction with its audit record; afterwards every process
 * must run with DUBAN_CADRE_KEY_FILE=NEW_KEY_FILE. A value that does not open refuses the whole
 * rotation (nothing is written).
 */
#include "cadre/cadre_int.h"

#include "cli/cli.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    app *ap;
    arena *a;
    const cadre_keyset *old, *neu;
    int64_t values;
    const char *path;
} rekey_ctx;

typedef struct {
    int64_t id;
    unsigned char *blob;
    size_t n;
} sealed_row;

/* Re-seals one column of one table; for the ID numbers also their lookup hash. */
static err_code reseal(rekey_ctx *c, store_tx *tx, const char *select, const char *update,
                       int with_hash)
{
    sq_stmt *st = sq_prep_once(tx, select);
    sealed_row *rows = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW) {
        size_t len = 0;
        const void *b = sq_blob(st, 1, &len);
        if (!b) continue;
        sealed_row *r = sq_push(c->a, (void **)&rows, &n, &cap, sizeof *r);
        r->id = sq_int(st, 0);
        r->blob = arena_alloc(c->a, len + 1);
        memcpy(r->blob, b, len);
        r->n = len;
    }
    sq_finalize(st);
    if (rc != SQ_DONE) return (err_code)rc;
    st = sq_prep_once(tx, update);
    err_code e = E_OK;
    for (size_t i = 0; i < n && e == E_OK; i++) {
        unsigned char *out = arena_alloc(c->a, rows[i].n);
        char hash[65];
        if (cadre_reseal_with(c->old, c->neu, rows[i].blob, rows[i].n, out,
                              with_hash ? hash : NULL) != 0) {
            fprintf(stderr, "duban cadre rekey: a value does not open with the current key (%s)\n",
                    select);
            e = E_INTERNAL;
            break;
        }
        sq_reset(st);
        sq_bind_blob(st, 1, out, rows[i].n);
        if (with_hash) sq_bind_text(st, 3, hash);
        sq_bind_int(st, 2, rows[i].id);
        rc = sq_step(st);
        e = rc == SQ_DONE ? E_OK : (err_code)rc;
        c->values++;
    }
    sq_finalize(st);
    return e;
}

static err_code rekey_fn(store_tx *tx, void *ctx)
{
    rekey_ctx *c = ctx;
    c->values = 0;
    for (const move_sealed_col *d = cadre_sealed_cols; d->table; d++) {
        const char *select = arena_sprintf(c->a, "SELECT id, %s FROM %s WHERE %s IS NOT NULL"
                                           " ORDER BY id", d->column, d->table, d->column);
        const char *update = arena_sprintf(c->a, "UPDATE %s SET %s = ?1%s%s%s WHERE id = ?2",
                                           d->table, d->column, d->hash_column ? ", " : "",
                                           d->hash_column ? d->hash_column : "",
                                           d->hash_column ? " = ?3" : "");
        err_code e = reseal(c, tx, select, update, d->hash_column != NULL);
        if (e != E_OK) return e;
    }
    principal sys = authz_system(c->a);
    return app_audit(c->ap, tx, c->a, &sys, "cadre.rekey", "cadre_config:1",
                     json_pack("{sI ss}", "values", (json_int_t)c->values, "key_file", c->path));
}

/* Makes a new key file of 32 random bytes (0600), unless one is there already. */
static int new_key_file(const char *path)
{
    if (access(path, F_OK) == 0) return 0;
    unsigned char key[32];
    if (RAND_bytes(key, sizeof key) != 1) return -1;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) return -1;
    int ok = write(fd, key, sizeof key) == (ssize_t)sizeof key;
    ok = close(fd) == 0 && ok;
    return ok ? 0 : -1;
}

static const cli_spec rekey_spec = {
    "cadre rekey", "NEW_KEY_FILE",
    "Re-encrypts the cadre records' sealed texts under a new key file (made when absent); then "
    "run every process with DUBAN_CADRE_KEY_FILE=NEW_KEY_FILE.",
    NULL, 1, 1};

static int cadre_rekey(int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(&rekey_spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    app ap;
    rc = 1;
    if (!cli_open(&c, &ap)) {
        char err[256] = "";
        char *old_path = cadre_key_path(&ap);
        cadre_keyset old, neu;
        rekey_ctx x = {.ap = &ap, .a = arena_new(), .old = &old, .neu = &neu, .path = c.args[0]};
        if (strcmp(old_path, c.args[0]) == 0) {
            fprintf(stderr, "duban cadre rekey: %s is the current key file\n", c.args[0]);
            rc = 2;
        } else if (cadre_keyset_load(old_path, &old, err, sizeof err) != 0 ||
                   new_key_file(c.args[0]) != 0 ||
                   cadre_keyset_load(c.args[0], &neu, err, sizeof err) != 0) {
            fprintf(stderr, "duban cadre rekey: %s\n", *err ? err : "cannot make the key file");
        } else {
            err_code e = store_write(ap.st, rekey_fn, &x);
            if (e == E_OK) {
                printf("re-encrypted %lld values; run every duban process with "
                       "DUBAN_CADRE_KEY_FILE=%s from now on\n",
                       (long long)x.values, c.args[0]);
                rc = 0;
            } else {
                rc = cli_fail("cadre rekey", e, NULL);
            }
        }
        arena_free(x.a);
        free(old_path);
        app_close(&ap);
    }
    cli_free(&c);
    return rc;
}

int cmd_cadre(int argc, char **argv)
{
    static const cli_sub subs[] = {
        {"rekey", cadre_rekey, "re-encrypt the sealed cadre records under a new key file"},
        {NULL, NULL, NULL},
    };
    return cli_dispatch("cadre", subs, argc, argv);
}
