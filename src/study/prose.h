/*
 * prose — study and outreach figures written the way the county's own reports write them.
 *
 * Reports on 理论学习 and 宣讲 do not print raw counts: "开展学习1300余次", "受众20万余人次",
 * "形成调研报告和理论文章30余篇". This module turns counts into those phrases (prose_count),
 * a date range into the period phrase that opens such a paragraph ("2023年以来", "2024年1月至6月",
 * prose_period), and a unit subtree's figures into the paragraph itself (prose_summary). It is
 * pure: no store, no clock; every string comes from the caller's arena.
 */
#ifndef DUBAN_PROSE_H
#define DUBAN_PROSE_H

#include "base/mem.h"

#include <stdint.h>

/*
 * A count as such reports write it: below 1000 exact ("764"); 1000–9999 floored to hundreds,
 * with 余 when something was cut ("1300余"; "5000" when exact); 10000 and more in 万, floored,
 * with 余 when something was cut ("20万余", "100万"); with approx=1 also 10–999 floored to tens
 * with 余 ("30余") — for fuzzy counts like articles. Negative → "0". The string is in a.
 */
const char *prose_count(arena *a, int64_t n, int approx);

typedef struct {
    /* "2023年以来", "2024年", "2024年1月至6月" (from prose_period); NULL or "" to omit it */
    const char *period;
    /* "全县" for the county root, else the unit's name, e.g. "柴胡店镇" */
    const char *scope;
    /* the scope unit's own group, e.g. "县委理论学习中心组" or "柴胡店镇党委理论学习中心组";
     * NULL → "理论学习中心组" */
    const char *top_group;
    int64_t top_sessions, top_discussions; /* 中心组 sessions / 研讨 of the scope unit itself */
    int64_t group_sessions;                /* 中心组 sessions of all levels in the subtree */
    int64_t discussions;      /* 集中交流研讨 (category discussion) in the subtree */
    int64_t member_lecturers; /* ordinary party members who gave a 党课 */
    int64_t outreach_events, audience;
    int64_t outputs; /* 调研报告和理论文章 (written approximately: "30余篇") */
    int64_t site_visits, visitors; /* 红色教育基地 visits and visitors */
} prose_input;

/*
 * The paragraph, e.g. for the county:
 *   "2023年以来，全县开展县委理论学习中心组学习16次、研讨13次；全县各级理论学习中心组开展学习
 *    1300余次，开展集中交流研讨764场，136名普通党员上讲台讲党课；开展宣讲活动5000余场次，受众
 *    20万余人次；组织党员群众到红色教育基地参观学习12次，受教育4000余人次；形成调研报告和理论
 *    文章30余篇。"
 * Clauses whose counts are zero are left out with their separators; the first clause always
 * names period and scope. When top_group starts with the scope's name (a township's
 * "柴胡店镇党委理论学习中心组") it is the subject itself ("柴胡店镇党委理论学习中心组开展学习
 * 16次、研讨13次"), and a township's subtree reads "全镇各级理论学习中心组" once the scope has
 * been named (全乡, 全街道 likewise; other units keep their name). Everything zero:
 * "<period>，<scope>暂无学习宣讲活动记录。" The string is in a.
 */
const char *prose_summary(arena *a, const prose_input *in);

/*
 * The period phrase for the dates [from, to] ("YYYY-MM-DD" each; either may be NULL) seen on
 * today ("YYYY-MM-DD", required):
 *   both NULL                                → "截至2024年6月30日" (today)
 *   to only (from NULL)                      → "截至<to>", e.g. "截至2024年6月30日"
 *   to NULL or today: from Jan 1 / 1st / else → "2023年以来" / "2024年3月以来" / "2024年3月5日以来"
 *                                              (unless the range is whole calendar years)
 *   whole calendar years                     → "2024年", "2023年至2024年"
 *   a single whole month                     → "2024年2月"
 *   whole months                             → "2024年1月至6月", "2023年10月至2024年3月"
 *   anything else                            → "2024年3月5日至6月20日",
 *                                              "2023年12月5日至2024年1月20日",
 *                                              a single day "2024年3月5日"
 * NULL when a date does not parse or from is after to. The string is in a.
 */
const char *prose_period(arena *a, const char *from, const char *to, const char *today);

#endif
