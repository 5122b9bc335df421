/*
 * demo — the problem list's part of `duban demo` (demo/demo.h): the accounts of every role
 * (督查经办人, 督导核查人, 县级领导, each unit's 责任单位经办人) and two years of problems that
 * went through the real flow — assigned, signed, reported, claimed, verified, some returned, some
 * overdue, some reopened by a look-back — written through the problem mechanism with the times
 * at which they happened, then one tick.
 */
#include "problem/problem_int.h"

#include "attach/attach.h"
#include "base/clock.h"
#include "demo/demo.h"
#include "problem/tick.h"

#include <stdlib.h>
#include <string.h>

/* Sources, and for each the categories its problems fall in (MECHANISMS.md §1). */
typedef struct {
    const char *source;
    int weight;
    const char *categories[6];
    int by_enterprise; /* the subject is an enterprise, else a village */
} source_kind;

static const source_kind sources[] = {
    {"调研", 35, {"项目推进", "安全生产", "融资", "用工", "居住环境", NULL}, 0},
    {"驻厂", 25, {"融资", "市场", "技术", "用工", NULL}, 1},
    {"督查", 15, {"安全生产", "项目推进", "居住环境", NULL}, 0},
    {"联盟议事", 10, {"项目推进", "市场", "用工", NULL}, 1},
    {"志愿服务", 15, {"居住环境", "基础教育", "医疗质量", "社会治安", "文体生活", "社会帮扶"}, 0},
};

typedef struct {
    const char *category, *title, *description, *measures;
} problem_text;

static const problem_text texts[] = {
    {"项目推进", "%s配套道路未完工", "%s反映，项目配套道路迟迟未完工，影响原材料运输和施工进度。",
     "协调交通、住建部门，明确施工节点，限期完工。"},
    {"项目推进", "%s用地手续办理缓慢", "%s新建项目用地手续办理周期长，项目无法按期开工。",
     "开通审批绿色通道，专人跟踪办理。"},
    {"安全生产", "%s消防通道被占用", "检查发现%s厂区消防通道堆放杂物，存在安全隐患。",
     "责令立即清理，建立日常巡查制度。"},
    {"安全生产", "%s危化品存放不规范", "%s危险化学品仓库未按规定分类存放，台账不全。",
     "组织专家现场指导，限期整改并复查。"},
    {"融资", "%s流动资金紧张", "%s订单增加但流动资金不足，银行贷款审批慢。",
     "对接县内银行开展银企对接，争取专项贷款。"},
    {"市场", "%s产品外销渠道单一", "%s产品主要依赖单一经销商，市场风险较大。",
     "组织参加展会，对接电商平台拓展渠道。"},
    {"技术", "%s生产线技术改造遇到瓶颈", "%s生产线自动化改造缺少技术支撑。",
     "联系高校院所开展技术对接。"},
    {"用工", "%s熟练工人招聘难", "%s反映熟练技术工人短缺，影响订单交付。",
     "举办专场招聘会，开展订单式技能培训。"},
    {"居住环境", "%s生活污水直排", "群众反映%s部分生活污水直排坑塘，夏季异味明显。",
     "铺设污水管网，纳入农村污水治理计划。"},
    {"居住环境", "%s路灯损坏无人维修", "%s主街路灯多处损坏，群众夜间出行不便。",
     "排查损坏路灯，落实维修和管护责任。"},
    {"基础教育", "%s幼儿园学位紧张", "%s适龄儿童增多，幼儿园学位不足。",
     "挖潜扩班，推进新建幼儿园项目。"},
    {"医疗质量", "%s卫生室药品不全", "%s村卫生室常用药品配备不全，群众就医不便。",
     "协调卫健部门补齐基本药物目录。"},
    {"社会治安", "%s夜间治安巡逻不足", "%s群众反映夜间治安巡逻力量不足，偶有盗窃发生。",
     "增加巡逻频次，完善视频监控。"},
    {"文体生活", "%s文化广场设施陈旧", "%s文化广场健身器材老化，存在安全隐患。",
     "更新健身器材，落实日常维护。"},
    {"社会帮扶", "%s困难群众帮扶不到位", "走访发现%s个别困难群众帮扶措施落实不到位。",
     "逐户排查，落实一户一策帮扶措施。"},
};
enum { NTEXTS = sizeof texts / sizeof texts[0] };

