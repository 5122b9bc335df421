/*
 * demo — the cadre mechanism's part of `duban demo`, 威海高新区-style: 800 cadres across the
 * county's departments and townships (ID numbers valid, sealed and masked), two years of clues
 * from the member units (纪检监察, 公安, 信访, 审计, 信用, 个人有关事项报告 …, texts sealed),
 * a 联席研判会 every quarter disposing of the quarter's clues, responses at every grade with
 * their impact periods, two years of annual assessments, and a handful of cadres whose recent
 * clues put them on the 黄 and 红 lists; the section's, a member unit's and a leader's accounts.
 * Dates are counted back from today, so the figures are the same whatever day it runs. All in
 * one write transaction of plain inserts: seconds, not minutes.
 */
#include "cadre/cadre_int.h"

#include "base/clock.h"
#include "demo/demo.h"

#include <string.h>

#define COUNT(a) ((int)(sizeof(a) / sizeof(a)[0]))

enum { NCADRE = 800, NCLUE = 560 };

typedef struct {
    app *ap;
    mech_demo_county *c;
    arena *a;
    cal_day today;
    demo_rng rng;
    int64_t units[40];
    int nunits;
    int64_t cadre[NCADRE];
    int64_t section_user, zuzhi, jiwei, gongan;
    int clues, sessions, responses, assessments;
} demo;

static const char *day_text(arena *a, cal_day d)
{
    char *s = arena_alloc(a, 11);
    cal_format(d, s);
    return s;
}

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
                                       "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗",
                                       "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧"};
static const char *const given[] = {
    "建华", "立军", "秀梅", "志远", "海涛", "丽华", "文杰", "国强", "晓峰", "春燕", "德明",
    "玉洁", "振宇", "红梅", "立国", "静雯", "永福", "雪峰", "宏亮", "金海", "明远", "桂香",
    "俊峰", "淑华", "卫国", "晓琳", "庆华", "美华", "长江", "慧琳", "广平", "爱民", "保国"};
static const char *const posts[] = {"党组书记、局长", "副局长", "党委书记", "镇长", "党委副书记",
                                    "副镇长", "纪委书记", "组织委员", "办公室主任", "科长"};

static const char *idno_for(arena *a, int i, int year, int month, int dd)
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    char s[40];
    snprintf(s, sizeof s, "371091%04d%02d%02d%03d", year % 10000, month % 100, dd % 100, i % 1000);
    int sum = 0;
    for (int k = 0; k < 17; k++)
        sum += (s[k] - '0') * w[k];
    s[17] = "10X98765432"[sum % 11];
    s[18] = 0;
    return arena_strdup(a, s);
}

static err_code cadres(demo *d, store_tx *tx)
{
    static const char sql[] =
        "INSERT INTO cadre(unit_id, name, gender, birth_date, id_sealed, id_masked, id_hash,"
        " position, rank, in_post_on, managed_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
        " ?8, ?9, ?10, 'county', ?11){returning_id}";
    for (int i = 0; i < NCADRE; i++) {
        int y = 1965 + demo_below(&d->rng, 26), m = 1 + demo_below(&d->rng, 12),
            dd = 1 + demo_below(&d->rng, 28);
        const char *id = idno_for(d->a, i, y, m, dd);
        char masked[19], hash[65];
        cadre_idno_mask(id, masked);
        cadre_seal_hash(id, hash);
        int p = demo_below(&d->rng, COUNT(posts));
        sq_stmt *st = sq_prep(tx, sql);
        sq_bind(st, "issss", d->units[i % d->nunits],
                arena_sprintf(d->a, "%s%s", surnames[(i * 7 + i / 30) % COUNT(surnames)],
                              given[(i * 11 + i / 33) % COUNT(given)]),
                demo_below(&d->rng, 3) ? "male" : "female",
                arena_sprintf(d->a, "%04d-%02d-%02d", y, m, dd), NULL);
        err_code e = cadre_bind_sealed(d->a, st, 5, id);
        if (e != E_OK) return e;
        sq_bind_text(st, 6, masked);
        sq_bind_text(st, 7, hash);
        sq_bind_text(st, 8, posts[p]);
        sq_bind_text(st, 9, p < 2 ? "county" : "section");
        sq_bind_text(st, 10, day_text(d->a, d->today - 200 - demo_below(&d->rng, 2500)));
        sq_bind_int(st, 11, clock_now());
        if ((e = sq_insert(tx, st, &d->cadre[i])) != E_OK) return e;
    }
    return E_OK;
}

