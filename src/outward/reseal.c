/*
 * reseal — the channels' sealed secrets when a county's database moves in (`duban
 * move-to-postgres`): each secret is opened with the key derived from the county's audit key
 * and sealed again with this instance's, so the moved robots and mailboxes keep sending.
 */
#include "outward/outward_int.h"

#include "base/config.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static const move_sealed_col sealed_cols[] = {
    {"notify_channel", "secret", NULL, "推送渠道密钥"},
    {NULL, NULL, NULL, NULL},
};

typedef struct {
    unsigned char from[32], to[32];
} move_keys;

static int reseal(void *ctx, const move_sealed_col *col, arena *a, const unsigned char *in,
                  size_t n, unsigned char **out, size_t *outn, const char **hash)
{
    (void)col;
    move_keys *k = ctx;
    char *plain = notify_unseal_with(k->from, in, n);
    if (!plain) return -1;
    size_t len = 0;
    unsigned char *sealed = notify_seal_with(k->to, plain, &len);
    notify_wipe_free(plain);
    *out = arena_alloc(a, len);
    memcpy(*out, sealed, len);
    *outn = len;
    free(sealed);
    *hash = NULL;
    return 0;
}

static void release(void *ctx)
{
    sodium_memzero(ctx, sizeof(move_keys));
    free(ctx);
}

int outward_move_sealer(app *ap, const char *county_key, move_sealer *out, char *err, size_t n)
{
    move_keys *k = calloc(1, sizeof *k);
    if (!k) abort();
    char *own = config_key_path(&ap->cfg);
    int rc = notify_key_derive(county_key, k->from);
    if (rc != 0) snprintf(err, n, "cannot read the county's key %s", county_key);
    else if ((rc = notify_key_derive(own, k->to)) != 0)
        snprintf(err, n, "cannot read the key %s", own);
    free(own);
    if (rc != 0) {
        release(k);
        return -1;
    }
    *out = (move_sealer){.cols = sealed_cols, .ctx = k, .reseal = reseal, .release = release};
    return 0;
}