/* A 1×1 PNG used as the photo evidence of every claim. */
static const unsigned char photo[] = {
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48,
    0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
    0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78,
    0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99,
    0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
};

typedef demo_rng rng;
#define below demo_below

/* ---- setting up units and people ---- */

enum { MAXU = 64 };

typedef struct {
    app *ap;
    arena *a;
    const demo_options *opt;
    mech_demo_county *c;
    rng r;
    principal sys;
    int64_t root;
    principal operator_, verifiers[2], leaders[3], town_handlers[MAXU], dept_handlers[MAXU];
    int refused; /* steps the flow refused (the problem's later steps are then skipped) */
} demo;

static err_code build_people(demo *d)
{
    static const char *leader_names[] = {"张县长", "李副书记", "刘副县长"};
    mech_demo_county *c = d->c;
    int64_t office = c->depts[0].id, ducha = c->depts[1].id;
    err_code e = demo_account(c, "duchayuan", "周督查", ducha, "operator", d->root, &d->operator_);
    if (e == E_OK)
        e = demo_account(c, "hecha1", "王核查", ducha, "supervisor", d->root, &d->verifiers[0]);
    if (e == E_OK)
        e = demo_account(c, "hecha2", "赵督导", ducha, "supervisor", d->root, &d->verifiers[1]);
    for (int i = 0; e == E_OK && i < 3; i++)
        e = demo_account(c, arena_sprintf(d->a, "lingdao%d", i + 1), leader_names[i], office,
                         "leader", d->root, &d->leaders[i]);
    for (int i = 0; e == E_OK && i < c->ntown; i++)
        e = demo_account(c, arena_sprintf(d->a, "%s01", c->towns[i].code),
                         demo_staff_name(i), c->towns[i].id,
                         "handler", c->towns[i].id, &d->town_handlers[i]);
    for (int i = 2; e == E_OK && i < c->ndept; i++)
        e = demo_account(c, arena_sprintf(d->a, "%s01", c->depts[i].code),
                         demo_staff_name(20 + i), c->depts[i].id,
                         "handler", c->depts[i].id, &d->dept_handlers[i]);
    return e;
}

/* ---- two years of problems ---- */

typedef enum {
    ST_REGISTER,
    ST_ASSIGN,
    ST_SIGN,
    ST_REPORT,
    ST_CLAIM,
    ST_VERIFY_FAIL,
    ST_VERIFY_PASS,
    ST_REOPEN,
    ST_SUPERVISE,
    ST_EXTEND_ASK,
    ST_EXTEND_OK,
    ST_EXTEND_NO
} step_kind;

typedef struct {
    int64_t at;
    int problem; /* index into the plans */
    step_kind kind;
} step;

typedef struct {
    problem_input in;
    const principal *handler;
    int64_t id;         /* once registered */
    char extend_to[11]; /* the date an extension was asked for */
    int dead;           /* a step failed: the rest of its steps are skipped */
} plan;

static int64_t local_time(cal_day day, int hour)
{
    return (int64_t)day * 86400 + (hour - 8) * 3600; /* Shanghai is UTC+8 */
}

static const source_kind *pick_source(rng *r)
{
    int total = 0, n = (int)(sizeof sources / sizeof sources[0]);
    for (int i = 0; i < n; i++)
        total += sources[i].weight;
    int x = below(r, total);
    for (int i = 0; i < n; i++) {
        if (x < sources[i].weight) return &sources[i];
        x -= sources[i].weight;
    }
    return &sources[0];
}

static const problem_text *pick_text(rng *r, const source_kind *s)
{
    int ncat = 0;
    while (ncat < 6 && s->categories[ncat])
        ncat++;
    const char *cat = s->categories[below(r, ncat)];
    const problem_text *match[NTEXTS];
    int n = 0;
    for (int i = 0; i < NTEXTS; i++)
        if (strcmp(texts[i].category, cat) == 0) match[n++] = &texts[i];
    return match[below(r, n)];
}

