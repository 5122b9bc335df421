/*
 * names — what the problem list's audit objects are called ("problem:12" → its title and
 * lead unit), so the audit administrator reads "将问题《…》交办给 大柳镇" rather than an id.
 * Only for audit.read over the county (api_audit_names checks it).
 */
#include "problem/problem_int.h"

static json_t *problem_name(store_tx *tx, arena *a, const char *kind, int64_t id, int64_t *page)
{
    (void)kind;
    (void)page;
    store_problem p;
    if (store_problem_get(tx, a, id, &p) != E_OK) return NULL;
    return json_pack("{ss ss}", "title", p.title, "unit_name", p.unit_name);
}

err_code api_problems_names(http_req *r)
{
    static const char *const kinds[] = {"problem", NULL};
    return api_audit_names(r, kinds, problem_name);
}
