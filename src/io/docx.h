/*
 * docx — a minimal Word document writer, for summaries offices download and edit.
 *
 * The document is one title paragraph and body paragraphs, laid out as county offices lay out
 * their 公文-style reports: A4 with the official margins, the title in 宋体 22pt (二号) bold and
 * centred, the body in 仿宋 16pt (三号) with a two-character first-line indent and a fixed
 * 28-point line. It is the smallest package Word and LibreOffice open: [Content_Types].xml,
 * _rels/.rels and word/document.xml, zipped in memory with libzip.
 */
#ifndef DUBAN_DOCX_H
#define DUBAN_DOCX_H

#include "base/err.h"

#include <stddef.h>

/*
 * A .docx (Office Open XML) holding a title paragraph (bold, centred, larger) and the n body
 * paragraphs, in memory: *out is malloc'd (the caller frees it), *len its size. Text is UTF-8
 * and XML-escaped here; characters XML 1.0 forbids (controls other than tab and newline,
 * U+FFFE/U+FFFF) and malformed UTF-8 bytes are dropped; "\n" starts another paragraph of the
 * same style (so a multi-line title stays centred and body lines are each indented), "\t" is a
 * tab, "\r" is dropped. A blank line follows the title; a NULL or empty title leaves both out.
 * A NULL paragraph is an empty one. E_INTERNAL on a libzip failure (then *out is NULL and *len 0).
 */
err_code docx_write(const char *title, const char *const *paragraphs, size_t n, char **out,
                    size_t *len);

#endif
