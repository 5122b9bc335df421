/*
 * demo — the study registry's part of `duban demo` (demo/demo.h), at the seed's
 * scale: all levels' 中心组 held "1300余次", "集中交流研讨764场", "136名普通党员上讲台讲党课",
 * "开展宣讲活动5000余场次，受众20万余人次", "调研报告和理论文章30余篇" a year.
 *
 * What a county sets up once — 党支部 and their fixed days, accounts, brands, teams, education
 * sites, yearly plans — and what observers and units do with feedback goes through the domain
 * (study.h, org.h, access.h), one change per transaction with its own check and audit record,
 * as the problem part of the demo does.
 *
 * The bulk — persons, ~8000 activities with their attendance, reflections, outputs, site
 * visits — is a batched path: one write transaction per month of records, written with the
 * store functions and audited by one `study.demo.import` record per batch with its counts
 * (thousands of single transactions, each with an fsync, would make the demo several times
 * slower). The batch checks what the domain would check of typed input that generated data
 * could get wrong — texts by the same rule (text_check_field), no date in the future, kinds
 * and ranks known, an attendee within the activity's unit, an absence with its reason — and
 * stamps each record with the time it was entered (the evening of the day it happened).
 */
#include "study/study_int.h"

#include "demo/demo.h"

#include "access/access.h"
#include "base/clock.h"
#include "base/text.h"
#include "flow/calendar.h"
#include "org/org.h"
#include "study/study.h"

#include <stdlib.h>
#include <string.h>

/* The study part draws from its own random source, so the problems' do not shift with it. */
typedef demo_rng rng;
#define below demo_below

/* ---- vocabulary ---- */

static const char *const surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高",
    "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "程",
    "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁",
    "魏", "薛", "叶", "阎", "潘", "杜", "戴", "夏", "田", "姜", "范", "石", "姚", "崔", "孟",
};
static const char *const given[] = {
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
    "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "兰", "萍", "红", "建", "国",
    "志", "文", "斌", "海", "波", "宁", "津", "德", "福", "庆", "春", "雪", "梅", "晓", "东",
    "立", "新", "鹏", "飞", "宇", "浩", "俊", "峰", "云", "鑫", "凤", "琳", "忠", "振", "爱",
};
#define COUNT(x) ((int)(sizeof(x) / sizeof((x)[0])))

/* The county's theme of each month (专题), by year; the plans and the sessions follow it. */
static const char *theme(int year, int month)
{
    static const char *const y2024[12] = {
        "学习贯彻党的二十大精神",         "学习贯彻党的二十大精神",
        "学习贯彻全国两会精神",           "党纪学习教育：学习《中国共产党纪律处分条例》",
        "党纪学习教育：以案促改",         "党纪学习教育：警示教育",
        "党纪学习教育：学纪知纪明纪守纪", "学习贯彻党的二十届三中全会精神",
        "学习贯彻党的二十届三中全会精神", "推动高质量发展",
        "学习贯彻党的二十届三中全会精神", "防范化解重大风险",
    };
    static const char *const y2025[12] = {
        "学习贯彻中央经济工作会议精神",
        "推动高质量发展",
        "深入贯彻中央八项规定精神学习教育",
        "深入贯彻中央八项规定精神学习教育",
        "深入贯彻中央八项规定精神学习教育",
        "深入贯彻中央八项规定精神学习教育",
        "学习贯彻习近平总书记视察山东重要讲话精神",
        "全面推进乡村振兴",
        "安全生产与防灾减灾",
        "推动高质量发展",
        "学习贯彻党的二十届四中全会精神",
        "学习贯彻党的二十届四中全会精神",
    };
    static const char *const y2026[12] = {
        "学习贯彻党的二十届四中全会精神",
        "学习贯彻全国两会精神",
        "谋划“十五五”高质量发展",
        "学习贯彻党的二十大精神",
        "全面推进乡村振兴",
        "抓党建促基层治理",
        "学习贯彻党章",
        "推动高质量发展",
        "安全生产与防灾减灾",
        "铸牢中华民族共同体意识",
        "优化营商环境",
        "学习贯彻党的二十届四中全会精神",
    };
    const char *const *t = year <= 2024 ? y2024 : year == 2025 ? y2025 : y2026;
    return t[(month - 1) % 12];
}

static const char *const absence_reasons[] = {"出差", "病假", "参加上级会议", "下村督导", "事假"};
static const char *const reflections[] = {
    "通过本次学习，进一步深化了对%s的理解，要把学习成果转化为推动工作的实际成效。",
    "聆听领学后深受启发，将结合分管工作，对照%s查摆不足，抓好整改落实。",
    "本次围绕%s的学习交流让我认识到，理论学习必须联系实际、学以致用。",
    "要把%s的要求落实到为群众办实事中去，在岗位上当好表率。",
};
static const char *const places[] = {"党群服务中心", "解忧小院",   "田园党校", "农家书屋",
                                     "文化广场",     "村委会议室", "企业车间", "新时代文明实践站"};

/* What the study part wrote, for its lines in the demo's output. */
typedef struct {
    int sessions, center_group, seminars, lectures, member_lecturers, outreach, persons, branches,
        reflections, outputs, plans, observations, feedback_open, feedback_overdue, site_visits;
    int64_t audience;
} demo_study_report;

/* ---- the people and units this part works with ---- */

enum { MAX_BRANCH = 32, MAX_CLERK = 16 };

typedef struct {
    int64_t id, unit_id;
    const char *name, *position, *rank;
    int party_member;
    int town; /* the township index, -1 for the county organs */
} dperson;

typedef struct {
    int64_t unit_id, plan_id[3]; /* plans of the three years the span touches, by year - y0 */
    const char *name;
    int town;         /* township index or -1 */
    int64_t clerk_id; /* the user recording for it */
    int first, count; /* its 乡科级/县处级 members in persons[]: the 中心组 */
} group;

typedef struct {
    int64_t unit_id, fixed_day;
    const char *name;
    int first, count; /* its members in persons[] */
    int town;
    int64_t clerk_id;
} branch;

