/* attach — content sniffing, name checks and content-addressed files (see attach.h). */
#include "attach/attach.h"

#include "base/mem.h"
#include "base/text.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

const char *attach_sniff(const unsigned char *d, size_t n)
{
    if (n >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF) return "image/jpeg";
    if (n >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0) return "image/png";
    if (n >= 6 && (memcmp(d, "GIF87a", 6) == 0 || memcmp(d, "GIF89a", 6) == 0)) return "image/gif";
    if (n >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0) return "image/webp";
    if (n >= 5 && memcmp(d, "%PDF-", 5) == 0) return "application/pdf";
    return NULL;
}

/* The extensions a sniffed type goes by; the first is the one given to a name without any. */
static const struct {
    const char *mime, *exts[3];
} EXTENSIONS[] = {
    {"image/jpeg", {".jpg", ".jpeg", NULL}}, {"image/png", {".png", NULL}},
    {"image/gif", {".gif", NULL}},           {"image/webp", {".webp", NULL}},
    {"application/pdf", {".pdf", NULL}},
};

const char *attach_name_for_type(arena *a, const char *name, const char *mime)
{
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; i < sizeof EXTENSIONS / sizeof *EXTENSIONS; i++) {
        if (strcmp(EXTENSIONS[i].mime, mime) != 0) continue;
        for (int k = 0; dot && EXTENSIONS[i].exts[k]; k++)
            if (strcasecmp(dot, EXTENSIONS[i].exts[k]) == 0) return name;
        return arena_sprintf(a, "%s%s", name, EXTENSIONS[i].exts[0]);
    }
    return name;
}

int attach_name_ok(const char *name)
{
    if (!name || !*name || !text_valid_utf8(name) || text_has_control(name)) return 0;
    if (text_chars(name) > 200) return 0;
    if (strchr(name, '/') || strchr(name, '\\') || strstr(name, "..")) return 0;
    return 1;
}

static int is_hex64(const char *s)
{
    if (strlen(s) != 64) return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return 0;
    return 1;
}

char *attach_path(const char *dir, const char *sha)
{
    return is_hex64(sha) ? xasprintf("%s/%.2s/%s", dir, sha, sha) : NULL;
}

static int mkdir_p(const char *dir)
{
    char *d = xstrdup(dir);
    int rc = 0;
    for (char *p = d + 1;; p++) {
        if (*p != '/' && *p != 0) continue;
        char c = *p;
        *p = 0;
        if (mkdir(d, 0700) && errno != EEXIST) rc = -1; /* evidence: the owner's only */
        *p = c;
        if (!c) break;
    }
    free(d);
    return rc;
}

/* Writes all bytes to path via a temporary file, synced, then renamed into place. */
static int write_atomic(const char *path, const unsigned char *data, size_t n)
{
    /* A unique temporary name: two requests storing the same bytes must not share it. */
    char *tmp = xasprintf("%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd >= 0) fchmod(fd, 0640);
    int ok = fd >= 0;
    for (size_t done = 0; ok && done < n;) {
        ssize_t w = write(fd, data + done, n - done);
        if (w < 0 && errno == EINTR) continue;
        ok = w > 0;
        if (ok) done += (size_t)w;
    }
    if (fd >= 0) {
        ok = ok && fsync(fd) == 0;
        ok = close(fd) == 0 && ok;
    }
    ok = ok && rename(tmp, path) == 0;
    if (!ok) unlink(tmp);
    free(tmp);
    return ok ? 0 : -1;
}

err_code attach_store(const char *dir, const unsigned char *data, size_t n, char sha[65], char *err,
                      size_t errlen)
{
    unsigned char md[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(md, data, n);
    sodium_bin2hex(sha, 65, md, sizeof md);
    if (!dir) return E_OK; /* kept in the database: attach_store_in_db, in the transaction */
    char *sub = xasprintf("%s/%.2s", dir, sha);
    char *path = attach_path(dir, sha);
    err_code e = E_OK;
    struct stat sb;
    if (stat(path, &sb) == 0 && (size_t)sb.st_size == n) goto out; /* stored already */
    if (mkdir_p(sub) || write_atomic(path, data, n)) {
        snprintf(err, errlen, "cannot store %s: %s", path, strerror(errno));
        e = E_INTERNAL;
    }
out:
    free(sub);
    free(path);
    return e;
}

err_code attach_store_in_db(store_tx *tx, const char *dir, const char *sha,
                            const unsigned char *data, size_t n)
{
    return dir ? E_OK : store_file_put(tx, sha, data, n);
}

err_code attach_read_from_db(store_tx *tx, const char *sha, unsigned char **data, size_t *n)
{
    return store_file_get(tx, sha, data, n);
}