typedef struct {
    const char *source, *circle, *category, *text;
    int64_t reporter;
} clue_kind;

static err_code clue(demo *d, store_tx *tx, int64_t cadre, const clue_kind *k, int sev, cal_day on,
                     int64_t *id)
{
    static const char sql[] =
        "INSERT INTO cadre_clue(cadre_id, source, circle, category, severity, occurred_on,"
        " description, reporter_unit_id, submitted_by, submitted_at) VALUES (?1, ?2, ?3, ?4, ?5,"
        " ?6, ?7, ?8, ?9, ?10){returning_id}";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "isssis", cadre, k->source, k->circle, k->category, (int64_t)sev, day_text(d->a, on));
    err_code e = cadre_bind_sealed(d->a, st, 7, k->text);
    if (e != E_OK) return e;
    sq_bind_int(st, 8, k->reporter);
    sq_bind_int(st, 9, d->section_user);
    sq_bind_int(st, 10, clock_now());
    d->clues++;
    return sq_insert(tx, st, id);
}

static err_code decide(demo *d, store_tx *tx, int64_t session, const char *held, int64_t cadre,
                       int64_t clue_id, const char *disposal, const char *kind, const char *reason,
                       int64_t *id)
{
    static const char sql[] =
        "INSERT INTO cadre_decision(session_id, cadre_id, clue_id, disposal, response_kind, reason)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6){returning_id}";
    static const char upd[] = "UPDATE cadre_clue SET disposal = ?1, session_id = ?2, disposed_on = ?3"
                              " WHERE id = ?4";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "ii", session, cadre);
    sq_bind_ref(st, 3, clue_id);
    sq_bind_text(st, 4, disposal);
    if (kind) sq_bind_text(st, 5, kind);
    else sq_bind_null(st, 5);
    err_code e = cadre_bind_sealed(d->a, st, 6, reason);
    if (e == E_OK) e = sq_insert(tx, st, id);
    if (e != E_OK || !clue_id) return e;
    st = sq_prep(tx, upd);
    sq_bind(st, "siss", disposal, session, held, NULL);
    sq_bind_int(st, 4, clue_id);
    return sq_exec(tx, st);
}

static err_code respond(demo *d, store_tx *tx, int64_t cadre, int64_t decision, const char *kind,
                        cal_day on, const char *finding, const char *content)
{
    static const char months_sql[] = "SELECT impact_months FROM cadre_response_kind WHERE code = ?1";
    static const char sql[] =
        "INSERT INTO cadre_response(cadre_id, decision_id, kind, decided_on, impact_months,"
        " impact_until, talker, recorder, place, reply_due, finding, content, created_by,"
        " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
        "{returning_id}";
    static const char used[] = "UPDATE cadre_decision SET used = 1 WHERE id = ?1";
    sq_stmt *st = sq_prep(tx, months_sql);
    sq_bind(st, "s", kind);
    int64_t months = 0, id;
    err_code e = sq_int_or(tx, st, 0, &months);
    if (e != E_OK) return e;
    int talk = !strcmp(kind, "admonish") || !strcmp(kind, "remind");
    st = sq_prep(tx, sql);
    sq_bind(st, "iissis", cadre, decision, kind, day_text(d->a, on), months,
            day_text(d->a, cadre_impact_end(on, (int)months)));
    sq_bind_text(st, 7, talk ? arena_sprintf(d->a, "%s（县委组织部副部长）", demo_staff_name(111)) : "");
    sq_bind_text(st, 8, talk ? arena_sprintf(d->a, "%s（县委组织部干部监督科）", demo_staff_name(110)) : "");
    sq_bind_text(st, 9, talk ? "县委组织部谈话室" : "");
    sq_bind_text(st, 10, !strcmp(kind, "inquiry") ? day_text(d->a, on + 15) : "");
    sq_bind_text(st, 11, finding);
    if ((e = cadre_bind_sealed(d->a, st, 12, content)) != E_OK) return e;
    sq_bind_int(st, 13, d->section_user);
    sq_bind_int(st, 14, clock_now());
    if ((e = sq_insert(tx, st, &id)) != E_OK) return e;
    st = sq_prep(tx, used);
    sq_bind_int(st, 1, decision);
    d->responses++;
    return sq_exec(tx, st);
}

