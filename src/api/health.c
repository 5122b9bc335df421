/* health — /healthz for probes, and the home page until the browser UI is served. */
#include "api/api.h"

#include <string.h>

err_code api_healthz(http_req *r)
{
    return http_reply(r, 200, json_pack("{ss ss}", "status", "ok", "version", DUBAN_VERSION));
}

static const char HOME[] =
    "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
    "<title>督办 duban</title></head><body>"
    "<h1>督办 duban</h1><p>服务运行正常。浏览器界面尚在建设中；"
    "当前可通过命令行 <code>duban --help</code> 和接口 <code>/api/v1/</code> 使用。</p>"
    "</body></html>";

err_code api_home(http_req *r)
{
    return http_reply_raw(r, 200, "text/html; charset=utf-8", HOME, strlen(HOME));
}
