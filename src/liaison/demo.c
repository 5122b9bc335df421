/*
 * demo — the liaison mechanism's part of `duban demo`: 西城街道's 统战 registers (260 persons
 * across the categories, twelve 侨资 and 台资 enterprises, twelve leaders and cadres with
 * their contacts, two years of quarterly visits with some missed, festival visits before 春节
 * and 中秋, requests sent to the problem list and mostly solved, 联谊 and 同心 activities);
 * 威海-style 驻厂员 at a tenth of the seed's scale (11 cadres in 43 enterprises, 204 problems
 * solved); and 小门家镇's 机械加工产业党建联盟 "1+5+N" with the seed's figures (党性教育 3次,
 * 座谈交流 4次, 助企服务 7次, 问题 11个 solved, 互查、走访困难党员、人才招引 7次, 引进硕士研究生
 * 5人). Every date is counted back from today by whole quarters, festivals and days, so the
 * figures over the demo's span are the same whatever day it runs.
 */
#include "liaison/liaison_int.h"

#include "attach/attach.h"
#include "base/clock.h"
#include "demo/demo.h"
#include "org/org.h"
#include "problem/problem.h"

#include <string.h>

#define COUNT(a) ((int)(sizeof(a) / sizeof(a)[0]))

typedef struct {
    app *ap;
    mech_demo_county *c;
    arena *a;
    cal_day today;
    principal office, county, alliance_office, ducha, hecha, xc_handler;
    int64_t xicheng, xiaomenjia, huanbao, shijian;
    int raised, solved;
} demo;

static const char *day_text(arena *a, cal_day d)
{
    char *s = arena_alloc(a, 11);
    cal_format(d, s);
    return s;
}

static err_code unit(demo *d, const char *code, const char *name, const char *kind, int64_t *id)
{
    org_unit_input in = {code, name, kind, d->c->root};
    store_unit u;
    const char *field;
    err_code e = org_unit_add(d->ap, d->a, &d->c->sys, &in, &u, &field);
    *id = u.id;
    return e;
}


/* Saves a record of a register as p (body taken); its id. */
typedef struct {
    lctx c;
    json_t *body;
    int64_t id, version;
} record_ctx;

static err_code record_fn(store_tx *tx, void *ctx)
{
    record_ctx *x = ctx;
    return liaison_record_save(&x->c, tx, x->body, 0, &x->id, &x->version);
}

static err_code record(demo *d, const principal *p, const char *reg, json_t *body, int64_t *id)
{
    const char *bad = NULL;
    record_ctx x = {{d->ap, d->a, p, liaison_reg(reg), &bad}, body, 0, 0};
    err_code e = store_write(d->ap->st, record_fn, &x);
    json_decref(body);
    if (e != E_OK) fprintf(stderr, "liaison demo: %s refused: %s %s\n", reg, err_name(e), bad ? bad : "");
    *id = x.id;
    return e;
}

/* ---- the problem list: a raised problem carried through its flow to 销号 ---- */