static const char *resp_text(const char *kind)
{
    if (!strcmp(kind, "remind")) return "提醒谈话：指出苗头性问题，要求引以为戒、及时纠正";
    if (!strcmp(kind, "inquiry")) return "函询：请就反映的问题作出书面说明";
    if (!strcmp(kind, "criticism")) return "批评教育：当面指出问题，责令改正";
    if (!strcmp(kind, "self_check")) return "责令检查：限期向组织作出书面检查";
    if (!strcmp(kind, "admonish")) return "诫勉谈话：事由为履职不力、作风不实，提出整改要求并抄告单位主要负责人";
    return "组织处理：经研究决定予以调整";
}

static err_code history(demo *d, store_tx *tx)
{
    const clue_kind kinds[] = {
        {"discipline", "work", "integrity", "反映在项目审批中接受管理服务对象宴请", d->jiwei},
        {"judicial", "life", "credit", "家属涉及民间借贷纠纷被起诉", d->gongan},
        {"petition", "work", "duty", "群众反映办事推诿、多次往返未果", d->zuzhi},
        {"audit", "work", "duty", "审计发现专项资金拨付不及时", d->zuzhi},
        {"credit", "life", "credit", "被列入失信被执行人名单", d->gongan},
        {"personal_report", "life", "conceal", "个人有关事项报告漏报房产一处", d->zuzhi},
        {"home_visit", "life", "family", "居住地走访反映家风方面的问题", d->zuzhi},
        {"online", "social", "style", "网络反映工作日午间饮酒", d->jiwei},
        {"report_review", "work", "duty", "一报告两评议中满意度偏低", d->zuzhi},
        {"life_meeting", "work", "style", "民主生活会上批评意见较集中", d->zuzhi},
    };
    static const char *const disposals[] = {"close", "close", "close", "close", "hold", "hold",
                                            "talk_inquiry", "talk_inquiry", "talk_inquiry", "verify"};
    static const char *const talks[] = {"remind", "remind", "inquiry", "criticism"};
    static const char *const verifies[] = {"self_check", "admonish", "admonish", "adjust", "removal"};
    static const char session_sql[] =
        "INSERT INTO cadre_session(unit_id, title, held_on, participants, created_by, created_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6){returning_id}";
    /* eight quarters back, oldest first; each quarter's clues are judged at its end */
    int y, m, dd;
    cal_to_ymd(d->today, &y, &m, &dd);
    cal_day qstart = cal_from_ymd(y, (m - 1) / 3 * 3 + 1, 1);
    err_code e = E_OK;
    for (int q = 8; q >= 0 && e == E_OK; q--) {
        cal_day from = cal_add_months(qstart, -3 * q), to = cal_add_months(from, 3);
        int per = NCLUE / 9;
        int64_t *ids = arena_alloc(d->a, per * sizeof *ids);
        int *ks = arena_alloc(d->a, per * sizeof *ks);
        int *cs = arena_alloc(d->a, per * sizeof *cs);
        for (int i = 0; i < per && e == E_OK; i++) {
            ks[i] = demo_below(&d->rng, COUNT(kinds));
            cs[i] = 40 + demo_below(&d->rng, NCADRE - 40); /* the first 40 are kept for the story */
            cal_day on = from + demo_below(&d->rng, to - from);
            if (on > d->today) on = d->today - demo_below(&d->rng, 10);
            e = clue(d, tx, d->cadre[cs[i]], &kinds[ks[i]], 1 + demo_below(&d->rng, 2), on, &ids[i]);
        }
        if (q == 0 || e != E_OK) break; /* the current quarter waits for its 研判 */
        int yy, mm, d2;
        cal_to_ymd(from, &yy, &mm, &d2);
        cal_day held = to + 5;
        const char *held_s = day_text(d->a, held);
        int64_t session;
        sq_stmt *st = sq_prep(tx, session_sql);
        sq_bind(st, "isssii", d->c->root,
                arena_sprintf(d->a, "%d年第%d季度干部监督联席研判会", yy, (mm - 1) / 3 + 1), held_s,
                "县委组织部、县纪委监委、县公安局、县信访局、县审计局", d->section_user, clock_now());
        if ((e = sq_insert(tx, st, &session)) != E_OK) break;
        d->sessions++;
        for (int i = 0; i < per && e == E_OK; i++) {
            const char *disp = disposals[demo_below(&d->rng, COUNT(disposals))];
            const char *kind = !strcmp(disp, "talk_inquiry") ? talks[demo_below(&d->rng, COUNT(talks))]
                               : !strcmp(disp, "verify") ? verifies[demo_below(&d->rng, COUNT(verifies))]
                                                         : NULL;
            int64_t dec;
            e = decide(d, tx, session, held_s, d->cadre[cs[i]], ids[i], disp, kind,
                       kind ? "反映问题具体，经研判予以处置" : "经研判，反映问题不实或情节轻微", &dec);
            if (e == E_OK && kind) {
                const char *finding = !strcmp(kind, "inquiry")
                                          ? (!strcmp(kinds[ks[i]].category, "conceal") ? "true" : "false")
                                          : "";
                e = respond(d, tx, d->cadre[cs[i]], dec, kind, held + 3 + demo_below(&d->rng, 10),
                            finding, resp_text(kind));
            }
        }
    }
    if (e != E_OK) return e;
    /* the story: cadres 0–3 with recent clues from two sources (黄 by the count rule), 4–5 with
     * serious recent clues and a 诫勉 (红), 6 found to have 瞒报 (not promotable) */
    for (int i = 0; i < 4 && e == E_OK; i++) {
        int64_t id;
        e = clue(d, tx, d->cadre[i], &kinds[2], 1, d->today - 20 - i * 7, &id);
        if (e == E_OK) e = clue(d, tx, d->cadre[i], &kinds[7], 1, d->today - 45 - i * 5, &id);
    }
    for (int i = 4; i < 6 && e == E_OK; i++) {
        int64_t id, dec, session;
        e = clue(d, tx, d->cadre[i], &kinds[0], 3, d->today - 120, &id);
        if (e == E_OK) e = clue(d, tx, d->cadre[i], &kinds[3], 2, d->today - 15, &id);
        if (e == E_OK) e = clue(d, tx, d->cadre[i], &kinds[1], 2, d->today - 8, &id);
        if (e != E_OK) break;
        sq_stmt *st = sq_prep(tx, session_sql);
        const char *held = day_text(d->a, d->today - 100);
        sq_bind(st, "isssii", d->c->root, "专题研判会", held, "县委组织部、县纪委监委", d->section_user,
                clock_now());
        if ((e = sq_insert(tx, st, &session)) != E_OK) break;
        d->sessions++;
        e = decide(d, tx, session, held, d->cadre[i], 0, "", "admonish", "线索反映问题属实，予以诫勉", &dec);
        if (e == E_OK) e = respond(d, tx, d->cadre[i], dec, "admonish", d->today - 95, "", resp_text("admonish"));
    }
    if (e == E_OK) {
        int64_t id, dec, session;
        e = clue(d, tx, d->cadre[6], &kinds[5], 2, d->today - 160, &id);
        sq_stmt *st = sq_prep(tx, session_sql);
        const char *held = day_text(d->a, d->today - 150);
        sq_bind(st, "isssii", d->c->root, "个人有关事项报告查核结果研判会", held, "县委组织部",
                d->section_user, clock_now());
        if (e == E_OK) e = sq_insert(tx, st, &session);
        if (e == E_OK) d->sessions++;
        if (e == E_OK) e = decide(d, tx, session, held, d->cadre[6], id, "verify", "inquiry", "函询核实", &dec);
        if (e == E_OK)
            e = respond(d, tx, d->cadre[6], dec, "inquiry", d->today - 148, "true",
                        "函询回复：承认漏报房产一处，查核属实");
    }
    return e;
}

