/*
 * mech — the feeds mechanism's descriptor (#17 items 5–7: calendar feeds, the public results
 * page, the working-day calendar kept current): its permission (making a problem public), its
 * routes and its part of the scheduler (asking administrators for next year's holiday notice,
 * counting estimated deadlines again when a year arrives).
 */
#include "feeds/feeds_int.h"

#include <stdio.h>

static const perm_info perms[] = {
    {"problem.publish", "将问题整改结果设为公开（公开查询页面）", CLASS_NONE, 0},
    {NULL, NULL, CLASS_NONE, 0},
};

static err_code tick(app *ap, arena *a, int64_t now, char *summary, size_t n, int *acted)
{
    int asked = 0, recounted = 0;
    err_code e = feeds_calendar_tick(ap, a, now, &asked, &recounted);
    if (e != E_OK) return e;
    snprintf(summary, n, "%d asked for a holiday notice, %d deadlines counted again", asked,
             recounted);
    *acted = asked || recounted;
    return E_OK;
}

const mech feeds_mech = {
    .name = "feeds",
    .title = "日历订阅与结果公开",
    .perms = perms,
    .routes = feeds_routes,
    .tick = tick,
    .demo = feeds_demo,
};