static const unsigned char png[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
    0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f,
    0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8,
    0xcf, 0xc0, 0xf0, 0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00,
    0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

typedef struct {
    demo *d;
    const principal *who;
    store_attachment at;
} photo_ctx;

static err_code photo_fn(store_tx *tx, void *ctx)
{
    photo_ctx *x = ctx;
    /* the bytes into the database where the engine keeps them there (PostgreSQL) */
    err_code e = attach_store_in_db(tx, x->d->ap->files_dir, x->at.sha256, png, sizeof png);
    if (e == E_OK) e = store_attachment_insert(tx, &x->at);
    return e == E_OK ? app_audit(x->d->ap, tx, x->d->a, x->who, "attachment.upload",
                                 arena_sprintf(x->d->a, "problem:%lld", (long long)x->at.item_id),
                                 json_pack("{sI ss}", "attachment_id", (json_int_t)x->at.id,
                                           "name", x->at.filename))
                     : e;
}

static err_code act(demo *d, const principal *who, int64_t id, const char *action, json_t *fields,
                    int64_t evidence)
{
    problem_action_input in = {action, fields, evidence ? &evidence : NULL, evidence ? 1 : 0,
                               PROBLEM_VERSION_ANY};
    store_problem out;
    flow_refusal why;
    err_code e = problem_act(d->ap, d->a, who, id, &in, &out, &why);
    json_decref(fields);
    if (e != E_OK) fprintf(stderr, "liaison demo: %s on %lld: %s %s\n", action, (long long)id, err_name(e), why.message);
    return e;
}

/* 交办, 签收, 申请销号 with a photo, 核查通过并销号 (solved) — or only 交办 and 签收. */
static err_code carry(demo *d, int64_t id, const principal *handler, int solve)
{
    err_code e = act(d, &d->ducha, id, "assign", json_pack("{ss}", "note", "请按期办结"), 0);
    if (e == E_OK) e = act(d, handler, id, "sign", json_object(), 0);
    if (e != E_OK || !solve) return e;
    char sha[65], err[256];
    if (attach_store(d->ap->files_dir, png, sizeof png, sha, err, sizeof err) != E_OK) return E_INTERNAL;
    photo_ctx x = {d, handler, {.sha256 = sha, .size = sizeof png, .mime = "image/png",
                                .filename = "办结照片.png", .flow = "problem", .item_id = id,
                                .created_by = handler->user_id, .created_at = clock_now()}};
    e = store_write(d->ap->st, photo_fn, &x);
    if (e == E_OK)
        e = act(d, handler, id, "claim", json_pack("{ss}", "summary", "已协调解决"), x.at.id);
    if (e == E_OK)
        e = act(d, &d->hecha, id, "verify_pass",
                json_pack("{ss ss}", "method", "电话核实", "finding", "企业（群众）反映问题已解决"), 0);
    return e;
}

static err_code raise(demo *d, const principal *p, const char *origin, int64_t owner,
                      raise_body *b, const principal *handler, int solve)
{
    int64_t pid;
    const char *bad;
    err_code e = liaison_raise(d->ap, d->a, p, origin, owner, b, &pid, &bad);
    if (e != E_OK) {
        fprintf(stderr, "liaison demo: raise %s %lld: %s %s\n", origin, (long long)owner, err_name(e), bad ? bad : "");
        return e;
    }
    d->raised++;
    d->solved += solve;
    return carry(d, pid, handler, solve);
}

/* ---- 西城街道: persons, enterprises, assignments, visits ---- */

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
                                       "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"};
static const char *const given[] = {"明", "华", "强", "芳", "敏", "静", "丽", "军", "磊", "洋",
                                    "艳", "勇", "杰", "娟", "涛", "超", "霞", "平", "刚", "桂英",
                                    "建国", "海燕", "志强", "秀兰", "文博", "雨桐", "子轩"};

static const char *person_name(arena *a, int i)
{
    return arena_sprintf(a, "%s%s", surnames[i % COUNT(surnames)],
                         given[(i / COUNT(surnames) + i * 7) % COUNT(given)]);
}

static const struct {
    const char *category;
    int n;
    const char *employer;
} person_plan[] = {
    {"nonparty_deputy", 20, "区政协"},      {"nonparty_cadre", 15, "西城街道办事处"},
    {"party_org_head", 10, "民盟西城支部"}, {"nonparty_talent", 15, "西城科技园"},
    {"democratic_party", 40, "西城中学"},   {"nonparty", 20, "西城律师事务所"},
    {"new_stratum", 80, "西城商会"},         {"ethnic_religious", 15, "西城清真寺管委会"},
    {"overseas_family", 30, "西城侨联"},     {"taiwan_family", 15, "西城台胞联谊会"},
};
static const char *const parties[] = {"民革", "民盟", "民建", "民进", "农工党", "致公党", "九三学社", "台盟"};
static const char *const strata[] = {"民营企业和外资企业管理技术人员", "中介组织和社会组织从业人员",
                                     "自由职业人员", "新媒体从业人员"};
