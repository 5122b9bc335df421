/* password — policy, hashing and generation (see password.h). */
#include "auth/password.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <strings.h>

/* Case-insensitive substring search over ASCII (logins are ASCII identifiers). */
static int contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (n == 0) return 0;
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0) return 1;
    return 0;
}

err_code password_check_policy(const char *login, const char *pw)
{
    size_t chars = 0;
    int upper = 0, lower = 0, digit = 0, other = 0;
    for (const unsigned char *p = (const unsigned char *)pw; *p; p++) {
        if ((*p & 0xC0) != 0x80) chars++;
        if (isupper(*p)) upper = 1;
        else if (islower(*p)) lower = 1;
        else if (isdigit(*p)) digit = 1;
        else if ((*p & 0xC0) != 0x80) other = 1;
    }
    if (chars < 8 || upper + lower + digit + other < 3) return E_PASSWORD_WEAK;
    if (login && contains_ci(pw, login)) return E_PASSWORD_WEAK;
    return E_OK;
}

int password_hash(const char *pw, char out[PASSWORD_HASH_MAX])
{
    _Static_assert(PASSWORD_HASH_MAX >= crypto_pwhash_STRBYTES, "hash buffer too small");
    return crypto_pwhash_str_alg(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                 crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13);
}

int password_verify(const char *hash, const char *pw)
{
    return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

static char dummy_hash[PASSWORD_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
    password_hash("dummy-Password-1", dummy_hash);
}

void password_verify_dummy(const char *pw)
{
    pthread_once(&dummy_once, make_dummy);
    password_verify(dummy_hash, pw);
}

void password_generate(char out[16])
{
    /* No look-alikes (0/O, 1/l/I) so it can be read out over the phone. */
    static const char *classes[] = {"ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz",
                                    "23456789", "#%+-=@"};
    for (int i = 0; i < 14; i++) {
        const char *set = classes[i < 4 ? i : (int)randombytes_uniform(3)];
        out[i] = set[randombytes_uniform((uint32_t)strlen(set))];
    }
    /* Shuffle so the guaranteed classes are not always first. */
    for (int i = 13; i > 0; i--) {
        int j = (int)randombytes_uniform((uint32_t)i + 1);
        char t = out[i];
        out[i] = out[j];
        out[j] = t;
    }
    out[14] = 0;
}
