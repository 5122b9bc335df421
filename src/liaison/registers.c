/*
 * registers — the liaison mechanism's registers as data for the register engine (reg.c):
 * representative persons (统战对象), key enterprises (重点企业), contact assignments (联系交友),
 * stations of cadres in enterprises (驻厂员), alliances (党建联盟) with their teams, duty
 * rotation (支部轮值), meetings (联盟议事会、纾困解难会) and activities; and the rules each
 * register adds to the engine's checks (a category's own fields, a leader's least number of
 * contacts, members of the alliance).
 */
#include "liaison/liaison_int.h"

#include <string.h>

/* Column rows leave their trailing fields zero on purpose (no choices, no reference …). */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define N(a) (sizeof(a) / sizeof(a)[0])

static const char *text_of(json_t *row, const char *key)
{
    const char *s = json_string_value(json_object_get(row, key));
    return s ? s : "";
}

/* to (if given) is not before from, both YYYY-MM-DD. */
static err_code check_span(lctx *c, json_t *row, const char *from, const char *to)
{
    const char *a = text_of(row, from), *b = text_of(row, to);
    return *a && *b && strcmp(b, a) < 0 ? liaison_fail(c, E_LIAISON_END_EARLY, to) : E_OK;
}

/* ---- persons (统战对象) ---- */

static const char *const gender_codes[] = {"", "male", "female", NULL};
static const char *const gender_titles[] = {"", "男", "女"};
static const char *const congress_codes[] = {"", "npc", "cppcc", NULL};
static const char *const congress_titles[] = {"", "人大代表", "政协委员"};
static const char *const status_codes[] = {"found", "training", "selected", "used", NULL};
static const char *const status_titles[] = {"发现", "培养", "选拔", "使用"};

static const lcol person_cols[] = {
    {"category", "类别", LT_CODE, 1, 0, NULL, NULL, "liaison_category", 0, 1},
    {"name", "姓名", LT_TEXT, 1, 40},
    {"gender", "性别", LT_CHOICE, 0, 0, gender_codes, gender_titles, NULL, 0, 1},
    {"ethnicity", "民族", LT_TEXT, 0, 20},
    {"birth_date", "出生日期", LT_DATE, 0, 0, NULL, NULL, NULL, 1},
    {"education", "学历", LT_TEXT, 0, 20},
    {"employer", "工作单位", LT_TEXT, 0, 100},
    {"post", "职务", LT_TEXT, 0, 60},
    {"party", "党派", LT_TEXT, 0, 20, NULL, NULL, NULL, 0, 1},
    {"recognized_on", "认定时间", LT_DATE, 0, 0, NULL, NULL, NULL, 1},
    {"stratum_kind", "新阶层类别", LT_TEXT, 0, 40, NULL, NULL, NULL, 0, 1},
    {"congress", "人大/政协", LT_CHOICE, 0, 0, congress_codes, congress_titles, NULL, 0, 1},
    {"term", "届次", LT_TEXT, 0, 20},
    {"elected_on", "当选时间", LT_DATE, 0, 0, NULL, NULL, NULL, 1},
    {"term_ends_on", "到届时间", LT_DATE},
    {"phone", "联系电话", LT_TEXT, 0, 30},
    {"address", "地址", LT_TEXT, 0, 200},
    {"status", "培养状态", LT_CHOICE, 0, 0, status_codes, status_titles, NULL, 0, 1},
    {"tags", "标签", LT_TEXT, 0, 200},
    {"note", "备注", LT_TEXT, 0, 1000},
};

/* A category's own field (party, 认定时间, 新阶层类别): required for it, refused for others. */
static err_code person_check(lctx *c, store_tx *tx, json_t *row)
{
    static const char attr_sql[] = "SELECT count(*) FROM liaison_category WHERE code = ?1"
                                   " AND attr = ?2";
    static const char choice_sql[] = "SELECT count(*) FROM liaison_choice WHERE list = ?1"
                                     " AND title = ?2";
    static const char *const attrs[] = {"party", "recognized_on", "stratum_kind"};
    const char *category = text_of(row, "category");
    for (size_t i = 0; i < N(attrs); i++) {
        sq_stmt *st = sq_prep(tx, attr_sql);
        sq_bind(st, "ss", category, attrs[i]);
        int64_t own = 0;
        err_code e = sq_count(tx, st, &own);
        if (e != E_OK) return e;
        const char *v = text_of(row, attrs[i]);
        if (own != (*v != 0)) return liaison_fail(c, E_LIAISON_CATEGORY_FIELD, attrs[i]);
        if (*v && i != 1) {
            st = sq_prep(tx, choice_sql);
            sq_bind(st, "ss", attrs[i], v);
            int64_t known = 0;
            e = sq_count(tx, st, &known);
            if (e != E_OK) return e;
            if (!known) return liaison_fail(c, E_FIELD_INVALID, attrs[i]);
        }
    }
    if (*text_of(row, "term") && !*text_of(row, "congress"))
        return liaison_fail(c, E_FIELD_REQUIRED, "congress");
    return check_span(c, row, "elected_on", "term_ends_on");
}