static const char *const statuses[] = {"found", "training", "training", "selected", "used", "used"};

static err_code persons(demo *d, int64_t *ids, int *n)
{
    err_code e = E_OK;
    int i = 0;
    for (int k = 0; e == E_OK && k < COUNT(person_plan); k++)
        for (int j = 0; e == E_OK && j < person_plan[k].n; j++, i++) {
            json_t *b = json_pack("{sI ss ss ss ss ss ss}", "unit_id", (json_int_t)d->xicheng,
                                  "category", person_plan[k].category, "name",
                                  person_name(d->a, i), "employer",
                                  arena_sprintf(d->a, "%s%d", person_plan[k].employer, j / 8 + 1),
                                  "status", statuses[i % COUNT(statuses)], "gender",
                                  i % 3 ? "male" : "female", "phone",
                                  arena_sprintf(d->a, "1380537%04d", i));
            const char *cat = person_plan[k].category;
            if (strcmp(cat, "democratic_party") == 0)
                json_object_set_new(b, "party", json_string(parties[j % COUNT(parties)]));
            if (strcmp(cat, "nonparty") == 0)
                json_object_set_new(b, "recognized_on", json_string(day_text(d->a, d->today - 400 - j * 30)));
            if (strcmp(cat, "new_stratum") == 0)
                json_object_set_new(b, "stratum_kind", json_string(strata[j % COUNT(strata)]));
            if (strcmp(cat, "nonparty_deputy") == 0) {
                json_object_set_new(b, "congress", json_string(j % 2 ? "npc" : "cppcc"));
                json_object_set_new(b, "term", json_string("第十届"));
            }
            e = record(d, &d->office, "person", b, &ids[i]);
        }
    *n = i;
    return e;
}

static const char *const firm_names[] = {
    "华侨食品有限公司", "侨丰纺织有限公司", "侨兴电子科技有限公司", "侨联建材有限公司",
    "侨鑫医药有限公司", "侨达物流有限公司", "台鑫精密机械有限公司", "台荣电子有限公司",
    "台丰农业科技有限公司", "台瑞塑胶制品有限公司", "台光照明有限公司", "台和生物科技有限公司"};

/* The first day of the quarter k quarters from today's (k <= 0). */
static cal_day quarter_start(cal_day today, int k)
{
    int y, m, dd;
    cal_to_ymd(today, &y, &m, &dd);
    return cal_add_months(cal_from_ymd(y, (m - 1) / 3 * 3 + 1, 1), 3 * k);
}

/* The 4 most recent festival windows that lapsed before today, newest first. */
static int lapsed_festivals(demo *d, liaison_period *out)
{
    int y, m, dd;
    cal_to_ymd(d->today, &y, &m, &dd);
    liaison_period all[32];
    size_t n = liaison_periods(d->ap->cal, LIAISON_NONE, 1, 0, 0, cal_from_ymd(y - 3, 1, 1),
                               d->today - 1, all, 32);
    int k = 0;
    for (size_t i = n; i > 0 && k < 4; i--)
        out[k++] = all[i - 1];
    return k;
}

static const char *const thoughts[] = {"拥护党的路线方针政策，对街道发展充满信心", "关注营商环境优化，思想稳定",
                                       "积极参加同心活动，愿意发挥桥梁作用", "对社区治理有较高期待"};
static const char *const suggestions[] = {"建议多组织政策宣讲和交流", "建议完善重点企业联系制度",
                                          "希望加强人才引进支持", "建议定期召开恳谈会"};
static const char *const requests[] = {"企业周边道路破损，影响货运通行", "子女入学咨询，需协调学区",
                                       "企业用工紧张，希望对接招聘会", "厂区排水不畅，汛期易积水"};
