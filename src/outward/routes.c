/*
 * routes — the outbound mechanism's endpoints: a unit's channels (钉钉, 企业微信, e-mail) with
 * their test send, rules per notification kind, the outbox and its dead letters, one's own
 * contact addresses, and 催办 on problems with its figures. Every row names its permission;
 * the handlers check the object's unit.
 */
#include "outward/outward_int.h"

const http_route outward_routes[] = {
    {"GET", "/api/v1/outward/channels", "notify.admin", ROUTE_LIST, api_outward_channels},
    {"POST", "/api/v1/outward/channels", "notify.admin", 0, api_outward_channel_create},
    {"PATCH", "/api/v1/outward/channels/{id}", "notify.admin", 0, api_outward_channel_update},
    {"POST", "/api/v1/outward/channels/{id}/test", "notify.admin", 0, api_outward_channel_test},
    {"GET", "/api/v1/outward/rules", "notify.admin", 0, api_outward_rules},
    {"PUT", "/api/v1/outward/rules", "notify.admin", 0, api_outward_rule_set},
    {"GET", "/api/v1/outward/outbox", "notify.admin", ROUTE_LIST, api_outward_outbox},
    {"POST", "/api/v1/outward/outbox/{id}/retry", "notify.admin", 0, api_outward_outbox_retry},
    {"GET", "/api/v1/outward/contact", NULL, ROUTE_SIGNED_IN, api_outward_contact_get},
    {"PUT", "/api/v1/outward/contact", NULL, ROUTE_SIGNED_IN, api_outward_contact_set},
    {"POST", "/api/v1/problems/{id}/urge", "notify.urge", 0, api_outward_urge},
    {"GET", "/api/v1/problems/{id}/urges", "problem.read", 0, api_outward_urges},
    {"GET", "/api/v1/outward/urges/stats", "problem.read", ROUTE_LIST, api_outward_urge_stats},
    {NULL, NULL, NULL, 0, NULL},
};