/* Plans one problem: what it is and when each step of its life happens. */
static void plan_problem(demo *d, plan *p, int index, cal_day today, step **steps, size_t *nsteps,
                         size_t *cap)
{
    rng *r = &d->r;
    const source_kind *src = pick_source(r);
    const problem_text *t = pick_text(r, src);
    int town = below(r, d->c->ntown), in_town = below(r, 10) < 7 || src->by_enterprise;
    const char *subject;
    int64_t unit;
    if (src->by_enterprise) {
        int e = below(r, d->c->nenterprise);
        subject = d->c->enterprises[e].name;
        unit = d->c->enterprise_town[e];
        for (int i = 0; i < d->c->ntown; i++)
            if (d->c->towns[i].id == unit) p->handler = &d->town_handlers[i];
    } else if (in_town) {
        subject = d->c->villages[town][below(r, DEMO_NVILLAGE)].name;
        unit = d->c->towns[town].id;
        p->handler = &d->town_handlers[town];
    } else {
        /* A department answers for a problem found in some village. */
        int dept = 2 + below(r, d->c->ndept - 2);
        subject = d->c->villages[town][below(r, DEMO_NVILLAGE)].name;
        unit = d->c->depts[dept].id;
        p->handler = &d->dept_handlers[dept];
    }
    cal_day found = today - 1 - below(r, 730);
    int ongoing = below(r, 10) < 3;
    char *found_text = arena_alloc(d->a, 11);
    cal_format(found, found_text);
    p->in = (problem_input){
        .source = src->source,
        .category = t->category,
        .title = arena_sprintf(d->a, t->title, subject),
        .description = arena_sprintf(d->a, t->description, subject),
        .found_on = found_text,
        .measures = t->measures,
        .mode = ongoing ? "ongoing" : "immediate",
        .goal = ongoing ? "年内取得明显成效，问题得到根本解决" : NULL,
        .subject = subject,
        .unit_id = unit,
        .person = p->handler->name,
        .leader_user_id = strcmp(src->source, "调研") == 0 ? d->leaders[below(r, 3)].user_id : 0,
        .leader = strcmp(src->source, "调研") == 0 ? "县级领导" : "",
        .deadline_workdays = ongoing ? 0 : 10 + below(r, 20),
        .deadline_days = ongoing ? 90 + below(r, 180) : 0,
    };
    /* The life of the problem, step by step, until today. */
    int64_t at = local_time(found, 9 + below(r, 8));
    int span = ongoing ? 60 + below(r, 150) : 5 + below(r, 30); /* days to a claim */
#define STEP(kind_, days_)                                                                         \
    do {                                                                                           \
        at += (int64_t)(days_)*86400 + below(r, 4 * 3600);                                         \
        if (at >= local_time(today, 8)) return;                                                    \
        if (*nsteps == *cap)                                                                       \
            *steps = xrealloc(*steps, (*cap = *cap ? *cap * 2 : 1024) * sizeof **steps);           \
        (*steps)[(*nsteps)++] = (step){at, index, kind_};                                          \
    } while (0)
    STEP(ST_REGISTER, 0);
    STEP(ST_ASSIGN, 1);
    STEP(ST_SIGN, below(r, 4));
    if (below(r, 100) < 4) STEP(ST_SUPERVISE, 1 + below(r, 10)); /* 挂牌督办 by a county leader */
    if (below(r, 100) < 10) { /* an extension asked for, mostly granted, some still waiting */
        STEP(ST_EXTEND_ASK, span / 2);
        STEP(below(r, 4) ? ST_EXTEND_OK : ST_EXTEND_NO, 1 + below(r, 3));
    }
    for (int k = below(r, 3); k > 0; k--)
        STEP(ST_REPORT, span / 3);
    if (below(r, 100) < 8) return; /* left open: likely overdue by now */
    STEP(ST_CLAIM, span / 3);
    if (below(r, 10) == 0) {
        STEP(ST_VERIFY_FAIL, 1 + below(r, 4));
        STEP(ST_CLAIM, 3 + below(r, 10));
    }
    STEP(ST_VERIFY_PASS, 1 + below(r, 5));
    if (p->in.leader_user_id && below(r, 100) < 12) STEP(ST_REOPEN, 30 + below(r, 60));
#undef STEP
}