static const char *const forms[] = {"visit", "talk", "talk", "phone", "forum"};

static err_code visit(demo *d, const principal *p, int64_t asg, int64_t person, int64_t firm,
                      cal_day on, int n, int with_request, int64_t *id)
{
    n += 1000; /* n may count quarters back: keep the indexes below non-negative */
    visit_body b = {.assignment_id = asg, .person_id = person, .enterprise_id = firm,
                    .visited_on = day_text(d->a, on), .form = firm ? "visit" : forms[n % 5],
                    .thoughts = thoughts[n % 4], .suggestions = n % 2 ? suggestions[n % 4] : "",
                    .requests = with_request ? requests[n % 4] : "",
                    .help = with_request ? "已记录并跟进" : ""};
    const char *bad;
    err_code e = liaison_visit_add(d->ap, d->a, p, &b, id, &bad);
    if (e != E_OK) fprintf(stderr, "liaison demo: visit refused: %s %s\n", err_name(e), bad ? bad : "");
    return e;
}

static err_code xicheng(demo *d, FILE *out)
{
    int64_t pid[300], fid[12];
    int np;
    err_code e = persons(d, pid, &np);
    for (int i = 0; e == E_OK && i < 12; i++)
        e = record(d, &d->office, "enterprise",
                   json_pack("{sI ss ss ss ss ss}", "unit_id", (json_int_t)d->xicheng, "name",
                             firm_names[i], "kind", i < 6 ? "overseas" : "taiwan", "sector",
                             i % 2 ? "制造业" : "商贸服务", "size", i % 3 ? "small" : "medium",
                             "contact_name", person_name(d->a, 400 + i)),
                   &fid[i]);
    cal_day start = quarter_start(d->today, -8);
    liaison_period fest[4];
    int nf = lapsed_festivals(d, fest);
    int visits = 0, overdue = 0, festival_visits = 0, pi = 0, req = 0;
    for (int k = 0; e == E_OK && k < 12; k++) {
        int leader = k < 4;
        principal cadre;
        const char *login = arena_sprintf(d->a, "xc_lianxi%02d", k + 1);
        e = demo_account(d->c, login, demo_staff_name(60 + k), d->xicheng, "liaison_cadre",
                         d->xicheng, &cadre);
        if (e != E_OK) break;
        int take = leader ? 3 : 4;
        json_t *ids = json_array();
        for (int j = 0; j < take && pi < np; j++)
            json_array_append_new(ids, json_integer(pid[pi++]));
        int64_t asg, fasg;
        e = record(d, &d->office, "assignment",
                   json_pack("{sI sI sb ss ss so}", "unit_id", (json_int_t)d->xicheng,
                             "cadre_user_id", (json_int_t)cadre.user_id, "leader", leader,
                             "frequency", "quarterly", "starts_on", day_text(d->a, start),
                             "person_ids", ids),
                   &asg);
        /* the enterprise: 定期走访 by festival (节前走访慰问), from the fourth last festival */
        if (e == E_OK)
            e = record(d, &d->office, "assignment",
                       json_pack("{sI sI sb ss sb ss s[I] ss}", "unit_id", (json_int_t)d->xicheng,
                                 "cadre_user_id", (json_int_t)cadre.user_id, "leader", 0,
                                 "frequency", "none", "festivals", 1, "starts_on",
                                 day_text(d->a, fest[nf - 1].from), "enterprise_ids",
                                 (json_int_t)fid[k], "note", "侨台资企业节前走访"),
                       &fasg);
        for (int q = -8; e == E_OK && q <= 0; q++)
            for (int j = 0; e == E_OK && j < take; j++) {
                int n = k * 10 + j;
                if (q < 0 && (n * 5 + q + 40) % 17 == 0) {
                    overdue++;
                    continue; /* missed: overdue */
                }
                if (q == 0 && j % 2) continue; /* not yet visited this quarter */
                cal_day qs = quarter_start(d->today, q);
                cal_day on = q == 0 ? qs : qs + 10 + (n % 50);
                int with_request = q >= -3 && n % 7 == 0;
                int64_t vid;
                e = visit(d, &cadre, asg, pid[pi - take + j], 0, on, n + q, with_request, &vid);
                visits++;
                if (e == E_OK && with_request && req < 12) {
                    raise_body b = {.unit_id = d->xicheng, .category = "统战诉求"};
                    e = raise(d, &d->office, "visit", vid, &b, &d->xc_handler, req % 4 != 3);
                    req++;
                }
            }
        for (int f = 0; e == E_OK && f < nf; f++) {
            if (k == 5 && f == 1) {
                overdue++;
                continue;
            }
            int64_t vid;
            e = visit(d, &cadre, fasg, 0, fid[k], fest[f].due - 3 - k % 5, k + f, 0, &vid);
            visits++;
            festival_visits++;
        }
    }
    /* 联谊, 同心 and 新联会 activities, training */
    static const struct {
        const char *kind, *title;
        int days_ago, people;
    } acts[] = {{"fellowship", "新春联谊会", 300, 120}, {"fellowship", "中秋联谊会", 120, 95},
                {"tongxin", "“同心”志愿服务进社区", 200, 40}, {"xinlian", "新联会分会主题沙龙", 90, 35},
                {"training", "党外代表人士培训班", 60, 50}, {"tongxin", "“同心”助学活动", 30, 25}};
    for (int i = 0; e == E_OK && i < COUNT(acts); i++) {
        int64_t id;
        e = record(d, &d->office, "activity",
                   json_pack("{sI ss ss ss si}", "unit_id", (json_int_t)d->xicheng, "kind",
                             acts[i].kind, "held_on", day_text(d->a, d->today - acts[i].days_ago),
                             "title", acts[i].title, "participants", acts[i].people),
                   &id);
    }
    if (e == E_OK)
        fprintf(out,
                "liaison 西城街道: %d persons, 12 侨台资 enterprises, 12 leaders and cadres, %d visits "
                "(%d festival visits, %d missed), %d requests on the problem list\n",
                np, visits, festival_visits, overdue, req);
    return e;
}