typedef struct {
    app *ap;
    arena *a;
    const demo_options *opt;
    mech_demo_county *c;
    rng r;
    principal sys, observer;
    principal town_clerk[MAX_CLERK], county_clerk;
    int64_t root, today; /* today as cal_day */
    int y0;              /* the first year of the span */
    const demo_unit *towns, *depts;
    int ntown, ndept;
    int64_t village_ids[MAX_CLERK][DEMO_NVILLAGE];
    dperson *persons;
    int npersons, cap;
    group groups[64];
    int ngroups;
    branch branches[MAX_BRANCH];
    int nbranches;
    int64_t brand_ids[8], team_ids[8], site_ids[4];
    int team_first[8], team_count[8]; /* members: indexes into member_idx */
    int *member_idx, nmember_idx;
    char names_seen[1 << 16]; /* a hash set of names given, to keep them unique */
    demo_study_report *rep;
} ds;

/* ---- helpers ---- */

static unsigned fnv(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static const char *new_name(ds *d)
{
    for (;;) {
        const char *n = below(&d->r, 3) == 0
                            ? arena_sprintf(d->a, "%s%s", surnames[below(&d->r, COUNT(surnames))],
                                            given[below(&d->r, COUNT(given))])
                            : arena_sprintf(d->a, "%s%s%s", surnames[below(&d->r, COUNT(surnames))],
                                            given[below(&d->r, COUNT(given))],
                                            given[below(&d->r, COUNT(given))]);
        unsigned h = fnv(n) & 0xFFFFu, bit = 1u << (fnv(n) >> 29);
        /* a Bloom-like set of 8 bits per slot: a rare false "seen" just picks another name */
        if (d->names_seen[h] & bit) continue;
        d->names_seen[h] = (char)(d->names_seen[h] | bit);
        return n;
    }
}

static int add_person(ds *d, int64_t unit, const char *position, const char *rank, int party,
                      int town)
{
    if (d->npersons == d->cap)
        d->persons = xrealloc(d->persons,
                              (size_t)(d->cap = d->cap ? 2 * d->cap : 1024) * sizeof *d->persons);
    d->persons[d->npersons] = (dperson){0, unit, new_name(d), position, rank, party, town};
    return d->npersons++;
}

static const char *day_text(ds *d, cal_day day)
{
    char *s = arena_alloc(d->a, 11);
    cal_format(day, s);
    return s;
}

/* The evening of a day, as a time (Shanghai, UTC+8): when the day's records were entered. */
static int64_t evening(cal_day day)
{
    return (int64_t)day * 86400 + 10 * 3600; /* 18:00 local */
}

static int days_in_month(int y, int m)
{
    return (int)(cal_add_months(cal_from_ymd(y, m, 1), 1) - cal_from_ymd(y, m, 1));
}

/*
 * An account with a role over a unit's subtree, returned as a principal with its grants. An
 * account the problem part made already (xuanchuanbu01, 县委宣传部's handler) gains the role.
 */
static err_code account(ds *d, const char *login, const char *name, int64_t unit, const char *role,
                        int64_t scope, principal *out)
{
    return demo_account(d->c, login, name, unit, role, scope, out);
}

/* ---- units, accounts ---- */

/* Departments with a 党支部 of their own (index into the demo's departments). */
static const int branch_depts[] = {0, 2, 3, 6, 9, 10, 11, 12};

static err_code add_branch(ds *d, const char *code, const char *name, int64_t parent, int town,
                           int declared)
{
    org_unit_input in = {code, name, "branch", parent};
    store_unit u;
    const char *field;
    err_code e = org_unit_add(d->ap, d->a, &d->sys, &in, &u, &field);
    if (e != E_OK) return e;
    branch *b = &d->branches[d->nbranches++];
    *b = (branch){.unit_id = u.id, .name = name, .town = town};
    if (declared) {
        b->fixed_day = 5 + below(&d->r, 24); /* 5..28: every month has the day */
        e = study_branch_set(d->ap, d->a, &d->sys, u.id, b->fixed_day, &field);
    }
    return e;
}

static err_code build_units(ds *d)
{
    err_code e = E_OK;
    for (int t = 0; t < d->ntown; t++)
        for (int v = 0; v < DEMO_NVILLAGE; v++)
            d->village_ids[t][v] = d->c->villages[t][v].id;
    for (int t = 0; e == E_OK && t < d->ntown; t++)
        e = add_branch(d, arena_sprintf(d->a, "%s-dzb", d->towns[t].code),
                       arena_sprintf(d->a, "%s机关党支部", d->towns[t].name), d->towns[t].id, t,
                       t != 4 && t != 9); /* two townships have not declared a day */
    for (int i = 0; e == E_OK && i < COUNT(branch_depts); i++) {
        const demo_unit *u = &d->depts[branch_depts[i]];
        e = add_branch(d, arena_sprintf(d->a, "%s-dzb", u->code),
                       arena_sprintf(d->a, "%s党支部", u->name), u->id, -1, i != 5);
    }
    return e;
}

static err_code build_accounts(ds *d)
{
    err_code e = E_OK;
    const demo_unit *xcb = &d->depts[3]; /* 县委宣传部 */
    for (int t = 0; e == E_OK && t < d->ntown; t++)
        e = account(d, arena_sprintf(d->a, "%s_xx", d->towns[t].code), demo_staff_name(40 + t),
                    d->towns[t].id, "study_clerk", d->towns[t].id, &d->town_clerk[t]);
    if (e == E_OK)
        /* The account exists already (the problem demo's handler of 县委宣传部, staff 20 + 3). */
        e = account(d, "xuanchuanbu01", demo_staff_name(20 + 3), xcb->id, "study_clerk", d->root,
                    &d->county_clerk);
    if (e == E_OK)
        e = account(d, "liexi01", "李志华", d->depts[0].id, "study_observer", d->root,
                    &d->observer);
    return e;
}

/* ---- persons ---- */

static const char *const county_posts[] = {
    "县委书记",
    "县委副书记、县长",
    "县委副书记",
    "县委常委、常务副县长",
    "县委常委、组织部部长",
    "县委常委、宣传部部长",
    "县委常委、纪委书记、监委主任",
    "县委常委、政法委书记",
    "县委常委、统战部部长",
    "县委常委、县委办公室主任",
    "县人大常委会主任",
    "县政协主席",
    "副县长",
    "副县长",
    "副县长",
};
static const char *const town_posts[] = {"党委书记", "党委副书记、镇长", "党委副书记",
                                         "人大主席", "纪委书记",         "组织委员",
                                         "宣传委员", "副镇长",           "副镇长"};
static const char *const dept_posts[] = {"主要负责人", "副职", "副职"};

static group *add_group(ds *d, int64_t unit, const char *name, int town, int64_t clerk)
{
    group *g = &d->groups[d->ngroups++];
    *g = (group){
        .unit_id = unit, .name = name, .town = town, .clerk_id = clerk, .first = d->npersons};
    return g;
}

static void plan_persons(ds *d)
{
    group *g = add_group(d, d->root, "县委", -1, d->county_clerk.user_id);
    for (int i = 0; i < COUNT(county_posts); i++)
        add_person(d, d->root, county_posts[i], "县处级", 1, -1);
    g->count = d->npersons - g->first;
    for (int t = 0; t < d->ntown; t++) {
        int street = strstr(d->towns[t].name, "街道") != NULL;
        g = add_group(d, d->towns[t].id, d->towns[t].name, t, d->town_clerk[t].user_id);
        for (int i = 0; i < COUNT(town_posts); i++) {
            const char *post = town_posts[i];
            if (street && i == 0) post = "党工委书记";
            if (street && i == 1) post = "党工委副书记、办事处主任";
            if (street && i == 7) post = "办事处副主任";
            add_person(d, d->towns[t].id, post, "乡科级", 1, t);
        }
        g->count = d->npersons - g->first;
        for (int i = 0; i < 10; i++)
            add_person(d, d->towns[t].id, i < 3 ? "党政办工作人员" : "工作人员", "一般干部",
                       below(&d->r, 10) < 8, t);
        for (int v = 0; v < 4; v++) {
            add_person(d, d->village_ids[t][v], "村党支部书记", "普通党员", 1, t);
            for (int i = 0; i < 10; i++)
                add_person(d, d->village_ids[t][v], "党员", "普通党员", 1, t);
            for (int i = 0; i < 2; i++)
                add_person(d, d->village_ids[t][v], "村民代表", "群众", 0, t);
        }
    }
    for (int i = 0; i < d->ndept; i++) {
        g = add_group(d, d->depts[i].id, d->depts[i].name, -1, d->county_clerk.user_id);
        for (int k = 0; k < COUNT(dept_posts); k++)
            add_person(d, d->depts[i].id, dept_posts[k], "乡科级", 1, -1);
        g->count = d->npersons - g->first;
        for (int k = 0; k < 6; k++)
            add_person(d, d->depts[i].id, "工作人员", "一般干部", below(&d->r, 10) < 8, -1);
    }
    for (int b = 0; b < d->nbranches; b++) {
        branch *br = &d->branches[b];
        br->first = d->npersons;
        br->clerk_id = br->town >= 0 ? d->town_clerk[br->town].user_id : d->county_clerk.user_id;
        add_person(d, br->unit_id, "支部书记", "一般干部", 1, br->town);
        int n = br->town >= 0 ? 17 : 9;
        for (int i = 0; i < n; i++)
            add_person(d, br->unit_id, i == 0 ? "组织委员" : "党员", "普通党员", 1, br->town);
        br->count = d->npersons - br->first;
    }
}

/* ---- the batched path ---- */

typedef struct {
    ds *d;
    int64_t persons, activities, attendance, reflections, outputs, visits, audience;
    const char *label;
    void *work; /* what the batch writes */
    err_code (*fn)(store_tx *tx, void *batch);
} batch;

static err_code batch_fn(store_tx *tx, void *ctx)
{
    batch *b = ctx;
    err_code e = b->fn(tx, b);
    if (e != E_OK) return e;
    ds *d = b->d;
    return app_audit(d->ap, tx, d->a, &d->sys, "study.demo.import",
                     arena_sprintf(d->a, "study:demo:%s", b->label),
                     json_pack("{sI sI sI sI sI sI sI}", "persons", (json_int_t)b->persons,
                               "activities", (json_int_t)b->activities, "attendance",
                               (json_int_t)b->attendance, "reflections", (json_int_t)b->reflections,
                               "outputs", (json_int_t)b->outputs, "site_visits",
                               (json_int_t)b->visits, "audience", (json_int_t)b->audience));
}

static err_code run_batch(ds *d, const char *label, void *work, err_code (*fn)(store_tx *, void *))
{
    batch b = {.d = d, .label = label, .work = work, .fn = fn};
    err_code e = store_write(d->ap->st, batch_fn, &b);
    if (e == E_OK) {
        d->rep->reflections += (int)b.reflections;
        d->rep->outputs += (int)b.outputs;
        d->rep->site_visits += (int)b.visits;
    }
    return e;
}

static err_code persons_fn(store_tx *tx, void *ctx)
{
    batch *b = ctx;
    ds *d = b->d;
    int64_t now = clock_now();
    for (int i = 0; i < d->npersons; i++) {
        dperson *p = &d->persons[i];
        if (text_check_field(p->name, 40, 1) != E_OK || !study_rank_valid(p->rank))
            return E_INTERNAL;
        store_person x = {.unit_id = p->unit_id,
                          .name = p->name,
                          .position = p->position,
                          .rank = p->rank,
                          .party_member = p->party_member,
                          .created_at = now};
        err_code e = store_person_insert(tx, &x);
        if (e != E_OK) return e;
        p->id = x.id;
        b->persons++;
    }
    return E_OK;
}

/* A record of the study registry waiting in a month's batch. */
typedef struct {
    store_activity x;
    int att_first, att_count; /* persons[] range of the attendees, when att_count > 0 */
    int absent[2], nabsent;   /* attendees (offsets into the range) who were away */
    int not_shared;           /* an offset that was present and did not share, or -1 */
    int shared;               /* whether the present shared (branch sessions) */
    int reflections;          /* how many of the present wrote 心得体会 */
    int output;               /* 1 调研报告, 2 理论文章 linked to it */
    int64_t site;             /* a visit to this 红色教育基地 */
    int visit_only;           /* only the visit (x.unit_id, x.held_on, x.audience visitors) */
} rec;

typedef struct {
    rec *v;
    int n, cap;
} recs;

static rec *push(recs *rs)
{
    if (rs->n == rs->cap)
        rs->v = xrealloc(rs->v, (size_t)(rs->cap = rs->cap ? 2 * rs->cap : 256) * sizeof *rs->v);
    rec *r = &rs->v[rs->n++];
    memset(r, 0, sizeof *r);
    r->not_shared = -1;
    return r;
}

/* What the domain checks of an activity's typed input (study.c activity_fn), for a batch. */
static int activity_valid(ds *d, const store_activity *x)
{
    cal_day day;
    static const char *const kinds[] = {"center_group",   "seminar",   "field_study",
                                        "three_meetings", "party_day", "party_lecture",
                                        "outreach"};
    int kind_ok = 0;
    for (int i = 0; i < COUNT(kinds); i++)
        kind_ok |= strcmp(x->kind, kinds[i]) == 0;
    return kind_ok && cal_parse(x->held_on, &day) == 0 && day <= d->today &&
           text_check_field(x->topic, 200, 1) == E_OK &&
           text_check_field(x->lead_name, 40, 0) == E_OK &&
           text_check_field(x->place, 100, 0) == E_OK && x->audience >= 0 &&
           x->audience <= 10000000;
}

static err_code month_fn(store_tx *tx, void *ctx)
{
    batch *b = ctx;
    ds *d = b->d;
    recs *rs = b->work;
    store_attendance rows[64];
    for (int i = 0; i < rs->n; i++) {
        rec *r = &rs->v[i];
        cal_day day;
        cal_parse(r->x.held_on, &day);
        r->x.created_at = evening(day);
        if (!r->x.lead_name) r->x.lead_name = "";
        if (!r->x.place) r->x.place = "";
        if (!r->x.minutes) r->x.minutes = "";
        err_code e;
        if (r->visit_only) {
            store_outreach_row v = {.site_id = r->site,
                                    .unit_id = r->x.unit_id,
                                    .visited_on = r->x.held_on,
                                    .visitors = r->x.audience,
                                    .topic = r->x.topic,
                                    .created_at = r->x.created_at};
            if (day > d->today || r->x.audience < 0 || r->x.audience > 100000) return E_INTERNAL;
            if ((e = store_visit_insert(tx, &v)) != E_OK) return e;
            b->visits++;
            continue;
        }
        if (!activity_valid(d, &r->x)) return E_INTERNAL;
        e = store_activity_insert(tx, &r->x);
        if (e != E_OK) return e;
        b->activities++;
        b->audience += r->x.audience;
        int n = r->att_count < 64 ? r->att_count : 64, npresent = 0;
        for (int k = 0; k < n; k++) {
            int away = 0;
            for (int j = 0; j < r->nabsent; j++)
                away |= r->absent[j] == k;
            rows[k] = (store_attendance){
                .person_id = d->persons[r->att_first + k].id,
                .present = !away,
                .absence_reason = away ? absence_reasons[(i + k) % COUNT(absence_reasons)] : "",
                .shared = !away && r->shared && k != r->not_shared};
            npresent += !away;
        }
        if (n > 0) {
            e = store_attendance_set(tx, r->x.id, rows, (size_t)n);
            if (e != E_OK) return e;
            b->attendance += n;
        }
        for (int k = 0, written = 0; k < n && written < r->reflections && written < npresent; k++) {
            if (!rows[k].present) continue;
            store_reflection ref = {
                .activity_id = r->x.id,
                .person_id = rows[k].person_id,
                .text = arena_sprintf(d->a, reflections[(i + k) % COUNT(reflections)], r->x.topic),
                .created_by = r->x.created_by,
                .created_at = r->x.created_at + 86400};
            if ((e = store_reflection_insert(tx, &ref)) != E_OK) return e;
            b->reflections++, written++;
        }
        if (r->output) {
            const dperson *author = &d->persons[r->att_first + below(&d->r, n ? n : 1)];
            store_output o = {
                .unit_id = r->x.unit_id,
                .activity_id = r->x.id,
                .kind = r->output == 1 ? "调研报告" : "理论文章",
                .title = r->output == 1 ? arena_sprintf(d->a, "关于%s的调研报告", r->x.topic)
                                        : arena_sprintf(d->a, "以%s引领基层工作实践", r->x.topic),
                .author = n ? author->name : "",
                .published_on = r->x.held_on,
                .created_at = r->x.created_at};
            if ((e = store_output_insert(tx, &o)) != E_OK) return e;
            b->outputs++;
        }
        if (r->site) {
            store_outreach_row v = {.site_id = r->site,
                                    .unit_id = r->x.unit_id,
                                    .visited_on = r->x.held_on,
                                    .visitors = n ? n - r->nabsent : 20 + below(&d->r, 40),
                                    .topic = r->x.topic,
                                    .created_at = r->x.created_at};
            if ((e = store_visit_insert(tx, &v)) != E_OK) return e;
            b->visits++;
        }
    }
    return E_OK;
}

/* ---- planning the records of the two years ---- */

/* A day of the month, before today (0 when the month has no such day yet). */
static cal_day day_in(ds *d, int y, int m, int day)
{
    cal_day c = cal_from_ymd(y, m, day);
    return c < d->today ? c : 0;
}

/* How many days of month y-m lie before today (the days records can be dated on). */
static int days_open(ds *d, int y, int m)
{
    int before = (int)(d->today - cal_from_ymd(y, m, 1)), n = days_in_month(y, m);
    return before < 0 ? 0 : before < n ? before : n;
}

/* A day of month y-m before today, or 0 when the month has none yet (its first day is today). */
static cal_day random_day(ds *d, int y, int m)
{
    int open = days_open(d, y, m);
    return open ? cal_from_ymd(y, m, 1 + below(&d->r, open)) : 0;
}

static int64_t plan_of(ds *d, const group *g, int y)
{
    int i = y - d->y0;
    return i >= 0 && i < 3 ? g->plan_id[i] : 0;
}

/* The ~120 months × units of 中心组 and 研讨 spread so the totals land at the seed's figures. */
typedef struct {
    int cg, sem;
} slot;

static void group_session(ds *d, recs *rs, const group *g, const char *kind, cal_day day, int y,
                          int m)
{
    rec *r = push(rs);
    int is_root = g->unit_id == d->root;
    const dperson *lead = &d->persons[g->first + below(&d->r, g->count)];
    r->x = (store_activity){
        .kind = kind,
        .unit_id = g->unit_id,
        .held_on = day_text(d, day),
        .topic = strcmp(kind, "seminar") == 0 ? arena_sprintf(d->a, "围绕“%s”专题研讨", theme(y, m))
                                              : theme(y, m),
        .lead_person_id = lead->id,
        .place = is_root ? "县委常委会议室" : "机关会议室",
        .minutes = arena_sprintf(d->a, "%s领学，与会人员结合分管工作交流发言。", lead->name),
        .plan_id = plan_of(d, g, y),
        .created_by = g->clerk_id};
    r->att_first = g->first;
    r->att_count = g->count;
    r->shared = 1;
    int lead_at = (int)(lead - &d->persons[g->first]);
    if (below(&d->r, 10) < 4)
        r->absent[r->nabsent++] = (lead_at + 1 + below(&d->r, g->count - 1)) % g->count;
    r->reflections = is_root ? 3 + below(&d->r, 3) : below(&d->r, 10) < 2 ? 2 : 0;
}

static void branch_session(ds *d, recs *rs, const branch *b, int bi, int y, int m, int idx,
                           int last_month)
{
    int kind = below(&d->r, 100), off = 0, nolead = 0, silent = 0;
    int fault = below(&d->r, 100) < 18; /* some months deliberately miss 三定一分享 */
    if (last_month) fault = bi == 1 || bi == 3 || (bi > 4 && fault); /* both kinds last month */
    if (fault) {
        int what = below(&d->r, 3);
        off = what == 0, nolead = what == 1, silent = what == 2;
    }
    int dim = days_in_month(y, m);
    int day = b->fixed_day ? (int)b->fixed_day : 3 + below(&d->r, 25);
    if (off) { /* a few days late, or early when the month ends first */
        int late = day + 1 + below(&d->r, 3);
        day = late <= dim ? late : day - 2;
    }
    cal_day c = day_in(d, y, m, day);
    if (!c) return;
    /* 人人领学: the lead rotates through the members; the last two have never led */
    int lead_at = idx % (b->count - 2);
    const dperson *lead = &d->persons[b->first + lead_at];
    rec *r = push(rs);
    r->x = (store_activity){
        .kind = kind < 70 ? "three_meetings" : "party_day",
        .unit_id = b->unit_id,
        .held_on = day_text(d, c),
        .topic = theme(y, m),
        .lead_person_id = nolead ? 0 : lead->id,
        .place = "党员活动室",
        .minutes = nolead ? "未指定领学人，集体自学。"
                          : arena_sprintf(d->a, "%s领学，党员逐一交流分享学习体会。", lead->name),
        .created_by = b->clerk_id};
    r->att_first = b->first;
    r->att_count = b->count;
    r->shared = 1;
    /* someone away (never the lead), and in a "silent" month someone present who did not share */
    int away = (lead_at + 1 + below(&d->r, b->count - 1)) % b->count;
    if (below(&d->r, 10) < 5) r->absent[r->nabsent++] = away;
    if (silent) {
        int k = (lead_at + 1 + below(&d->r, b->count - 1)) % b->count;
        if (r->nabsent && k == away)
            k = (k + 1) % b->count == lead_at ? (k + 2) % b->count : (k + 1) % b->count;
        r->not_shared = k;
    }
    r->reflections = below(&d->r, 10) == 0 ? 2 : 0;
}

/* ---- the steps ---- */

typedef struct {
    const char *name, *unit_code, *description;
} named;

static int64_t unit_by_code(ds *d, const char *code)
{
    for (int i = 0; i < d->ntown; i++)
        if (strcmp(d->towns[i].code, code) == 0) return d->towns[i].id;
    for (int i = 0; i < d->ndept; i++)
        if (strcmp(d->depts[i].code, code) == 0) return d->depts[i].id;
    return d->root;
}

static const named brands[] = {
    {"宁小宣", "xuanchuanbu", "县委宣传部打造的全县理论宣讲品牌，“小切口”讲好大道理"},
    {"柳下夜话", "daliu", "大柳镇依托村头柳树下的夜谈，用群众语言讲政策"},
    {"杨抱槐讲坛", "duji", "杜集镇以古树“杨抱槐”为名的村级理论讲坛"},
    {"津津乐道", "jincheng", "津城街道面向社区居民的微宣讲品牌"},
};
/* Teams: name, unit, brand index, where their members come from (township index or -1). */
static const struct {
    const char *name, *unit_code;
    int brand, town_from, size;
} teams[] = {
    {"八支宣讲团", "xuanchuanbu", 0, -1, 760}, /* "千余人的宣讲队伍" in all */
    {"津骑兵宣讲团", "jincheng", 3, 1, 60},    {"红领巾宣讲团", "jiaotiju", 0, -2, 12},
    {"柳下夜话宣讲队", "daliu", 1, 6, 60},     {"杨抱槐讲坛宣讲队", "duji", 2, 4, 60},
    {"百姓名嘴宣讲团", "ningcheng", 0, 0, 60},
};
static const named sites[] = {
    {"山东渤海军区教导旅革命传统教育基地", "xuanchuanbu", "革命传统教育基地"},
    {"崔杨抗日战争纪念馆", "xiangya", "抗日战争纪念馆"},
    {"宁津县党性教育基地", "zuzhibu", "县委党校党性教育基地"},
};

static err_code build_registries(ds *d)
{
    err_code e = E_OK;
    const char *field;
    for (int i = 0; e == E_OK && i < COUNT(brands); i++) {
        store_outreach_row row = {.name = brands[i].name,
                                  .unit_id = unit_by_code(d, brands[i].unit_code),
                                  .description = brands[i].description};
        e = study_registry_add(d->ap, d->a, &d->sys, "brand", &row, NULL, 0, &field);
        d->brand_ids[i] = row.id;
    }
    d->member_idx = xcalloc((size_t)d->npersons, sizeof *d->member_idx * 2);
    for (int t = 0; e == E_OK && t < COUNT(teams); t++) {
        int64_t unit = unit_by_code(d, teams[t].unit_code);
        d->team_first[t] = d->nmember_idx;
        /* members: party members and cadres of the township (or county-wide), each in one team */
        for (int k = 0, tries = 0; k < teams[t].size && tries < 20000; tries++) {
            int i = below(&d->r, d->npersons);
            const dperson *p = &d->persons[i];
            int from = teams[t].town_from;
            if (from >= 0 && p->town != from) continue;
            if (from == -2 && p->unit_id != unit) continue;
            if (!p->party_member && below(&d->r, 2)) continue;
            int dup = 0;
            for (int j = d->team_first[t]; j < d->nmember_idx && !dup; j++)
                dup = d->member_idx[j] == i;
            if (dup) continue;
            d->member_idx[d->nmember_idx++] = i, k++;
        }
        d->team_count[t] = d->nmember_idx - d->team_first[t];
        int64_t *ids = xcalloc((size_t)d->team_count[t] + 1, sizeof *ids);
        for (int k = 0; k < d->team_count[t]; k++)
            ids[k] = d->persons[d->member_idx[d->team_first[t] + k]].id;
        store_outreach_row row = {
            .name = teams[t].name, .unit_id = unit, .brand_id = d->brand_ids[teams[t].brand]};
        e = study_registry_add(d->ap, d->a, &d->sys, "team", &row, ids, (size_t)d->team_count[t],
                               &field);
        d->team_ids[t] = row.id;
        free(ids);
    }
    for (int i = 0; e == E_OK && i < COUNT(sites); i++) {
        store_outreach_row row = {.name = sites[i].name,
                                  .unit_id = unit_by_code(d, sites[i].unit_code),
                                  .address = "宁津县",
                                  .description = sites[i].description};
        e = study_registry_add(d->ap, d->a, &d->sys, "edu_site", &row, NULL, 0, &field);
        d->site_ids[i] = row.id;
    }
    return e;
}

/* Plans of the county's and each township's 中心组 for every year the span touches. */
static err_code build_plans(ds *d)
{
    err_code e = E_OK;
    int ylast, m, dd;
    cal_to_ymd(d->today, &ylast, &m, &dd);
    for (int gi = 0; e == E_OK && gi < d->ngroups; gi++) {
        group *g = &d->groups[gi];
        if (g->unit_id != d->root && g->town < 0) continue; /* departments keep no plan here */
        for (int y = d->y0; e == E_OK && y <= ylast; y++) {
            store_plan_topic topics[12];
            for (int k = 0; k < 12; k++)
                topics[k] =
                    (store_plan_topic){.month = k + 1,
                                       .topic = theme(y, k + 1),
                                       .planned = g->unit_id == d->root ? (k % 3 == 2 ? 2 : 1) : 3};
            store_plan plan = {
                .unit_id = g->unit_id,
                .year = y,
                .title = arena_sprintf(d->a, "%s%d年度理论学习中心组学习计划",
                                       g->unit_id == d->root ? "中共宁津县委" : g->name, y)};
            const char *field;
            e = study_plan_create(d->ap, d->a, &d->sys, &plan, topics, 12, &field);
            g->plan_id[y - d->y0] = plan.id;
            d->rep->plans++;
        }
    }
    return e;
}

/* The 136 ordinary members who gave a 党课, and how many each gave. */
static void pick_lecturers(ds *d, int *chosen, int n)
{
    int got = 0;
    while (got < n) {
        int i = below(&d->r, d->npersons);
        if (strcmp(d->persons[i].rank, "普通党员") != 0) continue;
        int dup = 0;
        for (int k = 0; k < got && !dup; k++)
            dup = chosen[k] == i;
        if (!dup) chosen[got++] = i;
    }
}

static const char *const outreach_topics[] = {
    "党的创新理论“飞入寻常百姓家”",
    "讲好惠民政策",
    "移风易俗新风尚",
    "乡村振兴看变化",
    "安全生产进万家",
    "反电诈知识宣讲",
    "红色故事宣讲",
    "法治宣传进乡村",
    "文明实践志愿服务",
};

/* Who spoke for team t and where: one of its members, at the member's unit. */
static const dperson *team_speaker(ds *d, int t)
{
    return &d->persons[d->member_idx[d->team_first[t] + below(&d->r, d->team_count[t])]];
}

/* The share of `total` falling on `days` days that follow `before` of `all` days (exact sum). */
static int outreach_share(int total, int before, int days, int all)
{
    return (int)((int64_t)total * (before + days) / all - (int64_t)total * before / all);
}

static err_code build_months(ds *d, int cg_total, int sem_total, int outreach_total)
{
    int ty, tm, td;
    cal_to_ymd(d->today, &ty, &tm, &td);
    cal_day first = cal_add_months(cal_from_ymd(ty, tm, 1), -24);
    enum { NMONTH = 25 };
    int ng = d->ngroups;
    /* 中心组 and 研讨 per unit and month: the county's at its pace, the rest share the total */
    slot *slots = xcalloc((size_t)(NMONTH * ng), sizeof *slots);
    int county_cg = 0, county_sem = 0;
    for (int mi = 0; mi < NMONTH; mi++) {
        /* "学习16次、研讨13次": 15 here and one in the last days (for the observer, below) */
        slots[mi * ng].cg = mi < 23 && mi % 3 != 1 ? 1 : 0;
        slots[mi * ng].sem = mi < 24 && (mi % 2 == 1 || mi == 12) ? 1 : 0;
        county_cg += slots[mi * ng].cg, county_sem += slots[mi * ng].sem;
    }
    for (int left = cg_total - county_cg; left > 0; left--)
        slots[below(&d->r, NMONTH - 1) * ng + 1 + below(&d->r, ng - 1)].cg++;
    for (int left = sem_total - county_sem; left > 0; left--)
        slots[below(&d->r, NMONTH - 1) * ng + 1 + below(&d->r, ng - 1)].sem++;

    int lecturers[136], lect_month[136];
    pick_lecturers(d, lecturers, 136);
    for (int i = 0; i < 136; i++)
        lect_month[i] = below(&d->r, NMONTH - 1);
    int ty_last_month = NMONTH - 2; /* the month before the current one */
    /* 宣讲 spread by the days each month has had, so the total holds whatever today's date */
    int open_days[NMONTH], open_total = 0, open_before = 0;
    for (int mi = 0; mi < NMONTH; mi++) {
        int y, m, dd;
        cal_to_ymd(cal_add_months(first, mi), &y, &m, &dd);
        open_total += open_days[mi] = days_open(d, y, m);
    }

    err_code e = E_OK;
    for (int mi = 0; e == E_OK && mi < NMONTH; mi++) {
        int y, m, dd;
        cal_to_ymd(cal_add_months(first, mi), &y, &m, &dd);
        recs rs = {0};
        for (int gi = 0; gi < ng; gi++) {
            group *g = &d->groups[gi];
            slot *s = &slots[mi * ng + gi];
            for (int k = 0; k < s->cg; k++) {
                cal_day c = random_day(d, y, m);
                if (c) group_session(d, &rs, g, "center_group", c, y, m);
            }
            for (int k = 0; k < s->sem; k++) {
                cal_day c = random_day(d, y, m);
                if (!c) continue;
                group_session(d, &rs, g, "seminar", c, y, m);
                if (below(&d->r, 100) < 11) rs.v[rs.n - 1].output = 1 + below(&d->r, 2);
            }
            /* 实地研学 at a 红色教育基地, now and then */
            if (g->unit_id == d->root ? mi % 6 == 3 : (g->town >= 0 && below(&d->r, 100) < 9)) {
                cal_day c = random_day(d, y, m);
                if (c) {
                    group_session(d, &rs, g, "field_study", c, y, m);
                    rec *r = &rs.v[rs.n - 1];
                    r->site = d->site_ids[below(&d->r, COUNT(sites))];
                    r->x.topic = "赓续红色血脉 传承革命精神";
                    r->x.place = sites[r->site == d->site_ids[0]   ? 0
                                       : r->site == d->site_ids[1] ? 1
                                                                   : 2]
                                     .name;
                }
            }
            /* 书记讲党课 at the county and in each township once or twice a year */
            if ((g->unit_id == d->root || g->town >= 0) && (mi % 6 == (g->town + 6) % 6)) {
                cal_day c = random_day(d, y, m);
                if (c) {
                    rec *r = push(&rs);
                    const dperson *lead = &d->persons[g->first];
                    r->x =
                        (store_activity){.kind = "party_lecture",
                                         .unit_id = g->unit_id,
                                         .held_on = day_text(d, c),
                                         .topic = arena_sprintf(d->a, "专题党课：%s", theme(y, m)),
                                         .lead_person_id = lead->id,
                                         .place = "党员活动室",
                                         .created_by = g->clerk_id};
                }
            }
        }
        for (int k = 0; k < 6 + below(&d->r, 4); k++) { /* branches and villages at the sites */
            cal_day c = random_day(d, y, m);
            if (!c) continue;
            int t = below(&d->r, d->ntown);
            rec *r = push(&rs);
            r->visit_only = 1;
            r->site = d->site_ids[below(&d->r, COUNT(sites))];
            r->x = (store_activity){
                .unit_id = below(&d->r, 3) ? d->village_ids[t][below(&d->r, 4)]
                                           : d->branches[below(&d->r, d->nbranches)].unit_id,
                .held_on = day_text(d, c),
                .topic = "重温入党誓词，接受红色教育",
                .audience = 15 + below(&d->r, 46)};
        }
        for (int bi = 0; bi < d->nbranches; bi++)
            branch_session(d, &rs, &d->branches[bi], bi, y, m, mi + bi, mi == ty_last_month);
        for (int i = 0; i < 136; i++) { /* 普通党员上讲台 */
            if (lect_month[i] != mi && !(i % 4 == 0 && lect_month[i] + 9 == mi)) continue;
            const dperson *p = &d->persons[lecturers[i]];
            cal_day c = random_day(d, y, m);
            if (!c) continue;
            rec *r = push(&rs);
            r->x = (store_activity){.kind = "party_lecture",
                                    .unit_id = p->unit_id,
                                    .held_on = day_text(d, c),
                                    .topic = arena_sprintf(d->a, "微党课：%s", theme(y, m)),
                                    .lead_person_id = p->id,
                                    .place = places[below(&d->r, COUNT(places))],
                                    .created_by = p->town >= 0 ? d->town_clerk[p->town].user_id
                                                               : d->county_clerk.user_id};
        }
        /* 宣讲: the month's share of the events, by team, brand and speaker */
        int share = outreach_share(outreach_total, open_before, open_days[mi], open_total);
        open_before += open_days[mi];
        for (int k = 0; k < share; k++) {
            cal_day c = random_day(d, y, m);
            if (!c) continue;
            int t = below(&d->r, 100);
            t = t < 45 ? 0 : t < 57 ? 1 : t < 62 ? 2 : t < 75 ? 3 : t < 88 ? 4 : 5;
            const dperson *sp = team_speaker(d, t);
            rec *r = push(&rs);
            r->x = (store_activity){.kind = "outreach",
                                    .unit_id = sp->unit_id,
                                    .held_on = day_text(d, c),
                                    .topic = outreach_topics[below(&d->r, COUNT(outreach_topics))],
                                    .lead_person_id = sp->id,
                                    .place = places[below(&d->r, COUNT(places))],
                                    .brand_id = d->brand_ids[teams[t].brand],
                                    .team_id = d->team_ids[t],
                                    .audience = 20 + below(&d->r, 43),
                                    .created_by = sp->town >= 0 ? d->town_clerk[sp->town].user_id
                                                                : d->county_clerk.user_id};
        }
        if (mi == NMONTH - 1) { /* sessions of the last days, for the observer (see below) */
            if (d->today - 2 >= first)
                group_session(d, &rs, &d->groups[0], "center_group", d->today - 2, ty, tm);
            if (d->today - 3 >= first)
                group_session(d, &rs, &d->groups[3], "center_group", d->today - 3, ty, tm);
        }
        for (int i = 0; i < rs.n; i++) {
            const store_activity *x = &rs.v[i].x;
            if (rs.v[i].visit_only) continue;
            if (strcmp(x->kind, "outreach") == 0)
                d->rep->outreach++, d->rep->audience += x->audience;
            else
                d->rep->sessions++;
            if (strcmp(x->kind, "center_group") == 0) d->rep->center_group++;
            if (strcmp(x->kind, "seminar") == 0) d->rep->seminars++;
            if (strcmp(x->kind, "party_lecture") == 0) d->rep->lectures++;
        }
        e = run_batch(d, arena_sprintf(d->a, "%04d-%02d", y, m), &rs, month_fn);
        free(rs.v);
    }
    d->rep->member_lecturers = 136;
    free(slots);
    return e;
}

/* ---- 列席旁听: observers at county and township sessions, and the units' answers ---- */

typedef struct {
    arena *a;
    const char *from, *to;
    int64_t unit;
    store_activity *items;
    size_t n;
} find_ctx;

static err_code find_fn(store_tx *tx, void *ctx)
{
    find_ctx *f = ctx;
    store_activity_filter flt = {.category = NULL,
                                 .kind = "center_group",
                                 .from = f->from,
                                 .to = f->to,
                                 .unit_only = f->unit,
                                 .limit = 50};
    int64_t total;
    return store_activity_list(tx, f->a, &flt, &f->items, &f->n, &total);
}

static const char *const issues[] = {
    "个别成员发言联系分管工作实际不够紧密",
    "研讨主题聚焦不够，问题导向有待加强",
    "学习材料会前下发不及时",
    "部分成员未提交书面发言材料",
    "会议记录不够完整规范",
};

typedef struct {
    arena *a;
    store_feedback_filter f;
    store_feedback *items;
    size_t n;
} fb_ctx;

static err_code fb_fn(store_tx *tx, void *ctx)
{
    fb_ctx *q = ctx;
    int64_t total;
    return store_feedback_list(tx, q->a, &q->f, &q->items, &q->n, &total);
}

/*
 * The observer sat in on the newest 中心组 sessions of the county and three townships; the
 * units answered within two days, except the county's newest (still open, not yet due), one
 * older county session (open past its deadline: overdue at the next tick) and 柴胡店镇's newest.
 */
static err_code build_observations(ds *d)
{
    err_code e = E_OK;
    int64_t units[] = {d->root, d->towns[2].id, d->towns[0].id, d->towns[6].id};
    const principal *answerers[] = {&d->county_clerk, &d->town_clerk[2], &d->town_clerk[0],
                                    &d->town_clerk[6]};
    int want_overdue = 1;
    for (int u = 0; e == E_OK && u < 4; u++) {
        find_ctx f = {.a = d->a,
                      .from = day_text(d, d->today - 730),
                      .to = day_text(d, d->today),
                      .unit = units[u]};
        e = store_read(d->ap->st, find_fn, &f);
        size_t limit = u == 0 ? 8 : 3;
        for (size_t i = 0; e == E_OK && i < f.n && i < limit; i++) {
            cal_day day;
            cal_parse(f.items[i].held_on, &day);
            int nissues = 1 + (int)(i % 2);
            const char *list[2] = {issues[(i + (size_t)u) % COUNT(issues)],
                                   issues[(i + (size_t)u + 2) % COUNT(issues)]};
            store_observation o = {.activity_id = f.items[i].id,
                                   .observer = d->observer.name,
                                   .observer_body = u == 0 ? "市委理论学习中心组巡听旁听组"
                                                           : "县委理论学习中心组巡听旁听组",
                                   .rating = i % 3 == 0   ? "好"
                                             : i % 3 == 1 ? "较好"
                                                          : "一般",
                                   .comment = "学习准备充分，领学重点突出，研讨交流较为深入。"};
            const char *field;
            clock_fix(evening(day) - 3600);
            e = study_observe(d->ap, d->a, &d->observer, &o, list, (size_t)nissues, 5, &field);
            if (e != E_OK) break;
            d->rep->observations++;
            int overdue = u == 0 && i > 0 && want_overdue && day + 14 < d->today;
            if (overdue) want_overdue = 0;
            if (i == 0 && u <= 1) {
                d->rep->feedback_open += nissues;
                continue;
            }
            if (overdue) {
                d->rep->feedback_open += nissues;
                continue;
            }
            clock_fix(evening(day) + (int64_t)(1 + i % 2) * 86400);
            fb_ctx q = {.a = d->a,
                        .f = {.state = "open", .activity_id = o.activity_id, .limit = 20}};
            e = store_read(d->ap->st, fb_fn, &q);
            for (size_t k = 0; e == E_OK && k < q.n; k++) {
                json_t *fields = json_pack(
                    "{ss}", "answer",
                    "已组织专题整改：完善学习制度，会前提前下发学习材料，成员提交书面发言提纲。");
                store_feedback out;
                flow_refusal why;
                e = study_feedback_answer(d->ap, d->a, answerers[u], q.items[k].id, fields, &out,
                                          &why);
                json_decref(fields);
            }
        }
    }
    clock_fix(0);
    return e;
}

/* ---- the whole ---- */

static err_code fill(app *ap, mech_demo_county *c, demo_study_report *r)
{
    if (c->ntown > MAX_CLERK) return E_INTERNAL;
    const demo_options *opt = c->opt;
    ds *d = xcalloc(1, sizeof *d);
    *d = (ds){.ap = ap,
              .a = arena_new(),
              .opt = opt,
              .c = c,
              .r = {(opt->seed ? opt->seed : 2023) * 2654435761u | 1},
              .root = c->root,
              .towns = c->towns,
              .ntown = c->ntown,
              .depts = c->depts,
              .ndept = c->ndept,
              .rep = r};
    memset(r, 0, sizeof *r);
    d->sys = authz_system(d->a);
    d->today = cal_local_day(clock_now());
    int m, dd;
    cal_to_ymd(cal_add_months(d->today, -24), &d->y0, &m, &dd);
    err_code e = build_units(d);
    if (e == E_OK) e = build_accounts(d);
    if (e == E_OK) {
        plan_persons(d);
        e = run_batch(d, "persons", NULL, persons_fn);
    }
    if (e == E_OK) e = build_registries(d);
    if (e == E_OK) e = build_plans(d);
    if (e == E_OK) e = build_months(d, 1318, 764, 5046);
    if (e == E_OK) e = build_observations(d);
    int overdue = 0, noncompliant = 0;
    if (e == E_OK) e = study_tick(ap, d->a, clock_now(), &overdue, &noncompliant);
    r->feedback_overdue = overdue;
    r->persons = d->npersons;
    r->branches = d->nbranches;
    free(d->persons);
    free(d->member_idx);
    arena_free(d->a);
    free(d);
    return e;
}

err_code study_demo(app *ap, mech_demo_county *c, FILE *out)
{
    demo_study_report r;
    err_code e = fill(ap, c, &r);
    if (e != E_OK) return e;
    fprintf(out,
            "study: %d sessions (%d 中心组, %d 研讨), %d outreach events to %lld people, "
            "%d persons in %d branches\n",
            r.sessions, r.center_group, r.seminars, r.outreach, (long long)r.audience, r.persons,
            r.branches);
    fprintf(out,
            "       %d 党课 (%d by ordinary members), %d reflections, %d outputs, %d plans, "
            "%d site visits, %d observations (%d issues open, %d overdue)\n",
            r.lectures, r.member_lecturers, r.reflections, r.outputs, r.plans, r.site_visits,
            r.observations, r.feedback_open, r.feedback_overdue);
    fprintf(out, "  xuanchuanbu01  县委宣传部 学习管理员 (study records of the whole county)\n");
    fprintf(out,
            "  <township>_xx, e.g. chaihudian_xx  学习管理员 of 柴胡店镇 (its study records)\n");
    fprintf(out, "  liexi01     李志华 列席旁听人员 (observes sessions, raises issues)\n");
    return E_OK;
}
