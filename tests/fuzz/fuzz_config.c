/*
 * fuzz_config — config_load_file on arbitrary file contents. The input is written to an
 * in-memory file (memfd) and read through its /proc path, so config.c is fuzzed as is. Checks:
 * a success leaves every setting valid (integers in their ranges, booleans 0/1, the listen
 * address well-formed, strings present); a refusal says where (the file name and a line).
 */
#include "base/config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) abort();                                                                      \
    } while (0)

static int fd = -1;
static char path[64];

/* The setting's current value must be accepted again by config_set (it is valid). */
static void still_valid(config *c, const char *name, const char *value)
{
    char err[512];
    CHECK(value != NULL);
    config probe;
    config_defaults(&probe);
    CHECK(config_set(&probe, name, value, "check", err, sizeof err) == 0);
    config_free(&probe);
    (void)c;
}

static void still_valid_int(config *c, const char *name, int64_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    still_valid(c, name, buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (fd < 0) {
        fd = memfd_create("duban-fuzz-config", 0);
        CHECK(fd >= 0);
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    CHECK(ftruncate(fd, 0) == 0);
    if (size) CHECK(pwrite(fd, data, size, 0) == (ssize_t)size);

    config c;
    config_defaults(&c);
    char err[1024] = "";
    int rc = config_load_file(&c, path, err, sizeof err);
    if (rc == 0) {
        CHECK(c.db && c.listen && c.county && c.key_file && c.flows_dir && c.config);
        still_valid(&c, "listen", c.listen);
        still_valid_int(&c, "threads", c.threads);
        still_valid_int(&c, "readers", c.readers);
        still_valid_int(&c, "body_limit", c.body_limit);
        still_valid_int(&c, "session_idle", c.session_idle);
        still_valid_int(&c, "session_max", c.session_max);
        still_valid_int(&c, "lockout_threshold", c.lockout_threshold);
        still_valid_int(&c, "lockout_seconds", c.lockout_seconds);
        still_valid_int(&c, "tick_interval", c.tick_interval);
        CHECK(c.cookie_secure == 0 || c.cookie_secure == 1);
        CHECK(c.trust_proxy == 0 || c.trust_proxy == 1);
        CHECK(c.access_log == 0 || c.access_log == 1);
        CHECK(strcmp(c.config, "") == 0); /* never set from inside a file */
        char *key = config_key_path(&c);
        CHECK(key && *key);
        free(key);
    } else {
        CHECK(rc == -1);
        /* "<path>:<line>: ..." */
        size_t n = strlen(path);
        CHECK(strncmp(err, path, n) == 0 && err[n] == ':' && err[n + 1] >= '1' &&
              err[n + 1] <= '9');
    }
    config_free(&c);
    return 0;
}