static err_code assessments(demo *d, store_tx *tx)
{
    static const char sql[] = "INSERT INTO cadre_assessment(cadre_id, year, quarter, grade, evidence)"
                              " VALUES (?1, ?2, 0, ?3, ?4){returning_id}";
    int y, m, dd;
    cal_to_ymd(d->today, &y, &m, &dd);
    for (int i = 0; i < NCADRE; i++)
        for (int yy = y - 2; yy < y; yy++) {
            int r = demo_below(&d->rng, 100);
            const char *g = r < 15 ? "excellent" : r < 97 ? "competent" : r < 99 ? "basic" : "incompetent";
            if (i == 7 && yy == y - 1) g = "basic"; /* the story: 基本称职 last year */
            sq_stmt *st = sq_prep(tx, sql);
            sq_bind(st, "iiss", d->cadre[i], (int64_t)yy, g, "年度述职、民主测评和平时考核情况");
            int64_t id;
            err_code e = sq_insert(tx, st, &id);
            if (e != E_OK) return e;
            d->assessments++;
        }
    return E_OK;
}

static err_code fill_fn(store_tx *tx, void *ctx)
{
    demo *d = ctx;
    err_code e = cadres(d, tx);
    if (e == E_OK) e = history(d, tx);
    if (e == E_OK) e = assessments(d, tx);
    if (e == E_OK)
        e = app_audit(d->ap, tx, d->a, &d->c->sys, "cadre.demo", "cadre:0",
                      json_pack("{si si si si}", "cadres", NCADRE, "clues", d->clues, "sessions",
                                d->sessions, "responses", d->responses));
    return e;
}

