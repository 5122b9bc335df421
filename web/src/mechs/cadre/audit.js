// How the audit log reads cadre supervision's records: each action's Chinese name and sentence,
// what its objects (cadres, clues, 研判 sessions, the warning configuration) are called and which
// page shows them (a cadre's file only for cadre.read).
export default {
  actions: {
    'cadre.create': { name: '登记干部', say: '登记了干部{obj}' },
    'cadre.clue.submit': { name: '报送监督线索', say: '报送了监督线索{obj}' },
    'cadre.decision': { name: '研判决定', say: '对干部{obj}作出研判决定' },
    'cadre.session.create': { name: '召开研判会', say: '记录了研判会{obj}（{d.decisions} 项决定）' },
    'cadre.response.create': { name: '记录处置', say: '记录了对干部{obj}的处置（影响期至 {d.impact_until}）' },
    'cadre.assessment.create': { name: '记录考核', say: '记录了干部{obj}的考核（{d.year}年）' },
    'cadre.config': { name: '修改预警设置', say: '修改了干部监督预警设置' },
    'cadre.rekey': { name: '更换干部监督密钥', say: '更换了干部监督数据密钥（重新加密 {d.values} 项）' },
    'cadre.demo': { name: '生成干部监督演示数据', say: '生成了干部监督演示数据（{d.cadres} 名干部）' }
  },
  objects: {
    cadre: { title: '干部', names: null, page: (id) => `/cadre/cadres/${id}`, perm: 'cadre.read' },
    cadre_clue: { title: '监督线索', names: null, page: null, perm: 'cadre.read' },
    cadre_session: { title: '研判会', names: null, page: () => '/cadre/judge', perm: 'cadre.write' },
    cadre_config: { title: '预警设置', names: null, page: null, perm: 'cadre.read' }
  },
  keys: { decisions: '决定数', impact_until: '影响期至', response_kind: '处置措施', disposal: '处置方式', values: '重新加密项数' },
  values: {}
}