static const lreg person_reg = {
    .name = "person", .path = "persons", .table = "liaison_person", .title = "统战对象",
    .read_perm = "liaison.person", .cols = person_cols, .ncols = N(person_cols),
    .label = "name", .check = person_check,
};

/* ---- key enterprises (重点企业) ---- */

static const char *const ent_kind_codes[] = {"overseas", "taiwan", "private", "foreign", NULL};
static const char *const ent_kind_titles[] = {"侨资", "台资", "民营", "外资"};
static const char *const size_codes[] = {"small", "medium", "large", "micro", NULL};
static const char *const size_titles[] = {"小型", "中型", "大型", "微型"};

static const lcol enterprise_cols[] = {
    {"name", "企业名称", LT_TEXT, 1, 100},
    {"kind", "类型", LT_CHOICE, 1, 0, ent_kind_codes, ent_kind_titles, NULL, 0, 1},
    {"sector", "行业", LT_TEXT, 0, 40},
    {"size", "规模", LT_CHOICE, 0, 0, size_codes, size_titles, NULL, 0, 1},
    {"branch", "党组织", LT_TEXT, 0, 60},
    {"contact_name", "联系人", LT_TEXT, 0, 40},
    {"contact_phone", "联系电话", LT_TEXT, 0, 30},
    {"cadre_user_id", "联系干部", LT_USER, 0, 0, NULL, NULL, NULL, 0, 1},
    {"address", "地址", LT_TEXT, 0, 200},
};

static const lreg enterprise_reg = {
    .name = "enterprise", .path = "enterprises", .table = "liaison_enterprise",
    .title = "重点企业", .read_perm = "liaison.read", .cols = enterprise_cols,
    .ncols = N(enterprise_cols), .label = "name",
};

/* ---- contact assignments (联系交友) ---- */

static const char *const freq_codes[] = {"quarterly", "half_year", "year", "none", NULL};
static const char *const freq_titles[] = {"每季度", "每半年", "每年", "不定期"};

static const lcol assignment_cols[] = {
    {"cadre_user_id", "联系领导（干部）", LT_USER, 1, 0, NULL, NULL, NULL, 0, 1},
    {"leader", "是否领导", LT_FLAG, 0, 0, NULL, NULL, NULL, 0, 1},
    {"frequency", "走访频次", LT_CHOICE, 0, 0, freq_codes, freq_titles},
    {"festivals", "节前走访", LT_FLAG},
    {"starts_on", "开始日期", LT_DATE, 1},
    {"ends_on", "结束日期", LT_DATE},
    {"note", "备注", LT_TEXT, 0, 200},
};
static const llink assignment_links[] = {
    {"person_ids", "persons", "liaison_assignment_person", "person", "联系对象"},
    {"enterprise_ids", "enterprises", "liaison_assignment_enterprise", "enterprise", "联系企业"},
};

/* At least one contact; a leader at least the configured number (liaison_setting). */
static err_code assignment_check(lctx *c, store_tx *tx, json_t *row)
{
    size_t n = json_array_size(json_object_get(row, "person_ids")) +
               json_array_size(json_object_get(row, "enterprise_ids"));
    int64_t least = 1;
    err_code e = E_OK;
    if (json_integer_value(json_object_get(row, "leader")))
        e = liaison_setting_get(tx, "leader_min_targets", 2, &least);
    if (e != E_OK) return e;
    if ((int64_t)n < least) return liaison_fail(c, E_LIAISON_TOO_FEW, "person_ids");
    return check_span(c, row, "starts_on", "ends_on");
}

static const lreg assignment_reg = {
    .name = "assignment", .path = "assignments", .table = "liaison_assignment",
    .title = "联系交友", .read_perm = "liaison.read", .cols = assignment_cols,
    .ncols = N(assignment_cols), .links = assignment_links, .nlinks = N(assignment_links),
    .label = "note", .check = assignment_check,
};

/* ---- 驻厂员 ---- */

static const lcol station_cols[] = {
    {"cadre_user_id", "驻厂干部", LT_USER, 1, 0, NULL, NULL, NULL, 0, 1},
    {"starts_on", "开始日期", LT_DATE, 1},
    {"ends_on", "结束日期", LT_DATE, 1},
    {"note", "备注", LT_TEXT, 0, 200},
};
static const llink station_links[] = {
    {"enterprise_ids", "enterprises", "liaison_station_enterprise", "enterprise", "进驻企业"},
};

