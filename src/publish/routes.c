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
    {"GET", "/api/v1/publish/outlets", "publish.read", ROUTE_LIST, api_publish_outlets},
    {"GET", "/api/v1/publish/outlets/export.xlsx", "publish.read", ROUTE_LIST, api_publish_outlets},
    {"POST", "/api/v1/publish/outlets", "publish.write", 0, api_publish_outlet_create},
    {"GET", "/api/v1/publish/outlets/{id}", "publish.read", 0, api_publish_outlet_get},
    {"POST", "/api/v1/publish/outlets/{id}/filings", "publish.write", 0, api_publish_outlet_filing},
    {"PUT", "/api/v1/publish/outlets/{id}/activity", "publish.write", 0, api_publish_outlet_activity},
    {"POST", "/api/v1/publish/outlets/{id}/checks", "publish.approve", 0, api_publish_outlet_check},
    {"GET", "/api/v1/publish/filings", "publish.approve", ROUTE_LIST, api_publish_filings},
    {"POST", "/api/v1/publish/filings/{id}/decide", "publish.approve", 0, api_publish_filing_decide},
    {"GET", "/api/v1/publish/settings", "publish.read", 0, api_publish_settings},
    {"PUT", "/api/v1/publish/settings", "publish.lists", 0, api_publish_settings_put},
    {"GET", "/api/v1/publish/stats", "publish.read", ROUTE_LIST, api_publish_stats},
    {NULL, NULL, NULL, 0, NULL},
};