err_code cadre_demo(app *ap, mech_demo_county *c, FILE *out)
{
    demo d = {.ap = ap, .c = c, .a = c->a, .today = cal_local_day(clock_now()), .rng = {c->opt->seed ^ 0x14c4d3u}};
    if (!d.rng.s) d.rng.s = 14;
    for (int i = 0; i < c->ndept && d.nunits < 40; i++)
        d.units[d.nunits++] = c->depts[i].id;
    for (int i = 0; i < c->ntown && d.nunits < 40; i++)
        d.units[d.nunits++] = c->towns[i].id;
    d.zuzhi = c->depts[2].id;
    d.jiwei = c->depts[5].id;
    d.gongan = c->depts[13].id;
    principal p;
    err_code e = cadre_keys(ap);
    if (e == E_OK)
        e = demo_account(c, "ganbujiandu", demo_staff_name(110), d.zuzhi, "cadre_section", c->root, &p);
    d.section_user = p.user_id;
    if (e == E_OK)
        e = demo_account(c, "zuzhi_leader", demo_staff_name(111), d.zuzhi, "cadre_leader", c->root, &p);
    if (e == E_OK)
        e = demo_account(c, "jiwei_xiansuo", demo_staff_name(112), d.jiwei, "cadre_member", c->root, &p);
    if (e == E_OK)
        e = demo_account(c, "gongan_xiansuo", demo_staff_name(113), d.gongan, "cadre_member", c->root, &p);
    if (e == E_OK) e = store_write(ap->st, fill_fn, &d);
    if (e == E_OK)
        fprintf(out,
                "cadre: %d cadres, %d clues, %d 研判 sessions, %d responses, %d assessments; "
                "accounts ganbujiandu (干部监督科), zuzhi_leader (分管领导), jiwei_xiansuo and "
                "gongan_xiansuo (成员单位)\n",
                NCADRE, d.clues, d.sessions, d.responses, d.assessments);
    return e;
}
