/* Tests of the settings: defaults, validation naming the setting, the file and the environment. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "base/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_defaults(void **state)
{
    (void)state;
    config c;
    config_defaults(&c);
    assert_string_equal(c.db, "data/duban.db");
    assert_string_equal(c.listen, "127.0.0.1:8080");
    assert_string_equal(c.config, "");
    assert_string_equal(c.key_file, "");
    assert_string_equal(c.county, "示范县");
    assert_string_equal(c.flows_dir, "");
    assert_int_equal(c.threads, 4);
    assert_int_equal(c.readers, 4);
    assert_int_equal(c.body_limit, 1048576);
    assert_int_equal(c.session_idle, 1800);
    assert_int_equal(c.session_max, 43200);
    assert_int_equal(c.lockout_threshold, 5);
    assert_int_equal(c.lockout_seconds, 900);
    assert_int_equal(c.cookie_secure, 0);
    assert_int_equal(c.trust_proxy, 0);
    assert_int_equal(c.access_log, 1);
    assert_int_equal(c.tick_interval, 300);
    char *key = config_key_path(&c);
    assert_string_equal(key, "data/duban.db.key");
    free(key);
    config_free(&c);
    assert_null(c.db);
}

static void test_key_path(void **state)
{
    (void)state;
    config c;
    config_defaults(&c);
    char err[256];
    assert_int_equal(config_set(&c, "db", "/srv/x.db", "test", err, sizeof err), 0);
    char *key = config_key_path(&c);
    assert_string_equal(key, "/srv/x.db.key");
    free(key);
    assert_int_equal(config_set(&c, "key_file", "/etc/duban/audit.key", "test", err, sizeof err),
                     0);
    key = config_key_path(&c);
    assert_string_equal(key, "/etc/duban/audit.key");
    free(key);
    config_free(&c);
}

static void good(config *c, const char *name, const char *value)
{
    char err[256] = "";
    if (config_set(c, name, value, "test", err, sizeof err))
        fail_msg("%s = %s refused: %s", name, value, err);
}

/* A refusal whose message names the setting, the value and the source. */
static void bad(config *c, const char *name, const char *value)
{
    char err[256] = "";
    assert_int_equal(config_set(c, name, value, "SRC", err, sizeof err), -1);
    if (!strstr(err, name) || !strstr(err, "SRC") || (*value && !strstr(err, value)))
        fail_msg("message for %s = '%s' does not name it: %s", name, value, err);
}

static void test_set_values(void **state)
{
    (void)state;
    config c;
    config_defaults(&c);
    good(&c, "threads", "16");
    assert_int_equal(c.threads, 16);
    good(&c, "threads", "1");
    good(&c, "threads", "256");
    assert_int_equal(c.threads, 256);
    bad(&c, "threads", "0");
    bad(&c, "threads", "257");
    bad(&c, "threads", "-1");
    bad(&c, "threads", "4x");
    bad(&c, "threads", "");
    bad(&c, "threads", "99999999999999999999999");
    assert_int_equal(c.threads, 256); /* a refusal keeps the old value */

    good(&c, "cookie_secure", "true");
    assert_int_equal(c.cookie_secure, 1);
    good(&c, "cookie_secure", "OFF");
    assert_int_equal(c.cookie_secure, 0);
    good(&c, "access_log", "no");
    assert_int_equal(c.access_log, 0);
    good(&c, "trust_proxy", "1");
    assert_int_equal(c.trust_proxy, 1);
    bad(&c, "trust_proxy", "maybe");
    bad(&c, "trust_proxy", "2");
    assert_int_equal(c.trust_proxy, 1);

    good(&c, "listen", "0.0.0.0:80");
    assert_string_equal(c.listen, "0.0.0.0:80");
    good(&c, "listen", "localhost:9000");
    bad(&c, "listen", "8080");
    bad(&c, "listen", "127.0.0.1:0");
    bad(&c, "listen", "127.0.0.1:65536");
    bad(&c, "listen", "127.0.0.1:");
    bad(&c, "listen", ":8080");
    bad(&c, "listen", "example.com:8080");
    bad(&c, "listen", "1.2.3:8080");
    bad(&c, "listen", "1..2.3:8080");
    bad(&c, "listen", "...:8080");
    bad(&c, "listen", "999.0.0.1:8080");
    bad(&c, "listen", "1.2.3.4.5:8080");
    bad(&c, "listen", "127.0.0.1:80x");
    good(&c, "listen", "10.0.0.255:443");
    assert_string_equal(c.listen, "10.0.0.255:443");
    good(&c, "listen", "localhost:9000");
    assert_string_equal(c.listen, "localhost:9000");

    good(&c, "db", "/tmp/其他.db");
    assert_string_equal(c.db, "/tmp/其他.db");
    good(&c, "body_limit", "1024");
    bad(&c, "body_limit", "1023");
    good(&c, "lockout_threshold", "3");
    assert_int_equal(c.lockout_threshold, 3);
    bad(&c, "lockout_seconds", "86401");
    config_free(&c);
}

