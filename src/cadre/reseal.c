/*
 * reseal — which cadre columns are sealed, and the re-sealer `duban move-to-postgres` uses when
 * a county's database moves in: every sealed value is opened with the keys derived from the
 * county's key file and sealed again with this instance's (cadre_key_path: the rotated cadre
 * key file, else the audit key), the ID numbers' lookup hash recomputed under the new keys so
 * a moved person is still found by ID number. `duban cadre rekey` walks the same list.
 */
#include "cadre/cadre_int.h"

#include <openssl/crypto.h>
#include <stdlib.h>

const move_sealed_col cadre_sealed_cols[] = {
    {"cadre", "id_sealed", "id_hash", "干部身份证号"},
    {"cadre_clue", "description", NULL, "干部监督线索"},
    {"cadre_decision", "reason", NULL, "干部监督研判"},
    {"cadre_response", "content", NULL, "干部监督处置"},
    {NULL, NULL, NULL, NULL},
};

typedef struct {
    cadre_keyset from, to;
} move_keys;

static int reseal(void *ctx, const move_sealed_col *col, arena *a, const unsigned char *in,
                  size_t n, unsigned char **out, size_t *outn, const char **hash)
{
    move_keys *k = ctx;
    char h[65];
    *out = arena_alloc(a, n ? n : 1);
    *outn = n;
    if (cadre_reseal_with(&k->from, &k->to, in, n, *out, col->hash_column ? h : NULL) != 0)
        return -1;
    *hash = col->hash_column ? arena_strdup(a, h) : NULL;
    return 0;
}

static void release(void *ctx)
{
    OPENSSL_cleanse(ctx, sizeof(move_keys));
    free(ctx);
}

int cadre_move_sealer(app *ap, const char *county_key, move_sealer *out, char *err, size_t n)
{
    move_keys *k = calloc(1, sizeof *k);
    if (!k) abort();
    char *own = cadre_key_path(ap);
    int rc = cadre_keyset_load(county_key, &k->from, err, n);
    if (rc == 0) rc = cadre_keyset_load(own, &k->to, err, n);
    free(own);
    if (rc != 0) {
        release(k);
        return -1;
    }
    *out = (move_sealer){.cols = cadre_sealed_cols, .ctx = k, .reseal = reseal,
                         .release = release};
    return 0;
}
