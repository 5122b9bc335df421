/*
 * demo — the publishing review's part of `duban demo`: the county's term lists (illegal ads,
 * 极限词 with the whitelist of their harmless uses such as 第一书记 and 第一时间, classified
 * markings, vulgar words), its register of about 40 outlets with the seed's audience figures
 * (公众号 40万 fans, 客户端 24.5万 users) — each 开设 filed by its unit and approved by the
 * propaganda department, a few idle, one 僵尸, two still awaiting approval, one closed — and
 * about 300 drafts of the townships and departments over the last months, scanned on save, most
 * through 三审 and published, some with hits the 终审 let through with a reason, some returned,
 * some withdrawn, some still in review. Everything goes through the rules as the people who
 * would do it, with the clock set to when it happened; freshness is relative to the real day.
 */
#include "publish/publish_int.h"

#include "base/clock.h"
#include "demo/demo.h"
#include "flow/calendar.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    const char *name, *kind, *category;
    int severity;
    const char *const *terms;
} demo_list;

static const char *const ads[] = {"代开发票", "六合彩", "网络赌博", "高利贷", "信用卡套现", "刷单返利", NULL};
static const char *const extreme[] = {"第一", "最佳", "国家级", "顶级", "史上最", "唯一", NULL};
static const char *const secret[] = {"绝密", "机密", "内部资料", "秘密级", "不得外传", NULL};
static const char *const vulgar[] = {"屌丝", "傻逼", "尼玛", "卧槽", NULL};
static const char *const white[] = {"第一书记", "第一时间", "第一次", "第一季度", "第一批",
                                    "第一责任人", "唯一性", NULL};

static const demo_list lists[] = {
    {"违法广告", "terms", "违法广告", 3, ads},
    {"涉密标识", "terms", "涉密", 3, secret},
    {"广告极限词", "terms", "极限词", 1, extreme},
    {"低俗用语", "terms", "低俗", 2, vulgar},
    {"白名单", "white", "", 1, white},
};

typedef struct {
    app *ap;
    arena *a;
    mech_demo_county *c;
    demo_rng rng;
    principal xcb;
    int outlets, idle, zombie, pending, drafts, published, overrides, withdrawn, in_review, returned;
} dctx;

static err_code put_lists(dctx *d)
{
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        json_t *t = json_array();
        for (int k = 0; lists[i].terms[k]; k++) json_array_append_new(t, json_string(lists[i].terms[k]));
        const char *bad;
        err_code e = publish_list_put(d->ap, d->a, &d->xcb, lists[i].name, lists[i].kind,
                                      lists[i].category, lists[i].severity, t, 0, &bad);
        json_decref(t);
        if (e != E_OK) return e;
    }
    return E_OK;
}

/* One outlet: filed by p, approved by the propaganda side (unless pending); days since the
 * last post (negative: none entered). */
static err_code outlet(dctx *d, const principal *p, int64_t unit, const char *platform,
                       const char *name, const char *account, const char *leader,
                       const char *admins, int64_t fans, int64_t users, int days, int pending)
{
    char last[11] = "";
    if (days >= 0) cal_format(cal_local_day(clock_now()) - days, last);
    outlet_body b = {.unit_id = unit, .fans = fans, .users = users, .platform = platform,
                     .name = name, .account_id = account, .leader = leader, .admins = admins,
                     .password_holder = admins, .purpose = "发布本单位政务信息和工作动态",
                     .last_post_on = last, .reason = "按照政务新媒体管理规定开设"};
    int64_t id, filing;
    const char *bad;
    err_code e = publish_outlet_open(d->ap, d->a, p, &b, &id, &filing, &bad);
    if (e != E_OK) return e;
    d->outlets++;
    if (pending) {
        d->pending++;
        return E_OK;
    }
    d->idle += days > 14 && days <= 90;
    d->zombie += days > 90;
    return publish_filing_decide(d->ap, d->a, &d->xcb, filing, "approve", "同意开设", &bad);
}

static const char *const topics[] = {
    "扎实推进秋冬季农业生产", "开展安全生产大检查", "举办理论宣讲进基层活动", "推进人居环境整治",
    "召开重点项目推进会",     "开展文明实践志愿服务", "做好困难群众帮扶救助", "开展防范电信诈骗宣传",
    "组织党员干部集中学习",   "推进营商环境优化",     "开展森林防火专项检查", "举办农民丰收节活动",
};
static const char *const openings[] = {
    "近日，%s组织开展%s工作，", "为深入贯彻县委部署，%s扎实%s，", "%s坚持问题导向，%s，",
};
static const char *const bodies[] = {
    "党员干部深入一线走访群众，现场解决实际问题，群众满意度明显提升。",
    "活动覆盖全部村（社区），累计参与群众一千余人次，取得良好成效。",
    "下一步将建立长效机制，持续巩固工作成果，确保各项任务落地见效。",
    "工作专班每周调度，逐项明确责任人和完成时限，形成工作闭环。",
};
/* What a writer lets slip into a draft (with the variants the scanner must see through). */
static const char *const slips[] = {
    "本次活动为全县第一，效果最佳。",                 /* 极限词, low */
    "请勿转发，本材料系内部资料。",                   /* 涉密, high */
    "提醒群众警惕代開發票、刷@单@返@利等诈骗手段。",   /* ads, traditional and separators */
    "驻村第一书记第一时间赶到现场。",                 /* whitelist only: no hit */
    "咨询电话：138 5340 2716。",                      /* personal data */
    "警惕网络赌博和高利贷陷阱。",                     /* ads, high: a warning, let through */
};