/* ---- carrying the plans out in time order ---- */

static int by_time(const void *a, const void *b)
{
    const step *x = a, *y = b;
    return (x->at > y->at) - (x->at < y->at);
}

typedef struct {
    demo *d;
    const principal *who;
    store_attachment at;
} evidence_ctx;

static err_code evidence_fn(store_tx *tx, void *ctx)
{
    evidence_ctx *c = ctx;
    err_code e = attach_store_in_db(tx, c->d->ap->files_dir, c->at.sha256, photo, sizeof photo);
    if (e == E_OK) e = store_attachment_insert(tx, &c->at);
    if (e != E_OK) return e;
    return app_audit(
        c->d->ap, tx, c->d->a, c->who, "attachment.upload",
        arena_sprintf(c->d->a, "problem:%lld", (long long)c->at.item_id),
        json_pack("{sI ss}", "attachment_id", (json_int_t)c->at.id, "name", c->at.filename));
}

/* Stores the photo as evidence of the problem, uploaded by p; returns its id (0 on failure). */
static int64_t upload_photo(demo *d, const principal *p, int64_t problem_id)
{
    char sha[65], err[256];
    if (attach_store(d->ap->files_dir, photo, sizeof photo, sha, err, sizeof err) != E_OK) return 0;
    evidence_ctx c = {d,
                      p,
                      {.sha256 = sha,
                       .size = sizeof photo,
                       .mime = "image/png",
                       .filename = "整改现场照片.png",
                       .flow = "problem",
                       .item_id = problem_id,
                       .created_by = p->user_id,
                       .created_at = clock_now()}};
    return store_write(d->ap->st, evidence_fn, &c) == E_OK ? c.at.id : 0;
}

static const principal *leader_of(demo *d, const plan *p)
{
    for (int i = 0; i < 3; i++)
        if (d->leaders[i].user_id == p->in.leader_user_id) return &d->leaders[i];
    return &d->leaders[0];
}

static err_code act(demo *d, arena *a, const principal *who, plan *p, const char *action,
                    json_t *fields, int64_t evidence)
{
    problem_action_input in = {action, fields, evidence ? &evidence : NULL, evidence ? 1 : 0,
                               PROBLEM_VERSION_ANY};
    store_problem out;
    flow_refusal why;
    err_code e = problem_act(d->ap, a, who, p->id, &in, &out, &why);
    json_decref(fields);
    return e;
}

static err_code run_step(demo *d, arena *a, plan *p, const step *s)
{
    const principal *verifier = &d->verifiers[p->id % 2];
    const char *method = p->id % 3 ? "电话核实" : "实地核查（四不两直）";
    switch (s->kind) {
    case ST_REGISTER: {
        store_problem out;
        const char *field;
        err_code e = problem_register(d->ap, a, &d->operator_, &p->in, &out, &field);
        p->id = out.id;
        return e;
    }
    case ST_ASSIGN:
        return act(d, a, &d->operator_, p, "assign",
                   json_pack("{ss}", "note", "请按期办结并报送进展"), 0);
    case ST_SIGN:
        return act(d, a, p->handler, p, "sign", NULL, 0);
    case ST_REPORT:
        return act(d, a, p->handler, p, "report",
                   json_pack("{ss sb}", "progress", "已制定整改方案，正在按计划推进。",
                             "staged_result", strcmp(p->in.mode, "ongoing") == 0),
                   0);
    case ST_CLAIM:
        return act(d, a, p->handler, p, "claim",
                   json_pack("{ss}", "summary", "已按整改措施完成整改，申请销号。"),
                   upload_photo(d, p->handler, p->id));
    case ST_VERIFY_FAIL:
        return act(d, a, verifier, p, "verify_fail",
                   json_pack("{ss ss}", "method", method, "finding",
                             "整改不到位，群众仍有反映，退回重办。"),
                   0);
    case ST_VERIFY_PASS:
        return act(
            d, a, verifier, p, "verify_pass",
            json_pack("{ss ss}", "method", method, "finding", "经核实，问题已解决，同意销号。"), 0);
    case ST_SUPERVISE:
        return act(d, a, &d->leaders[p->id % 3], p, "supervise",
                   json_pack("{sI ss}", "leader_id", (json_int_t)d->leaders[p->id % 3].user_id, "note",
                             "列为县级领导挂牌督办事项，每周调度一次。"),
                   0);
    case ST_EXTEND_ASK:
        cal_format(cal_local_day(s->at) + 45, p->extend_to);
        return act(d, a, p->handler, p, "request_extension",
                   json_pack("{ss ss}", "new_deadline", p->extend_to, "reason",
                             "涉及资金筹措和施工季节，需延长整改时限。"),
                   0);
    case ST_EXTEND_OK:
        return act(
            d, a, &d->operator_, p, "approve_extension",
            json_pack("{ss ss}", "new_deadline", p->extend_to, "note", "同意延期，请抓紧推进。"),
            0);
    case ST_EXTEND_NO:
        return act(d, a, &d->operator_, p, "reject_extension",
                   json_pack("{ss}", "note", "理由不充分，请按原时限完成整改。"), 0);
    case ST_REOPEN: {
        char due[11];
        cal_format(cal_local_day(s->at) + 30, due);
        return act(d, a, leader_of(d, p), p, "reopen",
                   json_pack("{ss ss}", "finding", "回头看发现问题反弹，需重新整改。",
                             "new_deadline", due),
                   0);
    }
    }
    return E_INTERNAL;
}

