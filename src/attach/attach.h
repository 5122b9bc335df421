/*
 * attach — evidence files: type by content, safe names, and content-addressed storage.
 *
 * Files live outside the database under the files directory, named by the SHA-256 of their
 * bytes (files/ab/abcdef…), written to a temporary name, synced and renamed, so a file is
 * either complete or absent and the same bytes are stored once. The database keeps the name
 * the user gave, the type found in the bytes, the size and the hash.
 */
#ifndef DUBAN_ATTACH_H
#define DUBAN_ATTACH_H

#include "base/err.h"

#include <stddef.h>

/* The MIME type of the bytes when it is one duban accepts as evidence (JPEG, PNG, GIF, WebP,
 * PDF), else NULL. The name plays no part. */
const char *attach_sniff(const unsigned char *data, size_t n);
/* 1 when name is acceptable as a file name: 1..200 characters, no path separators, no "..",
 * no control characters, valid UTF-8. */
int attach_name_ok(const char *name);
/*
 * Stores the bytes under dir (created if missing); writes the hash (64 hex characters) into
 * sha. E_OK, or E_INTERNAL with the reason in err.
 */
err_code attach_store(const char *dir, const unsigned char *data, size_t n, char sha[65],
                      char *err, size_t errlen);
/* The path of a stored file (heap string, caller frees); NULL for a malformed hash. */
char *attach_path(const char *dir, const char *sha);

#endif
