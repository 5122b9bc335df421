// How the audit log reads the problem list's records: each action's Chinese name and
// sentence ({obj} the problem as 问题《标题》, {unit} its lead unit), what a problem is called
// and its page, and the detail's keys and states in Chinese. See ../admin/audit.js for the
// shape; the audit page merges every descriptor's `audit`.
export default {
  actions: {
    'problem.register': { name: '登记问题', say: '登记了{obj}，责任单位 {unit}' },
    'problem.import': { name: '导入问题', say: '从台账导入了问题' },
    'problem.assign': { name: '交办', say: '将{obj}交办给 {unit}' },
    'problem.sign': { name: '签收', say: '签收了{obj}' },
    'problem.report': { name: '报送进展', say: '报送了{obj}的整改进展' },
    'problem.claim': { name: '申请销号', say: '对{obj}申请销号' },
    'problem.verify_pass': { name: '核查通过并销号', say: '核查{obj}通过，予以销号' },
    'problem.verify_fail': { name: '核查未通过', say: '核查{obj}未通过，退回重办' },
    'problem.request_extension': { name: '申请延期', say: '为{obj}申请延期' },
    'problem.approve_extension': { name: '批准延期', say: '批准了{obj}的延期申请' },
    'problem.reject_extension': { name: '不予延期', say: '未同意{obj}的延期申请' },
    'problem.supervise': { name: '挂牌督办', say: '将{obj}列为挂牌督办' },
    'problem.reopen': { name: '问题反弹', say: '认定{obj}问题反弹，重新整改' },
    'problem.lookback': { name: '回头看', say: '对{obj}开展了回头看' },
    'problem.ranking.thresholds': { name: '设置通报排名标准', say: '修改了通报排名的红黄绿标准' }
  },
  objects: {
    problem: { title: '问题', quote: '《》', names: '/api/v1/problems/names', page: (id) => `/problems/${id}`, perm: 'problem.read' }
  },
  keys: {
    from: '原状态', to: '新状态', event_id: '办理记录编号', evidence: '佐证材料（份）', title: '问题',
    deadline: '完成时限', task_id: '回头看任务', result: '回头看结论', overdue: '新逾期', reminders: '提醒',
    unsigned: '未签收', staged: '阶段成效未报', lookbacks: '回头看任务', notifications: '通知', rows: '行数',
    imported: '导入条数'
  },
  values: {
    registered: '已登记', assigned: '已交办', in_progress: '整改中', claimed: '申请销号', closed: '已销号',
    held: '未反弹', reopened: '问题反弹'
  }
}
