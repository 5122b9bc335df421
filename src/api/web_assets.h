/*
 * web_assets — the browser UI's built files, compiled into the binary by tools/embed_web.c
 * (see CMakeLists.txt). The table ends with an entry whose path is NULL.
 */
#ifndef DUBAN_WEB_ASSETS_H
#define DUBAN_WEB_ASSETS_H

#include <stddef.h>

typedef struct {
    const char *path; /* "/index.html", "/assets/index-3f2a.js" */
    const char *type; /* Content-Type */
    const unsigned char *data;
    size_t len;
    const unsigned char *gz; /* the gzip encoding, or length 0 when it would not be smaller */
    size_t gz_len;
} web_asset;

extern const web_asset web_assets[];

#endif
