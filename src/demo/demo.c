/* demo — the demo county and the running of every mechanism's demo part (see demo.h). */
#include "demo/demo.h"

#include "access/access.h"
#include "org/org.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *code, *name;
} place;

static const place departments[] = {
    {"xianweiban", "县委办公室"},        {"duchashi", "县委督查室"},
    {"zuzhibu", "县委组织部"},           {"xuanchuanbu", "县委宣传部"},
    {"tongzhanbu", "县委统战部"},        {"jiwei", "县纪委监委"},
    {"caizhengju", "县财政局"},          {"fagaiju", "县发展和改革局"},
    {"gongxinju", "县工业和信息化局"},   {"yingjiju", "县应急管理局"},
    {"zhujianju", "县住房和城乡建设局"}, {"jiaotiju", "县教育和体育局"},
    {"weijianju", "县卫生健康局"},       {"gonganju", "县公安局"},
};
static const place townships[] = {
    {"ningcheng", "宁城街道"},
    {"jincheng", "津城街道"},
    {"chaihudian", "柴胡店镇"},
    {"changguan", "长官镇"},
    {"duji", "杜集镇"},
    {"baodian", "保店镇"},
    {"daliu", "大柳镇"},
    {"dacao", "大曹镇"},
    {"xiangya", "相衙镇"},
    {"shiji", "时集镇"},
    {"zhangdazhuang", "张大庄镇"},
    {"liuyingwu", "刘营伍乡"},
};
static const char *const villages[DEMO_NVILLAGE] = {"东街村", "西街村", "前进社区", "王庄村"};
static const char *const enterprises[] = {
    "津鑫健身器材有限公司", "宁兴实木家具有限公司", "华宇钢丝绳有限公司",
    "德润食品有限公司",     "金诺机械制造有限公司", "盛达纺织有限公司",
};
enum {
    NDEPT = sizeof departments / sizeof departments[0],
    NTOWN = sizeof townships / sizeof townships[0],
    NVILLAGE = sizeof villages / sizeof villages[0],
    NENTERPRISE = sizeof enterprises / sizeof enterprises[0],
};

unsigned demo_next(demo_rng *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 17;
    r->s ^= r->s << 5;
    return r->s;
}

int demo_below(demo_rng *r, int n)
{
    return n <= 0 ? 0 : (int)(demo_next(r) % (unsigned)n);
}

/* ---- the county's units ---- */

typedef struct {
    mech_demo_county c;
    demo_unit depts[NDEPT], towns[NTOWN], villages[NTOWN][DEMO_NVILLAGE], firms[NENTERPRISE];
    int64_t firm_town[NENTERPRISE];
} county;

static err_code add_unit(county *k, const char *code, const char *name, const char *kind,
                         int64_t parent, demo_unit *out)
{
    org_unit_input in = {code, name, kind, parent};
    store_unit u;
    const char *field;
    err_code e = org_unit_add(k->c.ap, k->c.a, &k->c.sys, &in, &u, &field);
    *out = (demo_unit){u.id, code, name};
    return e;
}

static err_code build_tree(county *k)
{
    store_unit root;
    const char *field;
    arena *a = k->c.a;
    err_code e = org_unit_rename(k->c.ap, a, &k->c.sys, k->c.root, "宁津县", ORG_VERSION_ANY, &root,
                                 &field);
    for (int i = 0; e == E_OK && i < NDEPT; i++)
        e = add_unit(k, departments[i].code, departments[i].name, "department", k->c.root,
                     &k->depts[i]);
    for (int i = 0; e == E_OK && i < NTOWN; i++) {
        e = add_unit(k, townships[i].code, townships[i].name, "township", k->c.root, &k->towns[i]);
        for (int v = 0; e == E_OK && v < DEMO_NVILLAGE; v++) {
            demo_unit *u = &k->villages[i][v];
            e = add_unit(k, arena_sprintf(a, "%s-v%d", townships[i].code, v + 1), villages[v],
                         "village", k->towns[i].id, u);
            u->name = arena_sprintf(a, "%s%s", townships[i].name, villages[v]);
        }
    }
    for (int i = 0; e == E_OK && i < NENTERPRISE; i++) {
        k->firm_town[i] = k->towns[i % NTOWN].id;
        e = add_unit(k, arena_sprintf(a, "qiye%d", i + 1), enterprises[i], "enterprise",
                     k->firm_town[i], &k->firms[i]);
    }
    return e;
}

/* ---- accounts ---- */