static err_code station_check(lctx *c, store_tx *tx, json_t *row)
{
    if (json_array_size(json_object_get(row, "enterprise_ids")) == 0)
        return liaison_fail(c, E_LIAISON_TOO_FEW, "enterprise_ids");
    return check_span(c, row, "starts_on", "ends_on");
}

static const lreg station_reg = {
    .name = "station", .path = "stations", .table = "liaison_station", .title = "驻厂员",
    .read_perm = "liaison.read", .cols = station_cols, .ncols = N(station_cols),
    .links = station_links, .nlinks = N(station_links), .label = "note",
    .check = station_check,
};

/* ---- alliances (党建联盟) ---- */

static const lcol alliance_cols[] = {
    {"name", "联盟名称", LT_TEXT, 1, 60},
    {"model", "工作体系", LT_TEXT, 0, 20},
    {"core", "联盟核心", LT_TEXT, 0, 100},
    {"lead_enterprise_id", "链主企业", LT_REF, 0, 0, NULL, NULL, "enterprise"},
    {"base", "共享阵地", LT_TEXT, 0, 200},
    {"goals", "工作目标", LT_TEXT, 0, 1000},
};
static const llink alliance_links[] = {
    {"enterprise_ids", "enterprises", "liaison_alliance_enterprise", "enterprise", "成员企业"},
    {"dept_ids", "depts", "liaison_alliance_dept", "unit", "联建部门"},
};

/* Every id of row[key] is counted by sql: ?1 the owner and ?2 the id, or (owner 0) ?1 the id. */
static err_code all_within(lctx *c, store_tx *tx, json_t *row, const char *key, const char *sql,
                           int64_t owner)
{
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(row, key), i, x)
    {
        int64_t n = 0;
        sq_stmt *st = sq_prep(tx, sql);
        if (owner) sq_bind(st, "ii", owner, (int64_t)json_integer_value(x));
        else sq_bind(st, "i", (int64_t)json_integer_value(x));
        err_code e = sq_count(tx, st, &n);
        if (e != E_OK) return e;
        if (!n) return liaison_fail(c, E_LIAISON_NOT_MEMBER, key);
    }
    return E_OK;
}

/* The lead enterprise is a member; the N are departments. */
static err_code alliance_check(lctx *c, store_tx *tx, json_t *row)
{
    static const char dept_sql[] = "SELECT count(*) FROM unit WHERE id = ?1"
                                   " AND kind = 'department'";
    json_t *lead = json_object_get(row, "lead_enterprise_id");
    json_t *members = json_object_get(row, "enterprise_ids");
    if (json_is_integer(lead) && members) {
        size_t i;
        json_t *x;
        int found = 0;
        json_array_foreach(members, i, x) found |= json_integer_value(x) == json_integer_value(lead);
        if (!found) return liaison_fail(c, E_LIAISON_NOT_MEMBER, "lead_enterprise_id");
    }
    return all_within(c, tx, row, "dept_ids", dept_sql, 0);
}

static const lreg alliance_reg = {
    .name = "alliance", .path = "alliances", .table = "liaison_alliance", .title = "党建联盟",
    .read_perm = "liaison.read", .cols = alliance_cols, .ncols = N(alliance_cols),
    .links = alliance_links, .nlinks = N(alliance_links), .label = "name",
    .check = alliance_check,
};

static const char member_sql[] = "SELECT count(*) FROM liaison_alliance_enterprise"
                                 " WHERE owner_id = ?1 AND ref_id = ?2";
static const char dept_member_sql[] = "SELECT count(*) FROM liaison_alliance_dept"
                                      " WHERE owner_id = ?1 AND ref_id = ?2";

static int64_t alliance_of(json_t *row)
{
    return json_integer_value(json_object_get(row, "alliance_id"));
}

/* ---- teams (三支队伍) ---- */

static const char *const team_codes[] = {"liaison", "guide", "volunteer", NULL};
static const char *const team_titles[] = {"企业联络员", "党建指导员", "志愿服务队"};

static const lcol team_cols[] = {
    {"alliance_id", "联盟", LT_REF, 1, 0, NULL, NULL, "alliance", 0, 1},
    {"kind", "队伍", LT_CHOICE, 1, 0, team_codes, team_titles, NULL, 0, 1},
    {"name", "名称", LT_TEXT, 1, 60},
    {"leader", "负责人", LT_TEXT, 0, 40},
    {"members", "成员", LT_TEXT, 0, 1000},
};

static const lreg team_reg = {
    .name = "team", .path = "teams", .table = "liaison_team", .title = "联盟队伍",
    .read_perm = "liaison.read", .parent = "alliance", .cols = team_cols,
    .ncols = N(team_cols), .label = "name",
};

