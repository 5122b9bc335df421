/*
 * score — the warning score with its contributions, the count rule, and impact periods (see
 * cadre.h). Pure: the handlers give it the records and the configuration read from the store.
 */
#include "cadre/cadre.h"

#include <math.h>
#include <string.h>

int64_t cadre_mul(int64_t a, int64_t b)
{
    return (a * b + 500) / 1000;
}

const char *cadre_level_code(int level)
{
    static const char *const c[] = {"", "blue", "yellow", "red"};
    return level >= 0 && level <= 3 ? c[level] : "";
}

const char *cadre_level_title(int level)
{
    static const char *const c[] = {"无", "蓝色", "黄色", "红色"};
    return level >= 0 && level <= 3 ? c[level] : "";
}

void cadre_score(const cadre_config *cfg, const cadre_item *items, size_t n, cal_day today,
                 cadre_contrib *contrib, cadre_result *out)
{
    memset(out, 0, sizeof *out);
    const char *sources[64];
    int nsrc = 0;
    for (size_t i = 0; i < n; i++) {
        cadre_contrib *c = &contrib[i];
        memset(c, 0, sizeof *c);
        int64_t age = (int64_t)today - items[i].day;
        if (age < 0 || age >= cfg->window_days) continue;
        c->counted = 1;
        double keep = cfg->half_life_days > 0 ? pow(0.5, (double)age / cfg->half_life_days) : 1;
        c->decay = (int64_t)llround(keep * 1000);
        c->points = cadre_mul(items[i].base, c->decay);
        out->score += c->points;
        if (items[i].is_clue && items[i].undisposed && age < cfg->count_days) {
            out->count_clues++;
            int seen = 0;
            for (int k = 0; k < nsrc; k++)
                if (strcmp(sources[k], items[i].source) == 0) seen = 1;
            if (!seen && nsrc < 64) sources[nsrc++] = items[i].source;
        }
    }
    out->count_sources = nsrc;
    if (out->score >= cfg->level_red) out->level = CADRE_RED;
    else if (out->score >= cfg->level_yellow) out->level = CADRE_YELLOW;
    else if (out->score >= cfg->level_blue) out->level = CADRE_BLUE;
    out->count_met = cfg->count_clues > 0 && out->count_clues >= cfg->count_clues &&
                     out->count_sources >= cfg->count_sources;
    if (out->count_met && out->level < CADRE_YELLOW) {
        out->level = CADRE_YELLOW;
        out->by_count = 1;
    }
}

cal_day cadre_impact_end(cal_day decided_on, int months)
{
    return months > 0 ? cal_add_months(decided_on, months) : decided_on;
}

int cadre_in_impact(cal_day decided_on, int months, cal_day day)
{
    return day >= decided_on && day < cadre_impact_end(decided_on, months);
}
