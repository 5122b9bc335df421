/*
 * seal — the cadre records' encryption at rest: SM4-CTR under a random 16-byte nonce, then an
 * HMAC-SM3 tag over version, nonce and ciphertext (encrypt-then-MAC). The keys are derived
 * from the key file the audit chain uses (config key_file / DUBAN_KEY_FILE, never in the
 * database): HMAC-SM3(file bytes, label) for the cipher, the tag and the ID numbers' lookup
 * hash, so the database alone reveals none of the sealed texts. After a rotation (`duban cadre
 * rekey FILE`) the keys come from a cadre key file of their own (DUBAN_CADRE_KEY_FILE).
 * Blob layout: 0x01 | nonce[16] | ciphertext[n] | tag[32].
 */
#include "cadre/cadre.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t key_lock = PTHREAD_MUTEX_INITIALIZER;
static int have_keys;
static cadre_keyset cur;

static void hmac_sm3(const unsigned char *key, size_t keylen, const void *a, size_t an,
                     const void *b, size_t bn, unsigned char out[32])
{
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SM3", 0),
                           OSSL_PARAM_construct_end()};
    size_t outl = 0;
    if (!ctx || !EVP_MAC_init(ctx, key, keylen, params)) abort();
    EVP_MAC_update(ctx, a, an);
    if (bn) EVP_MAC_update(ctx, b, bn);
    EVP_MAC_final(ctx, out, &outl, 32);
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
}

void cadre_keyset_derive(const unsigned char key[32], cadre_keyset *k)
{
    unsigned char e[32];
    hmac_sm3(key, 32, "duban cadre sm4", 15, NULL, 0, e);
    memcpy(k->enc, e, 16);
    hmac_sm3(key, 32, "duban cadre mac", 15, NULL, 0, k->mac);
    hmac_sm3(key, 32, "duban cadre idx", 15, NULL, 0, k->idx);
}

void cadre_seal_set_key(const unsigned char key[32])
{
    cadre_keyset k;
    cadre_keyset_derive(key, &k);
    pthread_mutex_lock(&key_lock);
    cur = k;
    have_keys = 1;
    pthread_mutex_unlock(&key_lock);
}

int cadre_keyset_load(const char *key_path, cadre_keyset *k, char *err, size_t errlen)
{
    FILE *f = key_path ? fopen(key_path, "rb") : NULL;
    if (!f) {
        snprintf(err, errlen, "cannot read the key file %s", key_path ? key_path : "(none)");
        return -1;
    }
    unsigned char buf[4096];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    if (n < 16) {
        snprintf(err, errlen, "the key file %s is too short", key_path);
        return -1;
    }
    unsigned char root[32];
    hmac_sm3((const unsigned char *)"duban cadre root", 16, buf, n, NULL, 0, root);
    cadre_keyset_derive(root, k);
    return 0;
}

int cadre_seal_load(const char *key_path, char *err, size_t errlen)
{
    if (have_keys) return 0;
    cadre_keyset k;
    if (cadre_keyset_load(key_path, &k, err, errlen) != 0) return -1;
    pthread_mutex_lock(&key_lock);
    cur = k;
    have_keys = 1;
    pthread_mutex_unlock(&key_lock);
    return 0;
}

const cadre_keyset *cadre_seal_current(void)
{
    return have_keys ? &cur : NULL;
}

static int ctr(const unsigned char key[16], const unsigned char nonce[16], const unsigned char *in,
               size_t n, unsigned char *out)
{
    EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, "SM4-CTR", NULL);
    EVP_CIPHER_CTX *ctx = c ? EVP_CIPHER_CTX_new() : NULL;
    int ok = ctx && EVP_EncryptInit_ex2(ctx, c, key, nonce, NULL);
    int l1 = 0, l2 = 0;
    if (ok && n) ok = EVP_EncryptUpdate(ctx, out, &l1, in, (int)n);
    if (ok) ok = EVP_EncryptFinal_ex(ctx, out + l1, &l2);
    EVP_CIPHER_CTX_free(ctx);
    EVP_CIPHER_free(c);
    return ok && (size_t)(l1 + l2) == n ? 0 : -1;
}

int cadre_seal_with(const cadre_keyset *k, const void *in, size_t n, unsigned char *out)
{
    if (!k) return -1;
    out[0] = 1;
    if (RAND_bytes(out + 1, 16) != 1) return -1;
    if (ctr(k->enc, out + 1, in, n, out + 17) != 0) return -1;
    hmac_sm3(k->mac, 32, out, 17 + n, NULL, 0, out + 17 + n);
    return 0;
}

int cadre_unseal_with(const cadre_keyset *k, const unsigned char *in, size_t n,
                      unsigned char *out, size_t *outlen)
{
    if (!k || n < CADRE_SEAL_OVERHEAD || in[0] != 1) return -1;
    size_t m = n - CADRE_SEAL_OVERHEAD;
    unsigned char tag[32];
    hmac_sm3(k->mac, 32, in, 17 + m, NULL, 0, tag);
    unsigned diff = 0;
    for (int i = 0; i < 32; i++)
        diff |= tag[i] ^ in[17 + m + i];
    if (diff) return -1;
    if (ctr(k->enc, in + 1, in + 17, m, out) != 0) return -1;
    *outlen = m;
    return 0;
}

void cadre_seal_hash_with(const cadre_keyset *k, const char *s, char out[65])
{
    unsigned char h[32];
    hmac_sm3(k->idx, 32, s, strlen(s), NULL, 0, h);
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", h[i]);
}

int cadre_reseal_with(const cadre_keyset *from, const cadre_keyset *to, const unsigned char *in,
                      size_t n, unsigned char *out, char hash[65])
{
    if (n < CADRE_SEAL_OVERHEAD) return -1;
    size_t cap = n - CADRE_SEAL_OVERHEAD + 1, m = 0;
    unsigned char *plain = malloc(cap);
    if (!plain) abort();
    int rc = cadre_unseal_with(from, in, n, plain, &m);
    if (rc == 0) {
        plain[m] = 0;
        rc = cadre_seal_with(to, plain, m, out);
        if (rc == 0 && hash) cadre_seal_hash_with(to, (const char *)plain, hash);
    }
    OPENSSL_cleanse(plain, cap);
    free(plain);
    return rc;
}

int cadre_seal(const void *in, size_t n, unsigned char *out)
{
    return cadre_seal_with(cadre_seal_current(), in, n, out);
}

int cadre_unseal(const unsigned char *in, size_t n, unsigned char *out, size_t *outlen)
{
    return cadre_unseal_with(cadre_seal_current(), in, n, out, outlen);
}

void cadre_seal_hash(const char *s, char out[65])
{
    const cadre_keyset *k = cadre_seal_current();
    if (k) cadre_seal_hash_with(k, s, out);
    else out[0] = 0;
}