/* ---- 支部轮值 ---- */

static const lcol rotation_cols[] = {
    {"alliance_id", "联盟", LT_REF, 1, 0, NULL, NULL, "alliance", 0, 1},
    {"month", "月份", LT_MONTH, 1},
    {"enterprise_id", "轮值企业", LT_REF, 1, 0, NULL, NULL, "enterprise"},
    {"theme", "轮值主题", LT_TEXT, 0, 200},
};

static err_code rotation_check(lctx *c, store_tx *tx, json_t *row)
{
    json_t *one = json_pack("{s[O]}", "x", json_object_get(row, "enterprise_id"));
    err_code e = all_within(c, tx, one, "x", member_sql, alliance_of(row));
    json_decref(one);
    if (e == E_LIAISON_NOT_MEMBER) *c->bad_field = "enterprise_id";
    return e;
}

static const lreg rotation_reg = {
    .name = "rotation", .path = "rotations", .table = "liaison_rotation", .title = "支部轮值",
    .read_perm = "liaison.read", .parent = "alliance", .cols = rotation_cols,
    .ncols = N(rotation_cols), .label = "month", .check = rotation_check,
};

/* ---- meetings (联盟议事会、纾困解难会) ---- */

static const char *const meeting_codes[] = {"council", "relief", NULL};
static const char *const meeting_titles[] = {"联盟议事会", "纾困解难会"};

static const lcol meeting_cols[] = {
    {"alliance_id", "联盟", LT_REF, 1, 0, NULL, NULL, "alliance", 0, 1},
    {"kind", "会议类型", LT_CHOICE, 1, 0, meeting_codes, meeting_titles, NULL, 0, 1},
    {"held_on", "召开日期", LT_DATE, 1, 0, NULL, NULL, NULL, 1},
    {"topic", "议题", LT_TEXT, 1, 100},
    {"place", "地点", LT_TEXT, 0, 100},
    {"attendees", "参会人员", LT_TEXT, 0, 1000},
    {"minutes", "会议纪要", LT_TEXT, 0, 4000},
};
static const llink meeting_links[] = {
    {"enterprise_ids", "enterprises", "liaison_meeting_enterprise", "enterprise", "参会企业"},
    {"dept_ids", "depts", "liaison_meeting_dept", "unit", "参会部门"},
};

/* Those present are the alliance's own members and departments. */
static err_code meeting_check(lctx *c, store_tx *tx, json_t *row)
{
    err_code e = all_within(c, tx, row, "enterprise_ids", member_sql, alliance_of(row));
    return e == E_OK ? all_within(c, tx, row, "dept_ids", dept_member_sql, alliance_of(row)) : e;
}

static const lreg meeting_reg = {
    .name = "meeting", .path = "meetings", .table = "liaison_meeting", .title = "联盟会议",
    .read_perm = "liaison.read", .parent = "alliance", .cols = meeting_cols,
    .ncols = N(meeting_cols), .links = meeting_links, .nlinks = N(meeting_links),
    .label = "topic", .date = "held_on", .check = meeting_check,
};

/* ---- activities ---- */

const char *const liaison_activity_codes[] = {
    "party_education", "forum",    "enterprise_service", "skills",  "talent",  "mutual_check",
    "needy_visit",     "fellowship", "training",         "tongxin", "xinlian", NULL};
const char *const liaison_activity_titles[] = {
    "党性教育", "座谈交流", "助企服务", "技能竞赛", "人才招引",  "党建工作互查",
    "走访困难党员", "联谊活动", "培训", "同心活动", "新联会活动"};

static const lcol activity_cols[] = {
    {"alliance_id", "联盟", LT_REF, 0, 0, NULL, NULL, "alliance", 0, 1},
    {"kind", "活动类型", LT_CHOICE, 1, 0, liaison_activity_codes, liaison_activity_titles, NULL, 0,
     1},
    {"held_on", "日期", LT_DATE, 1, 0, NULL, NULL, NULL, 1},
    {"title", "活动名称", LT_TEXT, 1, 100},
    {"place", "地点", LT_TEXT, 0, 100},
    {"participants", "参加人数", LT_INT, 0, 100000},
    {"talents", "引进人才", LT_INT, 0, 10000},
    {"result", "成效", LT_TEXT, 0, 1000},
};

static const lreg activity_reg = {
    .name = "activity", .path = "activities", .table = "liaison_activity", .title = "活动",
    .read_perm = "liaison.read", .cols = activity_cols, .ncols = N(activity_cols),
    .label = "title", .date = "held_on",
};

const lreg *const liaison_regs[] = {
    &person_reg,   &enterprise_reg, &assignment_reg, &station_reg, &alliance_reg,
    &team_reg,     &rotation_reg,   &meeting_reg,    &activity_reg, NULL,
};
