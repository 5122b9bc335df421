// How the audit log reads 统战联络、党建联盟's records: each action's Chinese name and sentence
// (the registers' changes, visits, problems sent to the problem list, the settings), what each
// kind of object is called (named through /api/v1/liaison/names) and which page shows it. See
// ../admin/audit.js for the shape; the audit page merges every descriptor's `audit`.
const REGISTERS = {
  person: ['统战对象', 'persons'],
  enterprise: ['重点企业', 'enterprises'],
  assignment: ['联系交友任务', 'assignments'],
  station: ['驻厂员', 'stations'],
  alliance: ['党建联盟', 'alliances'],
  team: ['联盟队伍', 'teams'],
  rotation: ['支部轮值', 'rotations'],
  meeting: ['联盟会议', 'meetings'],
  activity: ['活动', 'activities']
}

const actions = {
  'liaison.visit.create': { name: '登记走访', say: '登记了一次走访（{d.visited_on}）' },
  'liaison.visit.raise': { name: '诉求转入问题清单', say: '将走访中的困难诉求转入问题清单：{d.title}' },
  'liaison.meeting.raise': { name: '联盟议事提出问题', say: '将{obj}提出的问题转入问题清单：{d.title}' },
  'liaison.station.raise': { name: '驻厂员提出问题', say: '将{obj}发现的企业问题转入问题清单：{d.title}' },
  'liaison.settings': { name: '修改统战设置', say: '将领导干部最少联系对象数设为 {d.leader_min_targets}' }
}
const objects = {
  liaison_visit: { title: '走访记录', names: null, page: () => '/liaison/visits', perm: 'liaison.read' },
  liaison_setting: { title: '统战设置', names: null, page: null, perm: 'liaison.write' }
}
for (const [kind, [title, path]] of Object.entries(REGISTERS)) {
  actions[`liaison.${kind}.create`] = { name: `新增${title}`, say: `新增了${title}{obj}` }
  actions[`liaison.${kind}.update`] = { name: `修改${title}`, say: `修改了${title}{obj}` }
  objects[`liaison_${kind}`] = {
    title,
    quote: '“”',
    names: kind === 'person' ? null : '/api/v1/liaison/names', // a person's name is not shown
    page: kind === 'alliance' ? (id) => `/liaison/alliances/${id}` : () => `/liaison/registers/${path}`,
    perm: kind === 'person' ? 'liaison.person' : 'liaison.read'
  }
}

export default {
  actions,
  objects,
  keys: {
    name: '名称', fields: '修改的项目', visited_on: '走访日期', form: '走访形式', assignment_id: '联系任务',
    station_id: '驻厂任务', problem_id: '问题编号', title: '问题', leader_min_targets: '领导干部最少联系对象数'
  },
  values: {}
}