/* ---- 驻厂员 (a tenth of 威海's 110 cadres in 428 enterprises, 2000余 problems) ---- */

static err_code stations(demo *d, FILE *out)
{
    enum { CADRES = 11, FIRMS = 43, SOLVED = 204 };
    static const char *const kinds[] = {"融资", "市场", "技术", "用工"};
    int64_t fid[FIRMS];
    err_code e = E_OK;
    for (int i = 0; e == E_OK && i < FIRMS; i++)
        e = record(d, &d->county, "enterprise",
                   json_pack("{sI ss ss ss}", "unit_id",
                             (json_int_t)d->c->towns[i % d->c->ntown].id, "name",
                             arena_sprintf(d->a, "%s%s实业有限公司", d->c->towns[i % d->c->ntown].name,
                                           given[i % COUNT(given)]),
                             "kind", i % 9 == 0 ? "foreign" : "private", "sector",
                             i % 2 ? "装备制造" : "食品加工"),
                   &fid[i]);
    principal handler;
    int64_t gongxin = d->c->depts[8].id;
    if (e == E_OK)
        e = demo_account(d->c, "lm_gongxin", demo_staff_name(80), gongxin, "handler", gongxin,
                         &handler);
    int problems = 0, f = 0;
    for (int k = 0; e == E_OK && k < CADRES; k++) {
        principal cadre;
        e = demo_account(d->c, arena_sprintf(d->a, "zhuchang%02d", k + 1), demo_staff_name(90 + k),
                         gongxin, "liaison_cadre", d->c->root, &cadre);
        json_t *ids = json_array();
        int take = k < FIRMS % CADRES ? FIRMS / CADRES + 1 : FIRMS / CADRES;
        int first = f;
        for (int j = 0; j < take; j++)
            json_array_append_new(ids, json_integer(fid[f++]));
        int64_t sid;
        if (e == E_OK)
            e = record(d, &d->county, "station",
                       json_pack("{sI sI ss ss ss so}", "unit_id", (json_int_t)d->c->root,
                                 "cadre_user_id", (json_int_t)cadre.user_id, "starts_on",
                                 day_text(d->a, d->today - 300), "ends_on",
                                 day_text(d->a, d->today + 65), "note", "驻厂员进驻企业",
                                 "enterprise_ids", ids),
                       &sid);
        for (int j = 0; e == E_OK && j < take; j++) {
            visit_body b = {.station_id = sid, .enterprise_id = fid[first + j],
                            .visited_on = day_text(d->a, d->today - 20 - j), .form = "visit",
                            .thoughts = "了解企业经营情况和发展诉求", .requests = "", .help = ""};
            int64_t vid;
            const char *bad;
            e = liaison_visit_add(d->ap, d->a, &cadre, &b, &vid, &bad);
        }
        /* each cadre's share of the 204 solved problems, and a few still open */
        int share = SOLVED / CADRES + (k < SOLVED % CADRES), open = k < 6;
        for (int j = 0; e == E_OK && j < share + open; j++) {
            const char *kind = kinds[(k + j) % 4];
            raise_body b = {.unit_id = gongxin, .category = kind,
                            .enterprise_id = fid[first + j % take],
                            .title = arena_sprintf(d->a, "企业%s难题（驻厂员%d第%d项）", kind, k + 1, j + 1),
                            .deadline_workdays = 30};
            e = raise(d, &d->county, "station", sid, &b, &handler, j < share);
            problems++;
        }
    }
    if (e == E_OK)
        fprintf(out, "liaison 驻厂员: %d cadres in %d enterprises, %d problems (%d solved)\n",
                CADRES, FIRMS, problems, SOLVED);
    return e;
}