static void test_unknown_setting(void **state)
{
    (void)state;
    config c;
    config_defaults(&c);
    char err[256] = "";
    assert_int_equal(config_set(&c, "thread", "4", "SRC", err, sizeof err), -1);
    assert_non_null(strstr(err, "unknown setting"));
    assert_non_null(strstr(err, "'thread'"));
    assert_non_null(strstr(err, "SRC"));
    assert_true(config_is_setting("threads"));
    assert_true(config_is_setting("listen"));
    assert_false(config_is_setting("thread"));
    assert_false(config_is_setting(""));
    assert_false(config_is_setting("THREADS"));
    config_free(&c);
}

static char *write_file(const char *dir, const char *name, const char *text)
{
    char *path = xasprintf("%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static void test_file(void **state)
{
    (void)state;
    char *dir = tu_tempdir("config");
    char *path = write_file(dir, "duban.conf",
                            "# duban settings\n"
                            "\n"
                            "   # an indented comment\n"
                            "listen = 0.0.0.0:9090\n"
                            "threads=8\n"
                            "  db   =   /var/lib/duban/duban.db   \n"
                            "county = 某某县\n"
                            "cookie_secure = yes\r\n"
                            "\t\n");
    config c;
    config_defaults(&c);
    char err[512] = "";
    if (config_load_file(&c, path, err, sizeof err)) fail_msg("%s", err);
    assert_string_equal(c.listen, "0.0.0.0:9090");
    assert_int_equal(c.threads, 8);
    assert_string_equal(c.db, "/var/lib/duban/duban.db");
    assert_string_equal(c.county, "某某县");
    assert_int_equal(c.cookie_secure, 1);
    assert_int_equal(c.readers, 4); /* untouched */
    config_free(&c);
    free(path);
    tu_rmtree(dir);
    free(dir);
}

/* Loads text as a config file; returns the message of the refusal ("" when accepted). */
static void file_refused(const char *text, const char *want_line, const char *want_text)
{
    char *dir = tu_tempdir("config");
    char *path = write_file(dir, "bad.conf", text);
    config c;
    config_defaults(&c);
    char err[512] = "";
    assert_int_equal(config_load_file(&c, path, err, sizeof err), -1);
    char *where = xasprintf("%s:%s:", path, want_line);
    if (!strstr(err, where)) fail_msg("message does not name %s: %s", where, err);
    if (want_text && !strstr(err, want_text)) fail_msg("message lacks '%s': %s", want_text, err);
    free(where);
    config_free(&c);
    free(path);
    tu_rmtree(dir);
    free(dir);
}

static void test_file_errors(void **state)
{
    (void)state;
    file_refused("# ok\nthreads = 4\nthis line has no equals sign\n", "3", "key = value");
    file_refused("threads = 4\n\n\nthreads = many\n", "4", "threads");
    file_refused("listen = 127.0.0.1:8080\nnosuch = 1\n", "2", "nosuch");
    file_refused("config = other.conf\n", "1", "config");
    file_refused("= 5\n", "1", NULL);

    config c;
    config_defaults(&c);
    char err[512] = "";
    assert_int_equal(config_load_file(&c, "/nonexistent/duban.conf", err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/duban.conf"));
    config_free(&c);
}

static void test_file_long_line(void **state)
{
    (void)state;
    /* A value longer than any line buffer must not be cut and its rest read as a new line. */
    char *dir = tu_tempdir("config");
    size_t n = 3000;
    char *text = xmalloc(n + 64);
    strcpy(text, "db = /");
    size_t len = strlen(text);
    while (len < n)
        text[len++] = 'a';
    text[len] = 0;
    strcat(text, "\nthreads = 7\n");
    char *path = write_file(dir, "long.conf", text);
    config c;
    config_defaults(&c);
    char err[512] = "";
    int rc = config_load_file(&c, path, err, sizeof err);
    if (rc == 0) {
        /* Accepted: then whole and with the right line numbers after it. */
        assert_int_equal(strlen(c.db), n - strlen("db = "));
        assert_int_equal(c.threads, 7);
    } else {
        /* Refused: then on line 1, not some later line. */
        char *where = xasprintf("%s:1:", path);
        if (!strstr(err, where)) fail_msg("long line refused at the wrong place: %s", err);
        free(where);
    }
    config_free(&c);
    free(text);
    free(path);
    tu_rmtree(dir);
    free(dir);
}

static void test_file_long_comment(void **state)
{
    (void)state;
    /* The end of a long comment is still the comment, not a setting. */
    char *dir = tu_tempdir("config");
    char *text = xmalloc(4096);
    strcpy(text, "#");
    size_t len = 1;
    while (len < 1500)
        text[len++] = ' ';
    text[len] = 0;
    strcat(text, "listen = 0.0.0.0:80\nthreads = 9\n");
    char *path = write_file(dir, "comment.conf", text);
    config c;
    config_defaults(&c);
    char err[512] = "";
    if (config_load_file(&c, path, err, sizeof err)) fail_msg("%s", err);
    assert_string_equal(c.listen, "127.0.0.1:8080");
    assert_int_equal(c.threads, 9);
    config_free(&c);
    free(text);
    free(path);
    tu_rmtree(dir);
    free(dir);
}

static void test_env(void **state)
{
    (void)state;
    config c;
    config_defaults(&c);
    char err[256] = "";
    setenv("DUBAN_LISTEN", "127.0.0.1:9999", 1);
    setenv("DUBAN_THREADS", "12", 1);
    assert_int_equal(config_load_env(&c, err, sizeof err), 0);
    assert_string_equal(c.listen, "127.0.0.1:9999");
    assert_int_equal(c.threads, 12);
    /* A bad value names the variable. */
    setenv("DUBAN_LISTEN", "nowhere", 1);
    assert_int_equal(config_load_env(&c, err, sizeof err), -1);
    assert_non_null(strstr(err, "DUBAN_LISTEN"));
    assert_non_null(strstr(err, "nowhere"));
    unsetenv("DUBAN_LISTEN");
    unsetenv("DUBAN_THREADS");
    /* Variables that are not settings are ignored. */
    setenv("DUBAN_ADMIN_PASSWORD", "whatever", 1);
    assert_int_equal(config_load_env(&c, err, sizeof err), 0);
    unsetenv("DUBAN_ADMIN_PASSWORD");
    config_free(&c);
}

static void test_help_lists_settings(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    config_help(f);
    fclose(f);
    assert_non_null(strstr(buf, "--listen"));
    assert_non_null(strstr(buf, "--lockout_threshold"));
    assert_non_null(strstr(buf, "127.0.0.1:8080"));
    free(buf);
}

/* A PostgreSQL setting is told from a file path, and its password never shows. */
static void test_db_label(void **state)
{
    (void)state;
    assert_true(config_db_postgres("postgresql://u@h/db"));
    assert_true(config_db_postgres("postgres://u@h/db"));
    assert_true(config_db_postgres("host=/tmp dbname=x"));
    assert_false(config_db_postgres("data/duban.db"));
    assert_false(config_db_postgres("/srv/postgres/duban.db"));
    char out[256];
    config_db_label("postgresql://duban:s3cret@db.example:5432/duban?sslmode=require", out,
                    sizeof out);
    assert_string_equal(out, "postgresql://duban:***@db.example:5432/duban?sslmode=require");
    config_db_label("postgresql://duban@db/duban?password=s3cret&sslmode=require", out, sizeof out);
    assert_string_equal(out, "postgresql://duban@db/duban?password=***&sslmode=require");
    config_db_label("host=db user=duban password=s3cret dbname=duban", out, sizeof out);
    assert_string_equal(out, "host=db user=duban password=*** dbname=duban");
    config_db_label("data/pass:word@x.db", out, sizeof out);
    assert_string_equal(out, "data/pass:word@x.db"); /* a file name is shown as it is */
    config_db_label("postgresql://duban:s3cret@db/duban", out, 16); /* truncated, still masked */
    assert_null(strstr(out, "s3c"));
    config key = {.db = "postgresql://h/db", .key_file = "", .files_dir = ""};
    assert_null(config_key_path(&key));
    assert_null(config_files_dir(&key));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_key_path),
        cmocka_unit_test(test_db_label),
        cmocka_unit_test(test_set_values),
        cmocka_unit_test(test_unknown_setting),
        cmocka_unit_test(test_file),
        cmocka_unit_test(test_file_errors),
        cmocka_unit_test(test_file_long_line),
        cmocka_unit_test(test_file_long_comment),
        cmocka_unit_test(test_env),
        cmocka_unit_test(test_help_lists_settings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
