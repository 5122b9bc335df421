/* password — policy, hashing and generation (see password.h). */
#include "auth/password.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

extern const char password_common_list[]; /* data/passwords/common.txt, compiled in */

/* Case-insensitive substring search over ASCII (logins are ASCII identifiers). */
static int contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (n == 0) return 0;
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0) return 1;
    return 0;
}

/* ---- the list of common passwords ---- */

enum { COMMON_MAX = 1024, FORM_MAX = 256 };
static const char *common[COMMON_MAX];
static size_t ncommon;
static char *common_text;
static pthread_once_t common_once = PTHREAD_ONCE_INIT;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Splits the compiled-in list into a sorted array (comment and blank lines skipped). */
static void load_common(void)
{
    common_text = strdup(password_common_list);
    if (!common_text) abort();
    for (char *line = strtok(common_text, "\n"); line && ncommon < COMMON_MAX;
         line = strtok(NULL, "\n"))
        if (*line && *line != '#') common[ncommon++] = line;
    qsort(common, ncommon, sizeof *common, cmp_str);
}

static int is_common(const char *form)
{
    return *form && bsearch(&form, common, ncommon, sizeof *common, cmp_str) != NULL;
}

/* The letter a digit or symbol commonly stands for (p@ssw0rd), or the character itself. */
static char undo_swap(char c)
{
    static const char from[] = "013457@$!", to[] = "oieastasi";
    const char *at = strchr(from, c);
    return c && at ? to[at - from] : c;
}

/*
 * The forms a password is looked up in the list by, lower-cased: whole, and without the
 * symbols around it; its core (leading and
 * trailing digits and symbols cut, then swaps undone: "Passw0rd!" → "password"); and its
 * letters alone ("1qaz@WSX" → "qazwsx", keyboard walks with the shift key).
 */
static int listed_common(const char *pw)
{
    pthread_once(&common_once, load_common);
    char whole[FORM_MAX], core[FORM_MAX], letters[FORM_MAX];
    size_t n = strlen(pw), w = 0, l = 0;
    if (n >= FORM_MAX) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = (char)tolower((unsigned char)pw[i]);
        whole[w++] = c;
        if (isalpha((unsigned char)c)) letters[l++] = c;
    }
    whole[w] = letters[l] = 0;
    size_t b = 0, e = w;
    while (b < e && !isalpha((unsigned char)whole[b])) b++;
    while (e > b && !isalpha((unsigned char)whole[e - 1])) e--;
    size_t c = 0;
    for (size_t i = b; i < e; i++) core[c++] = undo_swap(whole[i]);
    core[c] = 0;
    /* and whole with the symbols around it cut ("A123456!" → "a123456") */
    char trimmed[FORM_MAX];
    size_t tb = 0, te = w;
    while (tb < te && !isalnum((unsigned char)whole[tb])) tb++;
    while (te > tb && !isalnum((unsigned char)whole[te - 1])) te--;
    memcpy(trimmed, whole + tb, te - tb);
    trimmed[te - tb] = 0;
    return is_common(whole) || is_common(trimmed) || is_common(core) ||
           (l >= 4 && is_common(letters));
}

/* Distinct characters of pw, case folded (bytes of one UTF-8 character count once each). */
static int distinct_chars(const char *pw)
{
    unsigned char seen[256] = {0};
    int n = 0;
    for (const unsigned char *p = (const unsigned char *)pw; *p; p++) {
        unsigned char c = (unsigned char)tolower(*p);
        if (!seen[c]++) n++;
    }
    return n;
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
    if (distinct_chars(pw) < 5 || listed_common(pw)) return E_PASSWORD_WEAK;
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
