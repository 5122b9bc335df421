/*
 * password — the password policy, argon2id hashing (libsodium) and one-time passwords.
 *
 * Policy (等保 level 3): at least 8 characters, from at least 3 of the 4 classes upper case,
 * lower case, digits and symbols, at least 5 different characters, not containing the login
 * (case-insensitive), and none of the common passwords of data/passwords/common.txt in any of
 * the forms people disguise them in ("Passw0rd!", "Qwerty123", "1qaz@WSX").
 */
#ifndef DUBAN_PASSWORD_H
#define DUBAN_PASSWORD_H

#include "base/err.h"

#include <stddef.h>

enum { PASSWORD_HASH_MAX = 128 };

/* E_OK, or E_PASSWORD_WEAK when pw breaks the policy for this login. */
err_code password_check_policy(const char *login, const char *pw);
/* argon2id hash of pw in PHC string form into out. 0, or -1 when out of memory. */
int password_hash(const char *pw, char out[PASSWORD_HASH_MAX]);
/* 1 when pw matches hash. */
int password_verify(const char *hash, const char *pw);
/* Spends the same time as a verification, for logins that do not exist. */
void password_verify_dummy(const char *pw);
/* A random 14-character password that meets the policy for any login. */
void password_generate(char out[16]);

#endif
