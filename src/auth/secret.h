/*
 * secret — random bearer secrets (session ids and API tokens), the hash under which the
 * database keeps them, so a copy of the database cannot be used to log in, and the secrets
 * derived from them (a session's CSRF token), which the database does not keep at all.
 */
#ifndef DUBAN_SECRET_H
#define DUBAN_SECRET_H

enum { SECRET_TEXT = 48 };

/* 32 random bytes as unpadded base64url (43 characters) into out. */
void secret_new(char out[SECRET_TEXT]);
/* 32-byte BLAKE2b hash of the secret's text. */
void secret_hash(const char *text, unsigned char out[32]);
/* HMAC-SHA256 under the secret's text of label, as unpadded base64url into out: a second secret
 * that only a holder of the first can compute. */
void secret_derive(const char *secret, const char *label, char out[SECRET_TEXT]);

#endif