static err_code one_draft(dctx *d, const principal *author, const principal *first,
                          const principal *second, int64_t unit, const char *unit_name,
                          const char *outlet_name, int64_t when, int fate)
{
    int t = demo_below(&d->rng, (int)(sizeof topics / sizeof topics[0]));
    char body[1200];
    int n = snprintf(body, sizeof body, openings[demo_below(&d->rng, 3)], unit_name, topics[t]);
    for (int k = 0; k < 2; k++)
        n += snprintf(body + n, sizeof body - (size_t)n, "%s", bodies[demo_below(&d->rng, 4)]);
    int slip = demo_below(&d->rng, 10);
    if (slip < 6) snprintf(body + n, sizeof body - (size_t)n, "%s", slips[slip]);
    publish_draft_body b = {.unit_id = unit, .title = arena_sprintf(d->a, "%s%s", unit_name, topics[t]),
                            .body = body, .outlet = outlet_name};
    const char *bad;
    int64_t id;
    clock_fix(when);
    err_code e = publish_draft_save(d->ap, d->a, author, 0, &b, &id, &bad);
    if (e != E_OK) return e;
    d->drafts++;
    if (fate == 0) return E_OK; /* still a draft */
    clock_fix(when += 1800);
    if ((e = publish_draft_submit(d->ap, d->a, author, id)) != E_OK) return e;
    if (fate == 1) { d->in_review++; return E_OK; }
    publish_review_body ok = {"approve", "同意", NULL};
    clock_fix(when += 3600 * (1 + demo_below(&d->rng, 6)));
    if ((e = publish_draft_review(d->ap, d->a, first, id, &ok, &bad)) != E_OK) return e;
    if (fate == 2) {
        /* returned by the 复审 */
        publish_review_body back = {"reject", "表述不够准确，请核实数据后修改", NULL};
        clock_fix(when += 3600 * 2);
        d->returned++;
        return publish_draft_review(d->ap, d->a, second, id, &back, &bad);
    }
    clock_fix(when += 3600 * (1 + demo_below(&d->rng, 8)));
    if ((e = publish_draft_review(d->ap, d->a, second, id, &ok, &bad)) != E_OK) return e;
    int blocked = slip == 1 || slip == 2 || slip == 5;
    publish_review_body fin = {"approve", "同意发布", blocked ? "系提醒群众防范诈骗的警示内容，词语用于警示" : NULL};
    if (slip == 1) fin.override_reason = "经核实材料已解密，可以公开";
    clock_fix(when += 3600 * (2 + demo_below(&d->rng, 20)));
    if ((e = publish_draft_review(d->ap, d->a, &d->xcb, id, &fin, &bad)) != E_OK) return e;
    d->overrides += blocked;
    clock_fix(when += 1200);
    e = publish_draft_publish(d->ap, d->a, author, id,
                              arena_sprintf(d->a, "https://mp.weixin.qq.com/s/demo%lld", (long long)id),
                              &bad);
    if (e != E_OK) return e;
    d->published++;
    if (fate == 4) {
        clock_fix(when + 86400);
        d->withdrawn++;
        return publish_draft_withdraw(d->ap, d->a, &d->xcb, id, "数据口径有误，撤稿更正后重发", &bad);
    }
    return E_OK;
}

