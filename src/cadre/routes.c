/*
 * routes — the cadre mechanism's endpoints (干部监督预警). Every row names its permission: the
 * section's cadre.read (files, clues, 研判 lists, 资格审查; every read audited) and cadre.write
 * (cadres, sessions, responses, assessments, configuration), the member units'
 * cadre.clue.submit (submitting, naming a cadre, their own submissions' state; audited), the
 * leaders' cadre.warning.read (the warning list with explanations, no clue texts; audited),
 * and audit.read for "who looked at cadre X". Handlers check the cadre's unit and refuse one's
 * own file.
 */
#include "cadre/cadre_int.h"

const http_route cadre_routes[] = {
    {"GET", "/api/v1/cadre/meta", NULL, ROUTE_SIGNED_IN, api_cadre_meta},
    {"GET", "/api/v1/cadre/cadres", "cadre.read", ROUTE_LIST, api_cadre_list},
    {"GET", "/api/v1/cadre/cadres/export.xlsx", "cadre.read", ROUTE_LIST, api_cadre_list},
    {"POST", "/api/v1/cadre/cadres", "cadre.write", 0, api_cadre_create},
    {"GET", "/api/v1/cadre/cadres/{id}", "cadre.read", 0, api_cadre_get},
    {"GET", "/api/v1/cadre/cadres/{id}/reads", "audit.read", 0, api_cadre_reads},
    {"GET", "/api/v1/cadre/pick", "cadre.clue.submit", ROUTE_LIST, api_cadre_pick},
    {"POST", "/api/v1/cadre/clues", "cadre.clue.submit", 0, api_cadre_clue_submit},
    {"GET", "/api/v1/cadre/submissions", "cadre.clue.submit", ROUTE_LIST, api_cadre_submissions},
    {"GET", "/api/v1/cadre/clues", "cadre.read", ROUTE_LIST, api_cadre_clues},
    {"GET", "/api/v1/cadre/clues/export.xlsx", "cadre.read", ROUTE_LIST, api_cadre_clues},
    {"GET", "/api/v1/cadre/clues/{id}", "cadre.read", 0, api_cadre_clue_get},
    {"POST", "/api/v1/cadre/sessions", "cadre.write", 0, api_cadre_session_create},
    {"GET", "/api/v1/cadre/sessions", "cadre.read", ROUTE_LIST, api_cadre_sessions},
    {"POST", "/api/v1/cadre/responses", "cadre.write", 0, api_cadre_response_create},
    {"POST", "/api/v1/cadre/assessments", "cadre.write", 0, api_cadre_assessment_create},
    {"GET", "/api/v1/cadre/warnings", "cadre.warning.read", ROUTE_LIST, api_cadre_warnings},
    {"GET", "/api/v1/cadre/warnings/export.xlsx", "cadre.warning.read", ROUTE_LIST,
     api_cadre_warnings},
    {"GET", "/api/v1/cadre/config", "cadre.read", 0, api_cadre_config_get},
    {"PUT", "/api/v1/cadre/config", "cadre.write", 0, api_cadre_config_set},
    {"POST", "/api/v1/cadre/eligibility", "cadre.read", 0, api_cadre_eligibility},
    {"GET", "/api/v1/cadre/stats", "cadre.read", ROUTE_LIST, api_cadre_stats},
    {NULL, NULL, NULL, 0, NULL},
};