/* ---- 小门家镇's 机械加工产业党建联盟 "1+5+N" ---- */

static err_code alliance(demo *d, FILE *out)
{
    static const char *const firms[] = {"三和铸造有限公司", "蓬莱巨涛机械有限公司",
                                        "小门家精工机械有限公司", "蓬达液压设备有限公司",
                                        "鑫海铸件有限公司"};
    int64_t fid[5], dept[4] = {d->c->depts[9].id, d->huanbao, d->shijian, d->c->depts[7].id};
    err_code e = E_OK;
    for (int i = 0; e == E_OK && i < 5; i++)
        e = record(d, &d->alliance_office, "enterprise",
                   json_pack("{sI ss ss ss ss}", "unit_id", (json_int_t)d->xiaomenjia, "name",
                             firms[i], "kind", "private", "sector", "机械加工", "branch",
                             arena_sprintf(d->a, "%s党支部", firms[i])),
                   &fid[i]);
    int64_t al;
    if (e == E_OK)
        e = record(d, &d->alliance_office, "alliance",
                   json_pack("{sI ss ss ss sI ss ss s[IIIII] s[IIII]}", "unit_id",
                             (json_int_t)d->xiaomenjia, "name", "小门家镇机械加工产业党建联盟",
                             "model", "1+5+N", "core", "小门家镇党委", "lead_enterprise_id",
                             (json_int_t)fid[0], "base", "三和铸造有限公司镇级联盟共享基地",
                             "goals", "组织联建、信息联通、活动联办、问题联解、人才联育、发展联动",
                             "enterprise_ids", (json_int_t)fid[0], (json_int_t)fid[1],
                             (json_int_t)fid[2], (json_int_t)fid[3], (json_int_t)fid[4],
                             "dept_ids", (json_int_t)dept[0], (json_int_t)dept[1],
                             (json_int_t)dept[2], (json_int_t)dept[3]),
                   &al);
    static const char *const teams[][3] = {{"liaison", "企业联络员队伍", "各企业党支部书记"},
                                           {"guide", "党建指导员队伍", "镇党委组织委员、党建指导员"},
                                           {"volunteer", "志愿服务队", "联盟企业党员志愿者"}};
    for (int i = 0; e == E_OK && i < 3; i++) {
        int64_t id;
        e = record(d, &d->alliance_office, "team",
                   json_pack("{sI ss ss ss}", "alliance_id", (json_int_t)al, "kind", teams[i][0],
                             "name", teams[i][1], "members", teams[i][2]),
                   &id);
    }
    /* 支部轮值: the twelve months up to this one */
    int y, m, dd;
    cal_to_ymd(d->today, &y, &m, &dd);
    for (int i = 0; e == E_OK && i < 12; i++) {
        cal_day first = cal_add_months(cal_from_ymd(y, m, 1), i - 11);
        int64_t id;
        e = record(d, &d->alliance_office, "rotation",
                   json_pack("{sI ss sI ss}", "alliance_id", (json_int_t)al, "month",
                             arena_strndup(d->a, day_text(d->a, first), 7), "enterprise_id",
                             (json_int_t)fid[i % 5], "theme", i % 2 ? "三会一课" : "集中学习"),
                   &id);
    }
    /* meetings: 4 联盟议事会 and 2 纾困解难会, raising the 11 problems (问题联解) */
    static const char *const issues[] = {
        "铸造车间安全生产隐患排查整改", "企业流动资金贷款对接", "喷涂工序环保设施升级",
        "特种设备检验周期协调", "厂区消防通道占用整治", "技改项目资金申报指导",
        "产品质量认证辅导", "危险化学品储存规范", "中小企业融资担保对接",
        "计量器具检定服务", "粉尘治理设备改造"};
    static const char *const handlers[] = {"lm_yingji", "lm_huanbao", "lm_shijian", "lm_fagai"};
    principal hs[4];
    for (int dk = 0; e == E_OK && dk < 4; dk++)
        e = demo_account(d->c, handlers[dk], demo_staff_name(100 + dk), dept[dk], "handler",
                         dept[dk], &hs[dk]);
    int issue = 0;
    for (int i = 0; e == E_OK && i < 6; i++) {
        int relief = i >= 4;
        int64_t mid;
        e = record(d, &d->alliance_office, "meeting",
                   json_pack("{sI ss ss ss ss ss s[II] s[II]}", "alliance_id", (json_int_t)al,
                             "kind", relief ? "relief" : "council", "held_on",
                             day_text(d->a, d->today - 320 + i * 50), "topic",
                             relief ? "企业纾困解难工作会" : "联盟议事会", "attendees",
                             "镇党委、联盟企业负责人、联建部门代表", "minutes",
                             "通报联盟工作，梳理企业问题，明确责任部门和时限", "enterprise_ids",
                             (json_int_t)fid[i % 5], (json_int_t)fid[(i + 1) % 5], "dept_ids",
                             (json_int_t)dept[i % 4], (json_int_t)dept[(i + 1) % 4]),
                   &mid);
        for (int j = 0; e == E_OK && j < (i < 5 ? 2 : 1); j++, issue++) {
            int dk = issue % 4;
            raise_body b = {.unit_id = dept[dk], .title = issues[issue], .category = "助企服务",
                            .enterprise_id = fid[issue % 5]};
            e = raise(d, &d->alliance_office, "meeting", mid, &b, &hs[dk], 1);
        }
    }
    /* joint activities with the seed's figures */
    static const struct {
        const char *kind, *title;
        int n, talents;
    } acts[] = {{"party_education", "杨子荣纪念馆党性教育", 1, 0},
                {"party_education", "戚继光纪念馆党性教育", 1, 0},
                {"party_education", "红色教育基地现场教学", 1, 0},
                {"forum", "区企业发展顾问团座谈交流", 4, 0},
                {"enterprise_service", "安监、环保等部门助企服务", 7, 0},
                {"mutual_check", "党建工作互查", 2, 0},
                {"needy_visit", "走访困难党员", 3, 0},
                {"talent", "人才集中招引（引进硕士研究生）", 2, 5},
                {"skills", "安全生产“擂台比武”", 1, 0}};
    int k = 0;
    for (int i = 0; e == E_OK && i < COUNT(acts); i++)
        for (int j = 0; e == E_OK && j < acts[i].n; j++, k++) {
            int64_t id;
            int talents = acts[i].talents ? (j ? 2 : 3) : 0;
            e = record(d, &d->alliance_office, "activity",
                       json_pack("{sI sI ss ss ss si si}", "unit_id", (json_int_t)d->xiaomenjia,
                                 "alliance_id", (json_int_t)al, "kind", acts[i].kind, "held_on",
                                 day_text(d->a, d->today - 330 + k * 12), "title", acts[i].title,
                                 "participants", 20 + k, "talents", talents),
                       &id);
        }
    if (e == E_OK)
        fprintf(out, "liaison 小门家镇: alliance \"1+5+N\" with 5 enterprises, 4 departments, "
                     "6 meetings, 11 problems solved, 5 talents recruited\n");
    return e;
}

