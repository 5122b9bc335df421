/*
 * mem — allocation that never returns NULL, and a bump arena for request-scoped memory.
 *
 * Allocation failure aborts the process (there is no useful recovery in a request handler).
 * An arena hands out memory that lives until arena_free(); a request's parsing, SQL results
 * and reply building all come from its arena, so a handler never frees piecemeal.
 */
#ifndef DUBAN_MEM_H
#define DUBAN_MEM_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* printf into a fresh heap string; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

typedef struct arena arena;

arena *arena_new(void);
/* Frees every block of the arena; accepts NULL. */
void arena_free(arena *a);
/* Memory aligned for any type, valid until arena_free. */
void *arena_alloc(arena *a, size_t n);
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_sprintf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
