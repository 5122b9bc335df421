/* Tests of the password policy, argon2id hashing and generated one-time passwords. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "auth/password.h"
#include "base/text.h"

static void ok(const char *login, const char *pw)
{
    if (password_check_policy(login, pw) != E_OK)
        fail_msg("policy refused '%s' for login '%s'", pw, login ? login : "(null)");
}

static void weak(const char *login, const char *pw)
{
    if (password_check_policy(login, pw) != E_PASSWORD_WEAK)
        fail_msg("policy accepted '%s' for login '%s'", pw, login ? login : "(null)");
}

static void test_length(void **state)
{
    (void)state;
    weak("u", "");
    weak("u", "Ab1#");
    weak("u", "Kpwmzr1"); /* 7 characters, 3 classes */
    ok("u", "Kpwmzr12");  /* 8 characters */
    weak(NULL, "Kpwmzr1");
    ok(NULL, "Kpwmzr12");
    /* Characters, not bytes: 7 characters of 15 bytes are too short... */
    weak("u", "Ab1中文中文");
    /* ...and 8 characters of 18 bytes are enough. */
    ok("u", "Ab1中文中文中");
    assert_int_equal(text_chars("Ab1中文中文中"), 8);
}

static void test_classes(void **state)
{
    (void)state;
    weak("u", "abcdefgh"); /* one class */
    weak("u", "abcd1234"); /* two */
    weak("u", "ABCDabcd");
    weak("u", "####1234");
    weak("u", "ABCD####");
    ok("u", "kpwm123#"); /* lower, digit, symbol */
    ok("u", "KPWM123#"); /* upper, digit, symbol */
    ok("u", "ABCDabc#"); /* upper, lower, symbol */
    ok("u", "ABCDabc1"); /* upper, lower, digit */
    ok("u", "Kpwm123#"); /* all four */
    ok("u", "kp wm 12"); /* a space is a symbol */
    /* Chinese characters count as symbols/other. */
    ok("u", "kpwm123中");
    ok("u", "KPWM密码12");
    weak("u", "abcd密码中文");     /* lower + other only */
    weak("u", "密码密码密码密码"); /* other only */
    weak("u", "1234密码密码");     /* digit + other only */
}

static void test_contains_login(void **state)
{
    (void)state;
    weak("zhangsan", "zhangsan#2024");
    weak("zhangsan", "X#1ZhangSan"); /* case-insensitive */
    weak("zhangsan", "ab#1ZHANGSAN9");
    weak("Zhang", "ab#1zhang9");
    ok("zhangsan", "zhangsa#2024X"); /* only part of the login */
    ok("li", "Lx#2024Ix");
    weak("li", "Lx#2024lI");
    ok("", "Kpwmzr12");
}

/* Finding 4 of the security review: common passwords and their disguises, and passwords of
 * too few different characters, are refused although they have 3 classes and 8 characters. */
static void test_common(void **state)
{
    (void)state;
    weak("u", "Password1");
    weak("u", "Passw0rd!");
    weak("u", "P@ssw0rd");
    weak("u", "Qwerty123");
    weak("u", "Aa1aaaaa");   /* two different characters */
    weak("u", "Abab1212");   /* four */
    weak("u", "1qaz@WSX");   /* a keyboard walk with the shift key */
    weak("u", "1Q2w3e4r");
    weak("u", "Woaini1314!");
    weak("u", "A123456!");
    weak("u", "Admin@123");
    weak("u", "Abc@123456");
    weak("u", "Zhongguo#1");
    ok("u", "Kpwmzr12");
    ok("u", "Passage#97");  /* a common word's neighbour is not the word */
    ok("admin", "Duban#2024x"); /* the tests' own */
    ok("admin", "Gu4rd!an-2024");
    ok("admin", "Ningjin@2024"); /* the demo county's, a place name, not on the list */
}

static void test_hash_verify(void **state)
{
    (void)state;
    char h1[PASSWORD_HASH_MAX], h2[PASSWORD_HASH_MAX];
    assert_int_equal(password_hash("Duban#2024x", h1), 0);
    assert_non_null(strstr(h1, "$argon2id$"));
    assert_true(password_verify(h1, "Duban#2024x"));
    assert_false(password_verify(h1, "Duban#2024X"));
    assert_false(password_verify(h1, "Duban#2024"));
    assert_false(password_verify(h1, ""));
    /* Salted: the same password hashes differently, and each hash verifies. */
    assert_int_equal(password_hash("Duban#2024x", h2), 0);
    assert_string_not_equal(h1, h2);
    assert_true(password_verify(h2, "Duban#2024x"));
    /* Non-ASCII passwords round-trip. */
    assert_int_equal(password_hash("密码Ab1密码Ab1", h2), 0);
    assert_true(password_verify(h2, "密码Ab1密码Ab1"));
    assert_false(password_verify(h2, "密码Ab1密码Ab2"));
    /* A malformed hash never verifies. */
    assert_false(password_verify("not a hash", "Duban#2024x"));
    assert_false(password_verify("", "Duban#2024x"));
}

static void test_generated(void **state)
{
    (void)state;
    static const char *logins[] = {"admin", "secadmin", "auditor", "a", "zz", "user.1"};
    for (int i = 0; i < 200; i++) {
        char pw[16];
        memset(pw, 'X', sizeof pw);
        password_generate(pw);
        assert_int_equal(strlen(pw), 14);
        for (const char *p = pw; *p; p++)
            if (strchr("0O1lI", *p)) fail_msg("look-alike character in '%s'", pw);
        ok(NULL, pw);
        for (size_t l = 0; l < sizeof logins / sizeof logins[0]; l++) {
            /* "for any login" can only hold for logins the password does not contain. */
            if (strcasestr(pw, logins[l])) continue;
            ok(logins[l], pw);
        }
    }
}

static void test_generated_differ(void **state)
{
    (void)state;
    char a[16], b[16];
    password_generate(a);
    password_generate(b);
    assert_string_not_equal(a, b);
}

static void test_verify_dummy(void **state)
{
    (void)state;
    password_verify_dummy("whatever");
    password_verify_dummy("");
    password_verify_dummy("第二次调用");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_length),         cmocka_unit_test(test_classes),
        cmocka_unit_test(test_contains_login), cmocka_unit_test(test_common),
        cmocka_unit_test(test_hash_verify),
        cmocka_unit_test(test_generated),      cmocka_unit_test(test_generated_differ),
        cmocka_unit_test(test_verify_dummy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