err_code liaison_demo(app *ap, mech_demo_county *c, FILE *out)
{
    demo d = {.ap = ap, .c = c, .a = c->a, .today = cal_local_day(clock_now())};
    err_code e = unit(&d, "xicheng", "西城街道", "township", &d.xicheng);
    if (e == E_OK) e = unit(&d, "xiaomenjia", "小门家镇", "township", &d.xiaomenjia);
    if (e == E_OK) e = unit(&d, "huanbaoju", "县生态环境分局", "department", &d.huanbao);
    if (e == E_OK) e = unit(&d, "shijianju", "县市场监督管理局", "department", &d.shijian);
    int64_t tzb = c->depts[4].id, ducha = c->depts[1].id;
    if (e == E_OK)
        e = demo_account(c, "tongzhan_xc", demo_staff_name(70), d.xicheng, "liaison_clerk",
                         d.xicheng, &d.office);
    if (e == E_OK)
        e = demo_account(c, "tongzhanbu01", demo_staff_name(71), tzb, "liaison_clerk", c->root,
                         &d.county);
    if (e == E_OK)
        e = demo_account(c, "xmj_lianmeng", demo_staff_name(72), d.xiaomenjia, "liaison_clerk",
                         d.xiaomenjia, &d.alliance_office);
    /* the alliance's office puts problems on the list for the departments */
    if (e == E_OK)
        e = demo_account(c, "xmj_lianmeng", demo_staff_name(72), d.xiaomenjia, "operator",
                         c->root, &d.alliance_office);
    if (e == E_OK)
        e = demo_account(c, "lm_ducha", demo_staff_name(73), ducha, "operator", c->root, &d.ducha);
    if (e == E_OK)
        e = demo_account(c, "lm_hecha", demo_staff_name(74), ducha, "supervisor", c->root, &d.hecha);
    if (e == E_OK)
        e = demo_account(c, "xicheng01", demo_staff_name(75), d.xicheng, "handler", d.xicheng,
                         &d.xc_handler);
    if (e == E_OK) e = xicheng(&d, out);
    if (e == E_OK) e = stations(&d, out);
    if (e == E_OK) e = alliance(&d, out);
    if (e == E_OK)
        fprintf(out, "liaison accounts: tongzhanbu01 (县委统战部), tongzhan_xc and xc_lianxi01… "
                     "(西城街道), zhuchang01… (驻厂员), xmj_lianmeng (小门家镇党建联盟)\n");
    return e;
}
