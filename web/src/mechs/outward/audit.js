// How the audit log reads the outbound channels' records: channels, rules, contacts, resends
// and 催办. Imported by this mechanism's descriptor (index.js).
export default {
  actions: {
    'notify.channel.create': { name: '新增推送渠道', say: '新增了推送渠道{obj}' },
    'notify.channel.update': { name: '修改推送渠道', say: '修改了推送渠道{obj}' },
    'notify.channel.test': { name: '测试发送', say: '通过推送渠道{obj}测试发送' },
    'notify.rule.set': { name: '修改推送规则', say: '修改了推送规则{obj}' },
    'notify.outbox.retry': { name: '重发消息', say: '重发了发送失败的消息{obj}' },
    'notify.contact.set': { name: '修改接收方式', say: '修改了本人的消息接收方式' },
    'problem.urge': { name: '催办', say: '催办了问题{obj}' }
  },
  objects: {},
  keys: {},
  values: {}
}
