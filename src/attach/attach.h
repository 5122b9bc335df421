/*
 * attach — evidence files: type by content, safe names, and content-addressed storage.
 *
 * Files live outside the database under the files directory, named by the SHA-256 of their
 * bytes (files/ab/abcdef…), written to a temporary name, synced and renamed, so a file is
 * either complete or absent and the same bytes are stored once. Without a files directory
 * (several instances on one PostgreSQL database, none sharing a disk) the bytes go into the
 * database instead, by the same hash, in the transaction that records the attachment. The
 * database keeps the name the user gave, the type found in the bytes, the size and the hash.
 */
#ifndef DUBAN_ATTACH_H
#define DUBAN_ATTACH_H

#include "base/err.h"
#include "base/mem.h"
#include "store/store.h"

#include <stddef.h>

/* The MIME type of the bytes when it is one duban accepts as evidence (JPEG, PNG, GIF, WebP,
 * PDF), else NULL. The name plays no part. */
const char *attach_sniff(const unsigned char *data, size_t n);
/* 1 when name is acceptable as a file name: 1..200 characters, no path separators, no "..",
 * no control characters, valid UTF-8. */
int attach_name_ok(const char *name);
/*
 * Stores the bytes under dir (created if missing); writes the hash (64 hex characters) into
 * sha. E_OK, or E_INTERNAL with the reason in err. With dir NULL (files kept in the database)
 * it only computes the hash: attach_store_in_db stores them then.
 */
err_code attach_store(const char *dir, const unsigned char *data, size_t n, char sha[65],
                      char *err, size_t errlen);
/* In the write transaction recording the attachment: with dir NULL, puts the bytes into the
 * database (once per hash); with a files directory, nothing (attach_store wrote them). */
err_code attach_store_in_db(store_tx *tx, const char *dir, const char *sha,
                            const unsigned char *data, size_t n);
/* The bytes kept in the database under sha (malloc'd, the caller frees); E_NOT_FOUND. */
err_code attach_read_from_db(store_tx *tx, const char *sha, unsigned char **data, size_t *n);
/* The path of a stored file (heap string, caller frees); NULL for a malformed hash. */
char *attach_path(const char *dir, const char *sha);
/*
 * The name a file of the sniffed type mime is kept and sent under: name itself when its
 * extension is one of the type's, otherwise name with the type's extension added
 * ("report.html" that is a PNG becomes "report.html.png"), so no download opens as another type.
 */
const char *attach_name_for_type(arena *a, const char *name, const char *mime);

#endif
