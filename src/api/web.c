/*
 * web — serves the browser UI (web/, built by Vite) from the files compiled into the binary.
 *
 * "/" and every path of the UI's own router get index.html, so a bookmarked or reloaded page
 * opens; files under /assets/ have content-hashed names and may be cached for good; anything
 * else that names a file and is not there is a 404. Clients that accept gzip get the
 * precompressed copy. A binary built without the UI serves a short page saying so.
 */
#include "api/api.h"
#include "api/web_assets.h"

#include <string.h>

static const char NOT_BUILT[] =
    "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
    "<title>督办 duban</title></head><body>"
    "<h1>督办 duban</h1><p>服务运行正常，但此程序构建时未包含浏览器界面。"
    "请在源码目录执行 <code>make</code>（会先构建 web/ 下的界面）后重新启动。</p>"
    "</body></html>";

static const web_asset *find_asset(const char *path)
{
    for (const web_asset *w = web_assets; w->path; w++)
        if (strcmp(w->path, path) == 0) return w;
    return NULL;
}

static int accepts_gzip(http_req *r)
{
    const char *ae = http_header(r, "Accept-Encoding");
    return ae && strstr(ae, "gzip") != NULL;
}

static err_code reply_asset(http_req *r, const web_asset *w, int immutable)
{
    if (w->gz_len && accepts_gzip(r)) {
        http_add_header(r, "Content-Encoding", "gzip");
        http_add_header(r, "Vary", "Accept-Encoding");
        return http_reply_static(r, w->type, w->gz, w->gz_len, immutable);
    }
    return http_reply_static(r, w->type, w->data, w->len, immutable);
}

/* A path naming a file (its last segment has a dot), as opposed to a page of the UI. */
static int names_file(const char *path)
{
    const char *last = strrchr(path, '/');
    return strchr(last ? last : path, '.') != NULL;
}

err_code api_web(http_req *r)
{
    const char *path = http_path(r);
    const web_asset *w = strcmp(path, "/") == 0 ? NULL : find_asset(path);
    if (w) return reply_asset(r, w, strncmp(path, "/assets/", 8) == 0);
    if (names_file(path) || strncmp(path, "/assets/", 8) == 0) return E_ROUTE_NOT_FOUND;
    const web_asset *index = find_asset("/index.html");
    if (!index)
        return http_reply_static(r, "text/html; charset=utf-8", NOT_BUILT, sizeof NOT_BUILT - 1, 0);
    return reply_asset(r, index, 0);
}
