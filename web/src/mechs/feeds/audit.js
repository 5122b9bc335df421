// How the audit log reads the feeds mechanism's records: calendar feed tokens, making a problem
// public, and deadlines counted again when a year's holiday notice was imported.
export default {
  actions: {
    'feed.create': { name: '生成日历订阅', say: '生成了个人日历订阅地址' },
    'feed.revoke': { name: '停用日历订阅', say: '停用了个人日历订阅地址' },
    'problem.publish': { name: '设为公开', say: '将问题{obj}的整改结果设为公开' },
    'problem.unpublish': { name: '取消公开', say: '取消公开问题{obj}' },
    'problem.recalendar': { name: '重算时限', say: '节假日安排导入后重算了问题{obj}的完成时限（{d.from} → {d.to}）' },
    'feedback.recalendar': { name: '重算答复时限', say: '节假日安排导入后重算了反馈{obj}的答复时限（{d.from} → {d.to}）' },
    'calendar.import': { name: '导入节假日安排', say: '导入了节假日安排：{d.notice}' }
  },
  objects: {},
  keys: { result: '公开的整改结果', from: '原时限', to: '新时限' },
  values: {}
}
