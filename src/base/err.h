/*
 * err — the one registry of error codes.
 *
 * Every failure a user can meet has a code here, mapped to an HTTP status, a stable machine
 * name (the "code" of the JSON error) and a Chinese message the user can act on. Functions
 * return an err_code; handlers turn it into a reply through http's reply_error(). A
 * mechanism's own codes are prefixed with its name (E_STUDY_…) and listed under its heading at
 * the end, so the API's codes stay listed in one place.
 */
#ifndef DUBAN_ERR_H
#define DUBAN_ERR_H

#define ERR_TABLE(X)                                                                               \
    X(E_OK, 200, "ok", "成功")                                                                     \
    X(E_BAD_REQUEST, 400, "bad_request", "请求无效")                                               \
    X(E_BAD_JSON, 400, "bad_json", "请求正文不是有效的 JSON")                                      \
    X(E_FIELD_REQUIRED, 400, "field_required", "此项为必填项")                                     \
    X(E_FIELD_TYPE, 400, "field_type", "此项的类型不正确")                                         \
    X(E_FIELD_INVALID, 400, "field_invalid", "此项的取值无效")                                     \
    X(E_FIELD_TOO_LONG, 400, "field_too_long", "此项内容过长")                                     \
    X(E_FIELD_UNKNOWN, 400, "field_unknown", "不支持此项")                                         \
    X(E_BAD_QUERY, 400, "bad_query", "查询参数无效")                                               \
    X(E_PASSWORD_WEAK, 400, "password_weak",                                                       \
      "密码不符合要求：至少 8 位，包含大写字母、小写字母、数字、符号中的至少三类，至少 5 "     \
      "个不同字符，不能包含用户名，也不能是常见密码或其变形（如 Passw0rd!、1qaz@WSX）")                      \
    X(E_PASSWORD_WRONG, 400, "password_wrong", "原密码不正确")                                     \
    X(E_PASSWORD_REUSED, 400, "password_reused", "新密码不能与当前密码或最近 5 次用过的密码相同")                         \
    X(E_DATE_FUTURE, 400, "date_in_future", "日期不能晚于今天")                                    \
    X(E_UNIT_CYCLE, 400, "unit_cycle", "不能把单位移到它自己或它的下级单位之下")                   \
    X(E_UNAUTHENTICATED, 401, "unauthenticated", "请先登录")                                       \
    X(E_BAD_CREDENTIALS, 401, "bad_credentials", "登录名或密码错误，或账号暂不可用")               \
    X(E_SESSION_EXPIRED, 401, "session_expired", "登录已超时，请重新登录")                         \
    X(E_CSRF, 403, "csrf", "请求缺少有效的 CSRF 令牌，请刷新页面后重试")                           \
    X(E_FORBIDDEN, 403, "forbidden", "没有执行此操作的权限")                                       \
    X(E_PASSWORD_CHANGE_REQUIRED, 403, "password_change_required",                                 \
      "首次登录或密码已被重置，请先修改密码")                                                      \
    X(E_ACCOUNT_DISABLED, 403, "account_disabled", "账户已停用，请联系系统管理员")                 \
    X(E_SELF_GRANT, 403, "self_grant", "不能修改自己的授权")                                       \
    X(E_SELF_ACCOUNT, 403, "self_account",                                                         \
      "不能以管理员身份锁定或重置自己的账户；修改本人密码请在个人设置中进行")                      \
    X(E_SEPARATION, 403, "separation_of_duties",                                                   \
      "违反三员分立：同一账户不能兼有系统管理、安全管理、审计管理中的两类权限")                    \
    X(E_SEPARATION_BUSINESS, 403, "separation_business",                                          \
      "违反三员分立：管理员账户不能同时持有业务角色，业务人员也不能被授予管理员角色")                  \
    X(E_FLOW_OUTSIDE, 403, "flow_outside_unit", "此操作须由责任单位以外的人员办理")                \
    X(E_FLOW_PERSON, 403, "flow_same_person", "此操作须由另一名人员办理")                          \
    X(E_FLOW_EVIDENCE, 400, "flow_evidence", "请上传佐证材料")                                     \
    X(E_FLOW_STATE, 409, "flow_state", "当前状态下不能执行此操作")                                 \
    X(E_NOT_FOUND, 404, "not_found", "要访问的记录不存在")                                         \
    X(E_ROUTE_NOT_FOUND, 404, "route_not_found", "接口不存在")                                     \
    X(E_METHOD_NOT_ALLOWED, 405, "method_not_allowed", "此接口不支持该请求方法")                   \
    X(E_CONFLICT, 409, "conflict", "记录已被他人修改，请刷新后重试")                               \
    X(E_VERSION_REQUIRED, 428, "version_required",                                                 \
      "修改须带上记录的版本号（version），以免覆盖他人的修改：请刷新后重试")                     \
    X(E_DUPLICATE, 409, "duplicate", "已存在相同的记录")                                           \
    X(E_PAYLOAD_TOO_LARGE, 413, "payload_too_large", "请求内容过大")                               \
    X(E_UNSUPPORTED_MEDIA_TYPE, 415, "unsupported_media_type",                                     \
      "请求内容类型不受支持，请使用 application/json")                                             \
    X(E_LOGIN_THROTTLED, 429, "login_throttled", "登录失败次数过多，请稍后重试")                  \
    X(E_INTERNAL, 500, "internal", "服务器内部错误，请稍后重试或联系管理员")                       \
    X(E_BUSY, 503, "busy", "系统繁忙，请稍后重试")                                                 \
    /* the problem list (src/problem/) */                                                          \
    X(E_PROBLEM_DEADLINE_EARLY, 400, "deadline_before_found", "整改时限不能早于发现时间")          \
    X(E_PROBLEM_THRESHOLD_ORDER, 400, "threshold_order", "黄色界限须介于绿色与红色界限之间")     \
    /* the study registry (src/study/) */                                                          \
    X(E_STUDY_ATTENDEE_OUTSIDE, 400, "person_outside_unit", "此人员不属于该活动的单位")            \
    X(E_STUDY_ABSENCE_REASON, 400, "absence_reason_required", "缺席人员须填写缺席原因")            \
    X(E_STUDY_NOT_BRANCH, 400, "not_a_branch", "只有党支部可以设定固定学习日")                    \
    /* budget performance (src/budget/) */                                                         \
    X(E_BUDGET_GATE, 400, "budget_gate", "项目未通过机审，请按提示修改后再提交")                   \
    X(E_BUDGET_AMOUNT, 400, "budget_amount", "批复金额须为大于零、不超过申请金额的数额（元，最多两位小数）") \
    X(E_BUDGET_NOT_ASSIGNED, 403, "budget_not_assigned", "此项目未分配给您评审")                   \
    X(E_BUDGET_LOCKED, 409, "budget_locked", "项目已提交审核，不能修改；退回修改后方可编辑")       \
    /* budget performance: 执行监控 (src/budget/monitor.c) */                                     \
    X(E_BUDGET_MONITOR_STATE, 409, "budget_not_approved", "项目尚未预算批复，不能报送执行监控")    \
    X(E_BUDGET_MONITOR_DUP, 409, "budget_month_reported", "该月的执行情况已报送")                  \
    /* united-front liaison and alliances (src/liaison/) */                                        \
    X(E_LIAISON_TOO_FEW, 400, "too_few_targets", "联系对象少于规定的最低数量")                     \
    X(E_LIAISON_NOT_TARGET, 400, "not_a_target", "该对象不在此联系任务或驻厂任务之中")             \
    X(E_LIAISON_NOT_MEMBER, 400, "not_an_alliance_member", "须为本联盟的成员企业或部门")           \
    X(E_LIAISON_NO_REQUEST, 400, "no_request", "该次走访没有记录困难诉求")                         \
    X(E_LIAISON_END_EARLY, 400, "end_before_start", "结束日期不能早于开始日期")                    \
    X(E_LIAISON_CATEGORY_FIELD, 400, "field_not_for_category",                                     \
      "此项只适用于相应类别的统战对象，或该类别须填写此项")                                        \
    X(E_LIAISON_NOT_OWN, 403, "not_own_assignment", "只能为本人的联系任务或驻厂任务登记走访") \
    /* outbound channels and 催办 (src/notify/, src/outward/) */                                  \
    X(E_OUTWARD_URGE_TOO_SOON, 429, "urge_too_soon", "该事项刚催办过，请稍后再催办")             \
    X(E_OUTWARD_ITEM_CLOSED, 409, "item_closed", "事项已办结，无需催办")                          \
    X(E_OUTWARD_SEND_FAILED, 502, "send_failed", "消息发送失败，请检查渠道配置")                  \
    X(E_OUTWARD_NO_SECRET, 400, "secret_required", "此类渠道须填写密钥或 webhook key") \
    /* calendar feeds and the public results page (src/feeds/) */                                  \
    X(E_FEEDS_RATE_LIMITED, 429, "rate_limited", "请求过于频繁，请稍后再试") \
    /* cadre supervision and early warning (src/cadre/) */                                         \
    X(E_CADRE_OWN_FILE, 403, "own_cadre_file", "不能查看或处理本人的干部监督档案")                \
    X(E_CADRE_IDNO, 400, "id_number_invalid", "身份证号码无效：须为18位，出生日期和校验位正确")   \
    X(E_CADRE_NO_DECISION, 409, "no_judgement_decision",                                           \
      "须先经研判会作出相应的处置决定，方可记录此项处置（预警只作提示）")                          \
    X(E_CADRE_JUDGED, 409, "clue_already_judged", "该线索已经研判处置") \
    /* publishing review (src/publish/) */                                                        \
    X(E_PUBLISH_OWN_DRAFT, 403, "own_draft", "不能审核本人撰写的稿件")                            \
    X(E_PUBLISH_TWO_LEVELS, 403, "two_levels", "同一人不能在同一稿件的三审中承担两级审核")        \
    X(E_PUBLISH_BLOCKED, 409, "blocking_hit", "稿件含高风险词，终审须填写放行理由方可通过")       \
    X(E_PUBLISH_STATE, 409, "publish_state", "稿件当前所处环节不允许此操作")                      \
    X(E_PUBLISH_TERM, 400, "bad_term", "词条无效：只含符号或空白，或列表无法编译")            \
    X(E_PUBLISH_FILING_PENDING, 409, "filing_pending", "该账号已有待审批的备案，审批后再提交")

typedef enum {
#define ERR_ENUM(code, status, name, msg) code,
    ERR_TABLE(ERR_ENUM)
#undef ERR_ENUM
        E__COUNT
} err_code;

int err_status(err_code e);
const char *err_name(err_code e);
const char *err_message(err_code e);

#endif
