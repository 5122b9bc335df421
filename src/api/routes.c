/*
 * routes — the cross-cutting endpoints: health, the session and the caller's own records
 * (password, tokens, notifications), attachment downloads (the item's mechanism decides) and
 * the audit log. Each mechanism lists its own endpoints in its routes.c; `duban routes` prints
 * them all, in the registration table's order, with their permissions.
 */
#include "api/api.h"

const http_route api_routes[] = {
    {"GET", "/healthz", NULL, ROUTE_PUBLIC, api_healthz},
    {"GET", "/api/v1/session", NULL, ROUTE_OPTIONAL_AUTH | ROUTE_PW_CHANGE, api_session_get},
    {"POST", "/api/v1/session", NULL, ROUTE_PUBLIC, api_session_create},
    {"DELETE", "/api/v1/session", NULL, ROUTE_PW_CHANGE | ROUTE_SIGNED_IN, api_session_delete},
    {"GET", "/api/v1/me", NULL, ROUTE_PW_CHANGE | ROUTE_SIGNED_IN, api_me},
    {"PUT", "/api/v1/me/password", NULL, ROUTE_PW_CHANGE | ROUTE_SIGNED_IN, api_me_password},
    {"GET", "/api/v1/me/sessions", NULL, ROUTE_SIGNED_IN, api_my_sessions},
    {"DELETE", "/api/v1/me/sessions", NULL, ROUTE_SIGNED_IN, api_my_sessions_end_others},
    {"DELETE", "/api/v1/me/sessions/{id}", NULL, ROUTE_SIGNED_IN, api_my_session_end},
    {"GET", "/api/v1/tokens", NULL, ROUTE_SIGNED_IN, api_tokens_list},
    {"POST", "/api/v1/tokens", NULL, ROUTE_SIGNED_IN, api_tokens_create},
    {"DELETE", "/api/v1/tokens/{id}", NULL, ROUTE_SIGNED_IN, api_tokens_delete},
    {"GET", "/api/v1/attachments/{id}", NULL, ROUTE_SIGNED_IN, api_attachments_get},
    {"GET", "/api/v1/notifications", NULL, ROUTE_PW_CHANGE | ROUTE_SIGNED_IN,
     api_notifications_list},
    {"POST", "/api/v1/notifications/read", NULL, ROUTE_SIGNED_IN, api_notifications_read},
    {"POST", "/api/v1/notifications/{id}/read", NULL, ROUTE_SIGNED_IN, api_notifications_read},
    {"GET", "/api/v1/audit", "audit.read", 0, api_audit_list},
    {"GET", "/api/v1/audit/verify", "audit.read", 0, api_audit_verify},
    {"GET", "/api/v1/audit/archive", "audit.read", 0, api_audit_archive},
    {"GET", "/api/v1/audit/disk", "audit.read", 0, api_audit_disk},
    {NULL, NULL, NULL, 0, NULL},
};

/* Any other GET outside /api/: the UI's built files, and its page for the UI's own paths. */
const http_route http_web_route = {"GET", "/*", NULL, ROUTE_PUBLIC, api_web};
