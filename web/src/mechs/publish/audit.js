// How the audit log reads the publishing review's records: drafts through 三审, outlets and
// their 备案, term lists and settings. Imported by this mechanism's descriptor (index.js).
export default {
  actions: {
    'publish.draft.create': { name: '新建稿件', say: '新建了稿件{obj}' },
    'publish.draft.update': { name: '修改稿件', say: '修改了稿件{obj}' },
    'publish.draft.submit': { name: '提交审核', say: '将稿件{obj}提交审核' },
    'publish.draft.review': { name: '审核稿件', say: '审核了稿件{obj}' },
    'publish.draft.publish': { name: '发布稿件', say: '发布了稿件{obj}' },
    'publish.draft.withdraw': { name: '撤稿', say: '撤回了已发布的稿件{obj}' },
    'publish.outlet.file_open': { name: '提交账号备案', say: '为账号{obj}提交了备案' },
    'publish.outlet.decide': { name: '审批账号备案', say: '审批了账号{obj}的备案' },
    'publish.outlet.check': { name: '账号年检', say: '对账号{obj}进行了年检' },
    'publish.outlet.activity': { name: '登记更新情况', say: '登记了账号{obj}的最近更新' },
    'publish.list.put': { name: '更新词库', say: '更新了敏感词库{obj}' },
    'publish.settings': { name: '修改账号活跃度标准', say: '修改了账号闲置和“僵尸”的判定天数' }
  },
  objects: {},
  keys: {},
  values: {}
}
