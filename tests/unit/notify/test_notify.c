/*
 * Tests of the outbound service (src/notify/): secrets sealed under the key derived from the
 * audit key (a round trip, a fresh nonce each time, tampering refused), the
 * working-day clock of messages (quiet hours, holidays and make-up working days of the built-in
 * calendar, the next 08:30 morning, when the digest is due), and the hook: a notification of a
 * unit with a robot channel writes its outbox row in the notification's own transaction (gone
 * when that transaction rolls back), one row per robot however many people were told, nothing
 * for a rule set to off.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/clock.h"
#include "notify/notify.h"
#include "store/sq.h"
#include "testutil.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static int64_t at(const char *s)
{
    int64_t t = 0;
    assert_int_equal(clock_parse_instant(s, &t), 0);
    return t;
}

static void test_seal(void **state)
{
    (void)state;
    tu_env *e = tu_env_open();
    size_t n1, n2;
    unsigned char *a = notify_seal("SECabc-robot-secret", &n1);
    unsigned char *b = notify_seal("SECabc-robot-secret", &n2);
    assert_int_equal(n1, n2);
    assert_memory_not_equal(a, b, n1); /* a fresh nonce each time */
    assert_null(memmem(a, n1, "SECabc", 6));
    char *t = notify_unseal(a, n1);
    assert_string_equal(t, "SECabc-robot-secret");
    notify_wipe_free(t);
    a[n1 - 1] ^= 1; /* the tag */
    assert_null(notify_unseal(a, n1));
    a[n1 - 1] ^= 1;
    a[14] ^= 1; /* the ciphertext */
    assert_null(notify_unseal(a, n1));
    assert_null(notify_unseal(a, 10));
    free(a);
    free(b);
    tu_env_close(e);
}

static void test_working_clock(void **state)
{
    (void)state;
    tu_env *e = tu_env_open(); /* quiet 21:00-08:00, digest 08:30: the defaults */
    /* 2025-10-08 is a holiday (国庆), 10-09 a Thursday, 10-11 a make-up working Saturday */
    assert_true(notify_quiet_at(at("2025-10-08T10:00:00+08:00")));
    assert_int_equal(notify_next_morning(at("2025-10-08T10:00:00+08:00")),
                     at("2025-10-09T08:30:00+08:00"));
    assert_false(notify_quiet_at(at("2025-10-09T12:00:00+08:00")));
    assert_true(notify_quiet_at(at("2025-10-09T21:00:00+08:00")));
    assert_true(notify_quiet_at(at("2025-10-09T07:59:00+08:00")));
    assert_false(notify_quiet_at(at("2025-10-09T08:00:00+08:00")));
    assert_int_equal(notify_next_morning(at("2025-10-09T22:00:00+08:00")),
                     at("2025-10-10T08:30:00+08:00"));
    assert_int_equal(notify_next_morning(at("2025-10-09T06:00:00+08:00")),
                     at("2025-10-09T08:30:00+08:00"));
    assert_int_equal(notify_next_morning(at("2025-10-10T22:00:00+08:00")),
                     at("2025-10-11T08:30:00+08:00")); /* the make-up Saturday */
    assert_int_equal(notify_next_morning(at("2025-10-11T22:00:00+08:00")),
                     at("2025-10-13T08:30:00+08:00")); /* over the Sunday */
    assert_false(notify_quiet_at(at("2025-10-11T09:00:00+08:00")));
    assert_true(notify_quiet_at(at("2025-10-12T09:00:00+08:00")));
    assert_true(notify_digest_due(at("2025-10-11T08:30:00+08:00")));
    assert_false(notify_digest_due(at("2025-10-09T08:29:59+08:00")));
    assert_false(notify_digest_due(at("2025-10-12T08:31:00+08:00")));
    assert_false(notify_digest_due(at("2025-10-08T10:00:00+08:00")));
    tu_env_close(e);
}

typedef struct {
    int64_t unit, users[2];
    int64_t now;
    int fail;
    const char *kind;
} hook_ctx;

static err_code notify_fn(store_tx *tx, void *ctx)
{
    hook_ctx *h = ctx;
    for (int i = 0; i < 2; i++) {
        char key[64];
        snprintf(key, sizeof key, "%s:7:2025-09-30:%lld", h->kind, (long long)h->users[i]);
        store_notification n = {.user_id = h->users[i],
                                .kind = h->kind,
                                .flow = "problem",
                                .item_id = 7,
                                .title = "问题已逾期：测试",
                                .body = "",
                                .created_at = h->now};
        int added;
        err_code e = store_notification_add(tx, &n, key, &added);
        if (e != E_OK) return e;
    }
    return h->fail ? E_CONFLICT : E_OK;
}

static err_code channel_fn(store_tx *tx, void *ctx)
{
    hook_ctx *h = ctx;
    notify_channel c = {.unit_id = h->unit,
                        .kind = "dingtalk",
                        .name = "群",
                        .target = "tok",
                        .keyword = "督办",
                        .sender = "",
                        .enabled = 1};
    err_code e = notify_channel_save(tx, &c, "SECx", h->now);
    notify_rule off = {"problem.unsigned", 1, 0, 0, "off"};
    if (e == E_OK) e = notify_rule_set(tx, h->unit, &off);
    return e;
}

static int64_t count(tu_env *e, const char *sql)
{
    sqlite3 *db = tu_raw(e);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static void test_hook(void **state)
{
    (void)state;
    tu_env *e = tu_env_open();
    hook_ctx h = {.now = at("2025-10-09T10:00:00+08:00"), .kind = "overdue"};
    h.unit = tu_unit(e, "jiazhen", "township", 1);
    h.users[0] = tu_user(e, "h1", h.unit);
    h.users[1] = tu_user(e, "h2", h.unit);
    assert_int_equal(store_write(e->ap.st, channel_fn, &h), E_OK);
    h.fail = 1; /* the change is refused: its notifications and their messages go with it */
    assert_int_equal(store_write(e->ap.st, notify_fn, &h), E_CONFLICT);
    assert_int_equal(count(e, "SELECT count(*) FROM outbox"), 0);
    h.fail = 0;
    assert_int_equal(store_write(e->ap.st, notify_fn, &h), E_OK);
    assert_int_equal(count(e, "SELECT count(*) FROM notification"), 2);
    /* one robot message for both people, pending now (overdue is urgent by default) */
    assert_int_equal(count(e, "SELECT count(*) FROM outbox WHERE state = 'pending'"), 1);
    assert_int_equal(count(e, "SELECT count(*) FROM outbox WHERE dedupe = 'r1:overdue:7:2025-09-30'"
                              " AND body LIKE '%督办%'"),
                     1);
    h.kind = "unsigned"; /* turned off for the township */
    assert_int_equal(store_write(e->ap.st, notify_fn, &h), E_OK);
    assert_int_equal(count(e, "SELECT count(*) FROM outbox"), 1);
    h.kind = "remind"; /* the digest: held until the next working morning */
    assert_int_equal(store_write(e->ap.st, notify_fn, &h), E_OK);
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM outbox WHERE state = 'held' AND next_at = %lld",
             (long long)at("2025-10-10T08:30:00+08:00"));
    assert_int_equal(count(e, sql), 1);
    tu_env_close(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seal),
        cmocka_unit_test(test_working_clock),
        cmocka_unit_test(test_hook),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
