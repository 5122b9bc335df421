/*
 * mech — the publishing review's descriptor (稿件审核与词库): its permissions (writing drafts,
 * the three levels of 三审, the term lists) and its routes.
 */
#include "publish/publish_int.h"

static const perm_info perms[] = {
    {"publish.read", "查看稿件与审核记录", CLASS_NONE, 0},
    {"publish.write", "撰写、提交和发布稿件", CLASS_NONE, 0},
    {"publish.review1", "稿件初审", CLASS_NONE, 0},
    {"publish.review2", "稿件复审", CLASS_NONE, 0},
    {"publish.review3", "稿件终审（可说明理由放行高风险词）", CLASS_NONE, 0},
    {"publish.lists", "维护敏感词库、白名单和账号更新时限", CLASS_NONE, 0},
    {"publish.approve", "审批网站和新媒体账号备案、年检", CLASS_NONE, 0},
    {NULL, NULL, CLASS_NONE, 0},
};

const mech publish_mech = {
    .name = "publish",
    .title = "稿件审核",
    .perms = perms,
    .routes = publish_routes,
    .demo = publish_demo,
};
