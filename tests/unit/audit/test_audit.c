/*
 * Tests of the audit chain: SM3 known answers, the record MAC, appending, and verification
 * catching each kind of tampering (edit, deletion, reordering, truncation, the head file),
 * the triggers, and the signed export.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "audit/audit.h"
#include "base/jsonx.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- primitives ---- */

static void test_sm3_known_answers(void **state)
{
    (void)state;
    char hex[65];
    audit_sm3_hex("abc", 3, hex);
    assert_string_equal(hex, "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    char abcd[65] = "";
    for (int i = 0; i < 16; i++)
        strcat(abcd, "abcd");
    assert_int_equal(strlen(abcd), 64);
    audit_sm3_hex(abcd, 64, hex);
    assert_string_equal(hex, "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
    /* The empty message (GB/T 32905 test vector from OpenSSL). */
    audit_sm3_hex("", 0, hex);
    assert_string_equal(hex, "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b");
}

static const unsigned char KEY1[32] = "0123456789abcdef0123456789abcdef";
static const unsigned char KEY2[32] = "0123456789abcdef0123456789abcdeF";

static store_audit sample_record(void)
{
    store_audit r = {.seq = 7,
                     .at = 1700000000,
                     .actor_id = 3,
                     .actor = "admin",
                     .action = "unit.create",
                     .object = "unit:5",
                     .detail = "{\"code\":\"town-a\"}",
                     .prev = "0000000000000000000000000000000000000000000000000000000000000000",
                     .mac = "ignored"};
    return r;
}

static void mac_of(const unsigned char *key, const store_audit *r, char out[65])
{
    audit_record_mac(key, 32, r, out);
    assert_int_equal(strlen(out), 64);
}

static void test_record_mac_covers_every_field(void **state)
{
    (void)state;
    store_audit r = sample_record();
    char base[65], m[65];
    mac_of(KEY1, &r, base);
    mac_of(KEY1, &r, m);
    assert_string_equal(base, m); /* deterministic */

    store_audit x = r;
    x.mac = "something else"; /* the mac field itself is not covered */
    mac_of(KEY1, &x, m);
    assert_string_equal(base, m);

#define CHANGED(field, value)                                                                      \
    do {                                                                                           \
        store_audit y = r;                                                                         \
        y.field = value;                                                                           \
        mac_of(KEY1, &y, m);                                                                       \
        if (strcmp(base, m) == 0) fail_msg("mac ignores " #field);                                 \
    } while (0)
    CHANGED(seq, 8);
    CHANGED(at, 1700000001);
    CHANGED(actor_id, 0);
    CHANGED(actor, "admin2");
    CHANGED(action, "unit.rename");
    CHANGED(object, "unit:6");
    CHANGED(detail, "{\"code\":\"town-b\"}");
    CHANGED(detail, "");
    CHANGED(prev, "1000000000000000000000000000000000000000000000000000000000000000");
#undef CHANGED

    /* Another key, another mac. */
    mac_of(KEY2, &r, m);
    assert_string_not_equal(base, m);

    /* Fields are length-prefixed: moving a boundary between fields changes the mac. */
    store_audit a = r, b = r;
    a.actor = "ab";
    a.action = "c";
    b.actor = "a";
    b.action = "bc";
    char ma[65], mb[65];
    mac_of(KEY1, &a, ma);
    mac_of(KEY1, &b, mb);
    assert_string_not_equal(ma, mb);
}

/* ---- the chain on a real database ---- */

typedef struct {
    tu_env *e;
    int n;
    const char *ip;
    int fail_after; /* return an error after appending: the transaction rolls back */
} append_ctx;

/* Every appended record differs from every other (a re-appended seq is not a replay). */
static int serial;

static err_code append_fn(store_tx *tx, void *ctx)
{
    append_ctx *c = ctx;
    audit_actor actor = {.user_id = 0, .login = "test", .ip = c->ip};
    for (int i = 0; i < c->n; i++) {
        char object[32];
        snprintf(object, sizeof object, "thing:%d", ++serial);
        err_code e = audit_append(c->e->ap.au, tx, c->e->a, &actor, "test.append", object,
                                  json_pack("{si ss}", "i", i, "text", "中文 detail"));
        if (e != E_OK) return e;
    }
    return c->fail_after ? E_INTERNAL : E_OK;
}

/* Appends n records, one transaction each; returns the last seq. */
static int64_t append(tu_env *e, int n)
{
    for (int i = 0; i < n; i++) {
        append_ctx c = {.e = e, .n = 1};
        assert_err(store_write(e->ap.st, append_fn, &c), E_OK);
    }
    return tu_count(e, "audit");
}

static audit_report verify(tu_env *e)
{
    audit_report r;
    assert_err(audit_verify(e->ap.au, e->ap.st, &r), E_OK);
    return r;
}

static void assert_intact(tu_env *e, int64_t records)
{
    audit_report r = verify(e);
    if (!r.ok) fail_msg("chain broken at %lld: %s", (long long)r.first_bad, r.reason);
    assert_int_equal(r.records, records);
    assert_int_equal(r.first_bad, 0);
}

static void assert_broken_at(tu_env *e, int64_t first_bad)
{
    audit_report r = verify(e);
    assert_false(r.ok);
    assert_non_null(r.reason);
    assert_non_null(r.reason_zh);
    if (r.first_bad != first_bad)
        fail_msg("first_bad %lld, want %lld (%s)", (long long)r.first_bad, (long long)first_bad,
                 r.reason);
}

/* A raw connection with the protective triggers dropped, as someone with the file would do. */
static sqlite3 *tamper_open(tu_env *e)
{
    sqlite3 *db = tu_raw(e);
    tu_exec(db, "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;");
    return db;
}

static int setup_env(void **state)
{
    *state = tu_env_open();
    return 0;
}

static int teardown_env(void **state)
{
    tu_env_close(*state);
    return 0;
}

static int read_key(tu_env *e, unsigned char key[32])
{
    FILE *f = fopen(e->key, "r");
    assert_non_null(f);
    char hex[80] = {0};
    size_t n = fread(hex, 1, 64, f);
    fclose(f);
    size_t len = 0;
    return n == 64 && sodium_hex2bin(key, 32, hex, 64, NULL, &len, NULL) == 0 && len == 32 ? 0 : -1;
}

typedef struct {
    unsigned char key[32];
    int64_t count;
    char bad[256];
} mac_walk;

static int check_mac(const store_audit *r, void *ctx)
{
    mac_walk *w = ctx;
    char m[65];
    audit_record_mac(w->key, 32, r, m);
    w->count++;
    if (strcmp(m, r->mac) != 0 && !w->bad[0])
        snprintf(w->bad, sizeof w->bad, "seq %lld: stored %s, computed %s", (long long)r->seq,
                 r->mac, m);
    return 0;
}

static err_code walk_fn(store_tx *tx, void *ctx)
{
    return store_audit_each(tx, check_mac, ctx);
}

static void test_chain_appends_and_verifies(void **state)
{
    tu_env *e = *state;
    assert_int_equal(tu_count(e, "audit"), 1); /* system.init */
    assert_intact(e, 1);
    int64_t last = append(e, 10);
    assert_int_equal(last, 11);
    assert_intact(e, 11);

    /* Several records in one transaction chain too. */
    append_ctx c = {.e = e, .n = 3, .ip = "10.0.0.7"};
    assert_err(store_write(e->ap.st, append_fn, &c), E_OK);
    assert_intact(e, 14);

    /* Each stored mac is HMAC-SM3 under the key file's key, and prev links to the last one. */
    mac_walk w = {0};
    assert_int_equal(read_key(e, w.key), 0);
    assert_err(store_read(e->ap.st, walk_fn, &w), E_OK);
    if (w.bad[0]) fail_msg("%s", w.bad);
    assert_int_equal(w.count, 14);
    sqlite3 *db = tu_raw(e);
    assert_int_equal(tu_query_int(db, "SELECT count(*) FROM audit a JOIN audit b"
                                      " ON b.seq = a.seq + 1 WHERE b.prev <> a.mac"),
                     0);
    assert_int_equal(tu_query_int(db, "SELECT prev = printf('%064d', 0) FROM audit WHERE seq = 1"),
                     1);
    /* The actor's ip went into the detail. */
    assert_int_equal(tu_query_int(db, "SELECT count(*) FROM audit WHERE seq > 11 AND"
                                      " json_extract(detail, '$.ip') = '10.0.0.7'"),
                     3);
    sqlite3_close(db);
}

static void test_many_records_in_one_transaction(void **state)
{
    tu_env *e = *state;
    /* A bulk change may audit every row it touches in its one transaction. */
    append_ctx c = {.e = e, .n = 50};
    assert_err(store_write(e->ap.st, append_fn, &c), E_OK);
    assert_int_equal(tu_count(e, "audit"), 51);
    assert_intact(e, 51);
    append(e, 1);
    assert_intact(e, 52);
}

static void test_rollback_leaves_no_record_and_no_head(void **state)
{
    tu_env *e = *state;
    append(e, 3);
    append_ctx c = {.e = e, .n = 2, .fail_after = 1};
    assert_err(store_write(e->ap.st, append_fn, &c), E_INTERNAL);
    assert_int_equal(tu_count(e, "audit"), 4);
    /* The head file did not move on to records that were never committed. */
    assert_intact(e, 4);
    append(e, 1);
    assert_intact(e, 5);
}

static void test_edit_detected(void **state)
{
    tu_env *e = *state;
    append(e, 10);
    sqlite3 *db = tamper_open(e);
    tu_exec(db, "UPDATE audit SET detail = '{\"i\":99}' WHERE seq = 5");
    sqlite3_close(db);
    assert_broken_at(e, 5);
}

static void test_edit_of_each_column_detected(void **state)
{
    (void)state;
    static const char *edits[] = {
        "UPDATE audit SET at = at + 1 WHERE seq = 4",
        "UPDATE audit SET actor_id = 42 WHERE seq = 4",
        "UPDATE audit SET actor = 'someone' WHERE seq = 4",
        "UPDATE audit SET action = 'test.other' WHERE seq = 4",
        "UPDATE audit SET object = 'thing:x' WHERE seq = 4",
        "UPDATE audit SET detail = detail || ' ' WHERE seq = 4",
        "UPDATE audit SET prev = mac WHERE seq = 4",
        "UPDATE audit SET mac = printf('%064d', 1) WHERE seq = 4",
    };
    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
        tu_env *e = tu_env_open();
        append(e, 6);
        sqlite3 *db = tamper_open(e);
        tu_exec(db, edits[i]);
        assert_int_equal(sqlite3_changes(db), 1);
        sqlite3_close(db);
        audit_report r = verify(e);
        if (r.ok || r.first_bad != 4)
            fail_msg("%s: ok %d first_bad %lld", edits[i], r.ok, (long long)r.first_bad);
        tu_env_close(e);
    }
}

static void test_delete_middle_detected(void **state)
{
    tu_env *e = *state;
    append(e, 10);
    sqlite3 *db = tamper_open(e);
    tu_exec(db, "DELETE FROM audit WHERE seq = 6");
    sqlite3_close(db);
    assert_broken_at(e, 6);
}

static void test_reorder_detected(void **state)
{
    tu_env *e = *state;
    append(e, 10);
    sqlite3 *db = tamper_open(e);
    /* Swap the contents of records 4 and 8, keeping their seq numbers. */
    tu_exec(db, "CREATE TEMP TABLE t AS SELECT * FROM audit WHERE seq IN (4, 8);"
                "UPDATE audit SET (at, actor_id, actor, action, object, detail, prev, mac) ="
                " (SELECT at, actor_id, actor, action, object, detail, prev, mac FROM t"
                "  WHERE t.seq = CASE audit.seq WHEN 4 THEN 8 ELSE 4 END)"
                " WHERE seq IN (4, 8);");
    assert_int_equal(tu_query_int(db, "SELECT count(*) FROM audit"), 11);
    sqlite3_close(db);
    assert_broken_at(e, 4);
}

static void test_swap_adjacent_detected(void **state)
{
    tu_env *e = *state;
    append(e, 6);
    sqlite3 *db = tamper_open(e);
    /* Renumber: 3 becomes 4 and 4 becomes 3. */
    tu_exec(db, "UPDATE audit SET seq = -3 WHERE seq = 3;"
                "UPDATE audit SET seq = 3 WHERE seq = 4;"
                "UPDATE audit SET seq = 4 WHERE seq = -3;");
    sqlite3_close(db);
    assert_broken_at(e, 3);
}

static void test_truncation_detected(void **state)
{
    tu_env *e = *state;
    append(e, 10); /* seq 1..11 */
    sqlite3 *db = tamper_open(e);
    tu_exec(db, "DELETE FROM audit WHERE seq > 8");
    sqlite3_close(db);
    audit_report r = verify(e);
    assert_false(r.ok);
    assert_int_equal(r.first_bad, 9);
    assert_int_equal(r.records, 8);
}

static void test_truncation_stays_visible_after_new_appends(void **state)
{
    tu_env *e = *state;
    append(e, 10); /* seq 1..11 */
    sqlite3 *db = tamper_open(e);
    tu_exec(db, "DELETE FROM audit WHERE seq > 8");
    sqlite3_close(db);
    /* New records take seq 9, 10, 11 again; the cut must not be papered over. */
    append(e, 3);
    assert_int_equal(tu_count(e, "audit"), 11);
    audit_report r = verify(e);
    assert_false(r.ok);
    assert_true(r.first_bad >= 9 && r.first_bad <= 11);
    append(e, 2);
    r = verify(e);
    assert_false(r.ok);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    char *buf = xcalloc(1, 4096);
    size_t n = fread(buf, 1, 4095, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

static void spit(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_head_tamper_detected(void **state)
{
    tu_env *e = *state;
    append(e, 5);
    assert_intact(e, 6);
    char *orig = slurp(e->head);
    assert_non_null(orig);
    long long seq = 0;
    char mac[65], tag[65];
    assert_int_equal(sscanf(orig, "%lld %64s %64s", &seq, mac, tag), 3);
    assert_int_equal(seq, 6);

    /* A different mac with the old tag. */
    char *forged = xstrdup(orig);
    char *m = strchr(forged, ' ') + 1;
    *m = *m == 'a' ? 'b' : 'a';
    spit(e->head, forged);
    assert_false(verify(e).ok);

    /* A higher seq with the old tag. */
    char line[256];
    snprintf(line, sizeof line, "%lld %s %s\n", seq + 1, mac, tag);
    spit(e->head, line);
    assert_false(verify(e).ok);

    /* Garbage. */
    spit(e->head, "garbage\n");
    assert_false(verify(e).ok);

    /* The genuine head restores the verdict. */
    spit(e->head, orig);
    assert_intact(e, 6);
    free(forged);
    free(orig);
}

static void test_head_deleted_detected(void **state)
{
    tu_env *e = *state;
    append(e, 3);
    assert_int_equal(unlink(e->head), 0);
    audit_report r = verify(e);
    assert_false(r.ok);
    assert_int_equal(r.first_bad, 0);
    assert_int_equal(r.records, 4);
}

static void test_emptied_log_detected(void **state)
{
    tu_env *e = *state;
    append(e, 3);
    sqlite3 *db = tamper_open(e);
    tu_exec(db, "DELETE FROM audit");
    sqlite3_close(db);
    assert_broken_at(e, 1);
}

static void test_lost_beginning_detected(void **state)
{
    tu_env *e = *state;
    append(e, 4);
    sqlite3 *db = tamper_open(e);
    tu_exec(db, "DELETE FROM audit WHERE seq = 1");
    sqlite3_close(db);
    assert_broken_at(e, 1);
}

static void test_triggers_refuse_changes(void **state)
{
    tu_env *e = *state;
    append(e, 2);
    sqlite3 *db = tu_raw(e);
    char *msg = NULL;
    assert_int_not_equal(
        sqlite3_exec(db, "UPDATE audit SET detail = '{}' WHERE seq = 2", NULL, NULL, &msg),
        SQLITE_OK);
    assert_non_null(msg);
    assert_non_null(strstr(msg, "cannot be changed"));
    sqlite3_free(msg);
    msg = NULL;
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit WHERE seq = 3", NULL, NULL, &msg),
                         SQLITE_OK);
    assert_non_null(msg);
    assert_non_null(strstr(msg, "cannot be deleted"));
    sqlite3_free(msg);
    assert_int_equal(sqlite3_exec(db, "DELETE FROM audit", NULL, NULL, NULL), SQLITE_CONSTRAINT);
    sqlite3_close(db);
    assert_int_equal(tu_count(e, "audit"), 3);
    assert_intact(e, 3);
}

/* ---- export ---- */

static char *export_text(tu_env *e, audit_report *rep)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_err(audit_export(e->ap.au, e->ap.st, f, rep), E_OK);
    fclose(f);
    return buf;
}

/* Fills the signed_message_format with the checkpoint's own values as JSON shows them. */
static char *signed_message(json_t *cp)
{
    const char *fmt = json_string_value(json_object_get(cp, "signed_message_format"));
    assert_non_null(fmt);
    char *out = xcalloc(1, 4096);
    size_t o = 0;
    for (const char *p = fmt; *p;) {
        if (p[0] == '\\' && p[1] == 'n') {
            out[o++] = '\n';
            p += 2;
        } else if (*p == '{') {
            const char *end = strchr(p, '}');
            assert_non_null(end);
            char name[32];
            snprintf(name, sizeof name, "%.*s", (int)(end - p - 1), p + 1);
            json_t *v = json_object_get(cp, name);
            if (!v) fail_msg("signed_message_format names '%s', which the checkpoint lacks", name);
            char *text = json_is_string(v) ? xstrdup(json_string_value(v))
                                           : json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
            o += (size_t)snprintf(out + o, 4096 - o, "%s", text);
            free(text);
            p = end + 1;
        } else {
            out[o++] = *p++;
        }
    }
    out[o] = 0;
    return out;
}

static void check_signature(json_t *cp)
{
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sig[crypto_sign_BYTES];
    const char *pk_hex = json_string_value(json_object_get(cp, "public_key"));
    const char *sig_hex = json_string_value(json_object_get(cp, "signature"));
    assert_non_null(pk_hex);
    assert_non_null(sig_hex);
    assert_int_equal(sodium_hex2bin(pk, sizeof pk, pk_hex, strlen(pk_hex), NULL, NULL, NULL), 0);
    assert_int_equal(sodium_hex2bin(sig, sizeof sig, sig_hex, strlen(sig_hex), NULL, NULL, NULL),
                     0);
    char *msg = signed_message(cp);
    int rc = crypto_sign_verify_detached(sig, (const unsigned char *)msg, strlen(msg), pk);
    if (rc != 0) fail_msg("checkpoint signature does not verify over:\n%s", msg);
    /* Any change to the message breaks the signature. */
    msg[strlen(msg) - 1] ^= 1;
    assert_int_not_equal(
        crypto_sign_verify_detached(sig, (const unsigned char *)msg, strlen(msg), pk), 0);
    free(msg);
}

/* Splits the export into parsed lines; returns how many. */
static size_t parse_lines(char *text, json_t **lines, size_t max)
{
    size_t n = 0;
    for (char *save = NULL, *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        assert_true(n < max);
        json_error_t jerr;
        lines[n] = json_loads(l, 0, &jerr);
        if (!lines[n]) fail_msg("export line %zu is not JSON: %s", n + 1, jerr.text);
        n++;
    }
    return n;
}

static void test_export_signed_checkpoint(void **state)
{
    tu_env *e = *state;
    append(e, 5);
    audit_report rep;
    char *text = export_text(e, &rep);
    assert_true(rep.ok);
    assert_int_equal(rep.records, 6);
    json_t *lines[32];
    size_t n = parse_lines(text, lines, 32);
    free(text);
    /* Header, six records in order, checkpoint. */
    assert_int_equal(n, 1 + 6 + 1);
    assert_string_equal(json_string_value(json_object_get(lines[0], "format")),
                        "duban-audit-export");
    for (size_t i = 1; i <= 6; i++) {
        assert_int_equal(json_integer_value(json_object_get(lines[i], "seq")), (json_int_t)i);
        assert_true(json_is_object(json_object_get(lines[i], "detail")));
        assert_int_equal(strlen(json_string_value(json_object_get(lines[i], "mac"))), 64);
    }
    json_t *cp = json_object_get(lines[n - 1], "checkpoint");
    assert_non_null(cp);
    assert_int_equal(json_integer_value(json_object_get(cp, "seq")), 6);
    assert_string_equal(json_string_value(json_object_get(cp, "mac")),
                        json_string_value(json_object_get(lines[6], "mac")));
    assert_true(json_is_true(json_object_get(cp, "verified")));
    assert_int_equal(json_integer_value(json_object_get(cp, "records")), 6);
    check_signature(cp);
    for (size_t i = 0; i < n; i++)
        json_decref(lines[i]);
}

static void test_export_of_broken_chain_says_so(void **state)
{
    tu_env *e = *state;
    append(e, 4);
    sqlite3 *db = tamper_open(e);
    tu_exec(db, "UPDATE audit SET object = 'x' WHERE seq = 3");
    sqlite3_close(db);
    audit_report rep;
    char *text = export_text(e, &rep);
    assert_false(rep.ok);
    assert_int_equal(rep.first_bad, 3);
    json_t *lines[32];
    size_t n = parse_lines(text, lines, 32);
    free(text);
    /* Every record is still exported, and the checkpoint counts what was written. */
    assert_int_equal(n, 1 + 5 + 1);
    json_t *cp = json_object_get(lines[n - 1], "checkpoint");
    assert_non_null(cp);
    assert_true(json_is_false(json_object_get(cp, "verified")));
    assert_int_equal(json_integer_value(json_object_get(cp, "records")), 5);
    assert_int_equal(json_integer_value(json_object_get(cp, "seq")), 5);
    check_signature(cp);
    for (size_t i = 0; i < n; i++)
        json_decref(lines[i]);
}

#define ENV_TEST(f) cmocka_unit_test_setup_teardown(f, setup_env, teardown_env)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sm3_known_answers),
        cmocka_unit_test(test_record_mac_covers_every_field),
        ENV_TEST(test_chain_appends_and_verifies),
        ENV_TEST(test_many_records_in_one_transaction),
        ENV_TEST(test_rollback_leaves_no_record_and_no_head),
        ENV_TEST(test_edit_detected),
        cmocka_unit_test(test_edit_of_each_column_detected),
        ENV_TEST(test_delete_middle_detected),
        ENV_TEST(test_reorder_detected),
        ENV_TEST(test_swap_adjacent_detected),
        ENV_TEST(test_truncation_detected),
        ENV_TEST(test_truncation_stays_visible_after_new_appends),
        ENV_TEST(test_head_tamper_detected),
        ENV_TEST(test_head_deleted_detected),
        ENV_TEST(test_emptied_log_detected),
        ENV_TEST(test_lost_beginning_detected),
        ENV_TEST(test_triggers_refuse_changes),
        ENV_TEST(test_export_signed_checkpoint),
        ENV_TEST(test_export_of_broken_chain_says_so),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