static err_code build_problems(demo *d)
{
    plan *plans = xcalloc((size_t)d->opt->problems, sizeof *plans);
    step *steps = NULL;
    size_t nsteps = 0, cap = 0;
    cal_day today = cal_local_day(clock_now());
    for (int i = 0; i < d->opt->problems; i++)
        plan_problem(d, &plans[i], i, today, &steps, &nsteps, &cap);
    qsort(steps, nsteps, sizeof *steps, by_time);
    err_code worst = E_OK;
    for (size_t i = 0; i < nsteps; i++) {
        plan *p = &plans[steps[i].problem];
        if (p->dead || (steps[i].kind != ST_REGISTER && !p->id)) continue;
        clock_fix(steps[i].at);
        arena *a = arena_new();
        err_code e = run_step(d, a, p, &steps[i]);
        arena_free(a);
        if (e == E_INTERNAL || e == E_BUSY) worst = e;
        if (e != E_OK) {
            p->dead = 1;
            d->refused++;
            if (getenv("DUBAN_DEMO_DEBUG"))
                fprintf(stderr, "demo: step %d of problem %d refused: %s\n", (int)steps[i].kind,
                        steps[i].problem, err_name(e));
        }
    }
    clock_fix(0);
    free(steps);
    free(plans);
    return worst;
}

err_code problem_demo(app *ap, mech_demo_county *c, FILE *out)
{
    if (c->ntown > MAXU || c->ndept > MAXU) return E_INTERNAL;
    const demo_options *opt = c->opt;
    demo d = {.ap = ap,
              .a = arena_new(),
              .opt = opt,
              .c = c,
              .r = {opt->seed ? opt->seed : 2023},
              .sys = c->sys,
              .root = c->root};
    err_code e = build_people(&d);
    if (e == E_OK) e = build_problems(&d);
    problem_tick_report tick;
    if (e == E_OK) e = problem_tick(ap, clock_now(), &tick);
    if (e == E_OK) {
        fprintf(out,
                "%d problems over two years (%d steps refused by the flow); %d overdue now; "
                "%d look-back tasks this month\n",
                opt->problems, d.refused, tick.overdue, tick.lookbacks);
        fprintf(out, "  duchayuan   周督查   督查经办人 (registers and assigns problems)\n");
        fprintf(out, "  hecha1/2    王核查/赵督导 督导核查人 (verifies and closes)\n");
        fprintf(out, "  lingdao1-3  县级领导 (挂牌督办, 回头看)\n");
        fprintf(out,
                "  <township>01, e.g. chaihudian01  责任单位经办人 of 柴胡店镇 (signs, reports, "
                "claims)\n");
        fprintf(out, "  <department>01, e.g. yingjiju01  责任单位经办人 of 县应急管理局\n");
    }
    arena_free(d.a);
    return e;
}
