// How the audit log reads the foundation's records (accounts, the org tree, roles and grants,
// the system itself): each action's Chinese name and the sentence it makes, and what each kind
// of object is called and which page shows it. Imported by this mechanism's descriptor; the
// audit page (views/Audit.vue) merges every descriptor's `audit` (mechs/index.js).
//   actions  { code: { name, say } }: say is the sentence after "某人 于 时间", with {obj} for
//            the object (a link when the reader may open its page) and {d.key} for a detail
//   objects  { kind: { title, page(id, row) → path, perm } } for objects written "kind:id"
//   keys     Chinese names of the detail's keys, for the record's table
export default {
  actions: {
    'system.init': { name: '系统初始化', say: '初始化了系统，创建三员账号' },
    'system.tick': { name: '定时任务', say: '运行了定时任务（逾期标记、提醒、回头看）' },
    'login.success': { name: '登录成功', say: '登录了系统' },
    'login.failure': { name: '登录失败', say: '登录失败' },
    'account.lockout': { name: '账号锁定', say: '因多次登录失败，账号{obj}被暂时锁定' },
    'login.pair_lockout': { name: '来源地址登录锁定', say: '因多次登录失败，{obj}在来源地址 {d.address} 被暂时锁定（其他地址仍可登录）' },
    'login.throttle': { name: '登录限流', say: '因登录失败次数过多，{obj}须等待 {d.seconds} 秒后才能再次尝试登录' },
    logout: { name: '退出登录', say: '退出了登录' },
    'session.expire': { name: '会话超时', say: '因长时间未操作，会话超时结束' },
    'password_change.failure': { name: '修改密码失败', say: '修改密码失败（原密码错误）' },
    'password.expired': { name: '密码到期', say: '{obj}的密码已超过最长使用期限，登录后须先修改' },
    'user.password_change': { name: '修改密码', say: '修改了自己的密码' },
    'user.password_reset': { name: '重置密码', say: '重置了{obj}的密码' },
    'user.create': { name: '新增用户', say: '新增了用户{obj}' },
    'user.lock': { name: '锁定用户', say: '锁定了用户{obj}' },
    'user.unlock': { name: '解锁用户', say: '解锁了用户{obj}' },
    'user.clear_lockout': { name: '解除登录锁定', say: '解除了用户{obj}的登录锁定' },
    'unit.create': { name: '新增单位', say: '新增了单位{obj}' },
    'unit.rename': { name: '重命名单位', say: '将单位“{d.old}”更名为“{d.new}”' },
    'unit.move': { name: '移动单位', say: '调整了单位{obj}的上级' },
    'role.create': { name: '新建角色', say: '新建了角色{obj}' },
    'role.update': { name: '修改角色权限', say: '修改了角色{obj}的权限' },
    'grant.create': { name: '授权', say: '授予“{d.role}”角色：{obj}' },
    'grant.revoke': { name: '撤销授权', say: '撤销“{d.role}”角色：{obj}' },
    'token.create': { name: '创建令牌', say: '创建了接口令牌{obj}' },
    'token.revoke': { name: '撤销令牌', say: '撤销了接口令牌{obj}' },
    'session.end': { name: '结束登录会话', say: '结束了本人在 {d.ip} 的一个登录会话' },
    'session.end_others': { name: '退出其他所有会话', say: '退出了本人其他所有登录会话（{d.ended} 个）' },
    'access.denied': { name: '越权访问被拒绝', say: '试图越权访问，被系统拒绝' },
    'attachment.upload': { name: '上传附件', say: '为{obj}上传了附件“{d.name}”' },
    'calendar.import': { name: '导入节假日安排', say: '导入了{obj}' },
    'audit.archive': { name: '导出审计归档', say: '导出了审计记录归档（{d.records} 条，序号 {d.first_seq} 至 {d.last_seq}）' },
    'county.move': { name: '县级数据迁入', say: '将县级数据库“{d.from}”迁入{obj}（上级单位 {d.under}，归档审计记录 {d.archive_records} 条）' }
  },
  objects: {
    unit: { title: '', page: (id) => `/admin/units?unit=${id}`, perm: 'unit.read' },
    user: { title: '', page: (id) => `/admin/users?id=${id}`, perm: 'user.read' },
    grant: { title: '授权 #', page: () => '/admin/grants', perm: 'grant.read' },
    role: { title: '', page: () => '/admin/roles', perm: 'role.read' },
    token: { title: '#' },
    address: { title: '', name: (id) => (id === 'all' ? '全部来源地址' : `来源地址 ${id}`) },
    calendar: { title: '', name: (id) => `${id} 年节假日安排` },
    audit: { title: '审计日志', name: () => '审计日志' }
  },
  keys: {
    ip: '来源地址', reason: '原因', method: '请求方法', path: '请求路径', permission: '所需权限',
    county: '县名', admin: '系统管理员', secadmin: '安全管理员', auditor: '审计管理员',
    code: '单位代码', name: '名称', kind: '类型', parent_id: '上级单位', old: '原名称', new: '新名称',
    login: '登录名', unit_id: '所属单位', user: '用户', role: '角色', unit: '范围', permissions: '权限',
    attachment_id: '附件编号', failures: '失败次数', locked_until: '锁定至',
    address: '来源地址', seconds: '等待秒数', account_locked: '账号是否锁定', address_locks: '锁定的来源地址数', until: '锁定至',
    move_id: '迁移序号', from: '源数据库', under: '上级单位', source_id: '源审计链标识',
    archive_records: '归档审计记录数', archive_digest: '归档摘要', counts: '迁入记录数',
    from_day: '起始日期', to_day: '截止日期', records: '记录数', first_seq: '起始序号',
    last_seq: '截止序号', digest: '摘要', chain_intact: '导出时审计链完整'
  },
  // The built-in roles by their Chinese names (a reader of the log need not hold role.read).
  values: {
    operator: '督查经办人', handler: '责任单位经办人', supervisor: '督导核查人', leader: '县级领导',
    study_clerk: '学习管理员', study_observer: '列席旁听人员', sysadmin: '系统管理员',
    secadmin: '安全管理员', auditadmin: '审计管理员', staff: '工作人员', county: '全县'
  }
}
