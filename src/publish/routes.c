/*
 * routes — the publishing review's endpoints. Each row names its permission (checked by the
 * server as "held over some unit"); the handlers check the draft's unit, and the 三审 level's
 * own permission (publish.review1/2/3) over it. The term lists are county-wide: reading them
 * needs publish.read, replacing one publish.lists.
 */
#include "publish/publish_int.h"

const http_route publish_routes[] = {
    {"GET", "/api/v1/publish/lists", "publish.read", 0, api_publish_lists},
    {"PUT", "/api/v1/publish/lists/{name}", "publish.lists", 0, api_publish_list_put},
    {"POST", "/api/v1/publish/scan", "publish.read", 0, api_publish_scan},
    {"GET", "/api/v1/publish/drafts", "publish.read", ROUTE_LIST, api_publish_drafts},
    {"GET", "/api/v1/publish/drafts/export.xlsx", "publish.read", ROUTE_LIST, api_publish_drafts},
    {"POST", "/api/v1/publish/drafts", "publish.write", 0, api_publish_draft_create},
    {"GET", "/api/v1/publish/drafts/{id}", "publish.read", 0, api_publish_draft_get},
    {"PATCH", "/api/v1/publish/drafts/{id}", "publish.write", 0, api_publish_draft_update},
    {"POST", "/api/v1/publish/drafts/{id}/submit", "publish.write", 0, api_publish_draft_submit},
    {"POST", "/api/v1/publish/drafts/{id}/review", "publish.read", 0, api_publish_draft_review},
    {"POST", "/api/v1/publish/drafts/{id}/publish", "publish.write", 0, api_publish_draft_publish},
    {"POST", "/api/v1/publish/drafts/{id}/withdraw", "publish.read", 0, api_publish_draft_withdraw},
    {NULL, NULL, NULL, 0, NULL},
};