static err_code fill(dctx *d)
{
    mech_demo_county *c = d->c;
    const demo_unit *xcb = NULL;
    for (int i = 0; i < c->ndept; i++)
        if (strcmp(c->depts[i].code, "xuanchuanbu") == 0) xcb = &c->depts[i];
    if (!xcb) return E_INTERNAL;
    err_code e = demo_account(c, "xcb_wxb", "韩网信", xcb->id, "publish_final", c->root, &d->xcb);
    if (e != E_OK) return e;
    if ((e = put_lists(d)) != E_OK) return e;
    principal xauthor;
    e = demo_account(c, "xcb_rmt", "融媒体中心编辑", xcb->id, "publish_author", xcb->id, &xauthor);
    if (e != E_OK) return e;
    /* the county's own outlets, the seed's figures */
    static const struct { const char *platform, *name, *account; int64_t fans, users; int days; } county[] = {
        {"wechat", "宁津发布", "ningjinfabu", 400000, 0, 0},
        {"app", "爱宁津客户端", "aiNingjin", 0, 245000, 0},
        {"channels", "宁津发布视频号", "ningjin_sph", 86000, 0, 1},
        {"douyin", "宁津融媒", "ningjinrongmei", 152000, 0, 0},
        {"kuaishou", "宁津融媒快手号", "njrm_ks", 43000, 0, 3},
        {"weibo", "宁津发布微博", "ningjinfabu", 61000, 0, 5},
        {"toutiao", "宁津发布头条号", "njfb_tt", 38000, 0, 2},
        {"website", "宁津县人民政府网", "www.ningjin.gov.cn", 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof county / sizeof county[0]; i++) {
        e = outlet(d, &xauthor, xcb->id, county[i].platform, county[i].name, county[i].account,
                   "宣传部分管副部长", "融媒体中心编辑", county[i].fans, county[i].users,
                   county[i].days, 0);
        if (e != E_OK) return e;
    }
    /* townships: a 公众号 each and a 抖音 for most; departments: a 公众号 for most */
    principal authors[16], firsts[16], seconds[16];
    int nt = c->ntown < 12 ? c->ntown : 12;
    for (int i = 0; i < nt; i++) {
        const demo_unit *t = &c->towns[i];
        e = demo_account(c, arena_sprintf(c->a, "%s_xc", t->code), demo_staff_name(90 + i), t->id,
                         "publish_author", t->id, &authors[i]);
        if (e == E_OK)
            e = demo_account(c, arena_sprintf(c->a, "%s_cs", t->code), demo_staff_name(60 + i),
                             t->id, "publish_first", t->id, &firsts[i]);
        if (e == E_OK)
            e = demo_account(c, arena_sprintf(c->a, "%s_fs", t->code), demo_staff_name(30 + i),
                             t->id, "publish_second", t->id, &seconds[i]);
        if (e != E_OK) return e;
        int days = i == 3 ? 150 : i == 5 ? 22 : i == 8 ? 40 : demo_below(&d->rng, 6);
        e = outlet(d, &authors[i], t->id, "wechat", arena_sprintf(c->a, "%s发布", t->name),
                   arena_sprintf(c->a, "%s_fb", t->code), "分管宣传的党委委员",
                   demo_staff_name(90 + i), 8000 + demo_below(&d->rng, 30000), 0, days, 0);
        if (e == E_OK && i != 7)
            e = outlet(d, &authors[i], t->id, "douyin", arena_sprintf(c->a, "%s融媒", t->name),
                       arena_sprintf(c->a, "%s_dy", t->code), "分管宣传的党委委员",
                       demo_staff_name(90 + i), 3000 + demo_below(&d->rng, 20000), 0,
                       i == 10 ? 18 : demo_below(&d->rng, 10), i == 11);
        if (e != E_OK) return e;
    }
    for (int i = 0; i < c->ndept && d->outlets < 41; i++) {
        const demo_unit *u = &c->depts[i];
        if (u == xcb || strncmp(u->name, "县委", 6) == 0 || strcmp(u->code, "jiwei") == 0) continue;
        principal p;
        e = demo_account(c, arena_sprintf(c->a, "%s_xc", u->code), demo_staff_name(100 + i), u->id,
                         "publish_author", u->id, &p);
        if (e == E_OK)
            e = outlet(d, &p, u->id, "wechat", arena_sprintf(c->a, "宁津%s", u->name + 3), "",
                       "分管副职", demo_staff_name(100 + i), 2000 + demo_below(&d->rng, 9000), 0,
                       demo_below(&d->rng, 12), d->outlets == 40);
        if (e != E_OK) return e;
    }
    /* drafts over the last 120 days: most published; some returned, withdrawn, in review */
    int64_t now = clock_now();
    for (int k = 0; k < 300; k++) {
        int i = k % nt;
        const demo_unit *t = &c->towns[i];
        int64_t when = now - (int64_t)(120 - k * 118 / 300) * 86400 - 3600 * demo_below(&d->rng, 8);
        int r = demo_below(&d->rng, 100);
        int fate = k >= 290 ? (k % 3 == 0 ? 0 : 1) : r < 6 ? 2 : r < 9 ? 4 : 3;
        e = one_draft(d, &authors[i], &firsts[i], &seconds[i], t->id, t->name,
                      arena_sprintf(d->a, "%s发布", t->name), when, fate);
        if (e != E_OK) {
            clock_fix(0);
            return e;
        }
    }
    clock_fix(0);
    return E_OK;
}

err_code publish_demo(app *ap, mech_demo_county *c, FILE *out)
{
    dctx d = {.ap = ap, .a = c->a, .c = c, .rng = {c->opt->seed * 2246822519u + 7u}};
    err_code e = fill(&d);
    clock_fix(0);
    if (e != E_OK) return e;
    fprintf(out,
            "publish: %d outlets (%d idle, %d 僵尸, %d awaiting 开设 approval), %d drafts: %d "
            "published (%d let through by 终审 with a reason, %d withdrawn), %d returned, %d in "
            "review\n",
            d.outlets, d.idle, d.zombie, d.pending, d.drafts, d.published, d.overrides,
            d.withdrawn, d.returned, d.in_review);
    fprintf(out, "  xcb_wxb      县委宣传部 终审, 备案审批, 词库 (publish_final)\n");
    fprintf(out, "  <township>_xc / _cs / _fs, e.g. chaihudian_xc  撰稿 / 初审 / 复审\n");
    return E_OK;
}
