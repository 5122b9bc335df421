/* health — /healthz for probes and load balancers. */
#include "api/api.h"

err_code api_healthz(http_req *r)
{
    return http_reply(r, 200, json_pack("{ss ss}", "status", "ok", "version", DUBAN_VERSION));
}