typedef struct {
    mech_demo_county *c;
    const char *login;
    store_user u;
    principal *p;
} account_ctx;

static err_code user_fn(store_tx *tx, void *ctx)
{
    account_ctx *x = ctx;
    return store_user_by_login(tx, x->c->a, x->login, &x->u);
}

static err_code load_fn(store_tx *tx, void *ctx)
{
    account_ctx *x = ctx;
    return authz_load(tx, x->c->a, x->p);
}

const char *demo_staff_name(int i)
{
    static const char *const surnames[] = {
        "王", "李", "刘", "陈", "杨", "黄", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭",
        "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "董", "程", "袁", "邓", "许", "田",
    };
    static const char *const given[] = {
        "建国", "海燕", "志强", "丽娟", "国栋", "秀英", "文博", "晓东", "春梅", "德胜",
        "玉兰", "振华", "红霞", "立新", "静怡", "永刚", "雪莲", "宏伟", "金凤", "明辉",
        "桂芳", "俊杰", "淑珍", "卫东", "晓燕", "庆丰", "美玲", "长青", "慧敏", "广利",
        "爱华", "保平", "翠萍", "志刚", "凤英", "学军", "玉梅", "新民", "晓丽", "树林",
    };
    static char names[120][16];
    int k = ((i % 120) + 120) % 120;
    if (!names[k][0])
        snprintf(names[k], sizeof names[k], "%s%s", surnames[(k * 7) % 30],
                 given[(k * 13 + k / 40 * 7) % 40]);
    return names[k];
}

err_code demo_account(mech_demo_county *c, const char *login, const char *name, int64_t unit,
                      const char *role, int64_t scope, principal *out)
{
    org_user_input in = {login, name, unit, c->opt->password, 1};
    account_ctx x = {.c = c, .login = login, .p = out};
    char otp[16];
    const char *field;
    store_grant g;
    err_code e = store_read(c->ap->st, user_fn, &x);
    if (e == E_NOT_FOUND) e = org_user_add(c->ap, c->a, &c->sys, &in, &x.u, otp, &field);
    if (e == E_OK) e = access_grant(c->ap, c->a, &c->sys, x.u.id, role, scope, &g, &field);
    if (e != E_OK) return e;
    *out = (principal){.user_id = x.u.id,
                       .unit_id = x.u.unit_id,
                       .login = x.u.login,
                       .name = x.u.name,
                       .unit_path = x.u.unit_path};
    return store_read(c->ap->st, load_fn, &x);
}

/* ---- the whole ---- */

typedef struct {
    arena *a;
    store_unit root;
} root_ctx;

static err_code root_fn(store_tx *tx, void *ctx)
{
    root_ctx *c = ctx;
    return store_unit_root(tx, c->a, &c->root);
}

/* Whether name is in the comma-separated list only (NULL: every mechanism is). */
static int wanted(const char *only, const char *name)
{
    if (!only) return 1;
    size_t n = strlen(name);
    for (const char *p = only; *p;) {
        size_t len = strcspn(p, ",");
        if (len == n && strncmp(p, name, n) == 0) return 1;
        p += len + (p[len] == ',');
    }
    return 0;
}

err_code demo_fill(app *ap, const demo_options *opt, FILE *out)
{
    county *k = xcalloc(1, sizeof *k);
    arena *a = arena_new();
    k->c = (mech_demo_county){.ap = ap,
                              .a = a,
                              .opt = opt,
                              .sys = authz_system(a),
                              .depts = k->depts,
                              .towns = k->towns,
                              .ndept = NDEPT,
                              .ntown = NTOWN,
                              .villages = (const demo_unit(*)[DEMO_NVILLAGE])k->villages,
                              .enterprises = k->firms,
                              .enterprise_town = k->firm_town,
                              .nenterprise = NENTERPRISE};
    root_ctx rc = {.a = a};
    err_code e = store_read(ap->st, root_fn, &rc);
    k->c.root = rc.root.id;
    if (e == E_OK) e = build_tree(k);
    if (e == E_OK) {
        fprintf(out,
                "demo county 宁津县: %d departments, %d townships with villages, %d enterprises\n",
                NDEPT, NTOWN, NENTERPRISE);
        fprintf(out, "every demo account's password: %s\n", opt->password);
    }
    for (const mech *const *m = duban_mechs; e == E_OK && *m; m++)
        if ((*m)->demo && wanted(opt->only, (*m)->name)) e = (*m)->demo(ap, &k->c, out);
    arena_free(a);
    free(k);
    return e;
}
