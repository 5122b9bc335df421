/*
 * secret — random bearer secrets (session ids, CSRF and API tokens) and the hash under which
 * the database keeps them, so a copy of the database cannot be used to log in.
 */
#ifndef DUBAN_SECRET_H
#define DUBAN_SECRET_H

enum { SECRET_TEXT = 48 };

/* 32 random bytes as unpadded base64url (43 characters) into out. */
void secret_new(char out[SECRET_TEXT]);
/* 32-byte BLAKE2b hash of the secret's text. */
void secret_hash(const char *text, unsigned char out[32]);

#endif
