// How the audit log reads the study registry's records: each action's Chinese name and
// sentence, what its objects (activities, feedback, plans, persons, outputs, brands …) are
// called and which page shows them, and the detail's keys in Chinese. See ../admin/audit.js
// for the shape; the audit page merges every descriptor's `audit`.
export default {
  actions: {
    'study.person.create': { name: '新增人员', say: '新增了学习人员{obj}' },
    'study.person.update': { name: '修改人员', say: '修改了学习人员{obj}' },
    'study.person.import': { name: '导入人员', say: '导入了学习人员名册' },
    'study.activity.create': { name: '登记活动', say: '登记了{obj}' },
    'study.activity.update': { name: '修改活动', say: '修改了{obj}' },
    'study.attendance.set': { name: '登记出席', say: '登记了{obj}的出席情况' },
    'study.reflection.add': { name: '提交心得', say: '为{obj}提交了学习心得' },
    'study.output.add': { name: '登记成果', say: '登记了学习成果{obj}' },
    'study.observe': { name: '列席旁听', say: '列席旁听了{obj}' },
    'study.feedback.answer': { name: '答复列席反馈', say: '答复了{obj}' },
    'study.branch.fixed_day': { name: '设定固定学习日', say: '设定{obj}的固定学习日为每月 {d.fixed_day} 日' },
    'study.plan.create': { name: '制定学习计划', say: '制定了{obj}' },
    'study.plan.topics': { name: '调整学习专题', say: '调整了{obj}的月度专题' },
    'study.kind.create': { name: '新增活动类型', say: '新增了活动类型{obj}' },
    'study.brand.create': { name: '新增宣讲品牌', say: '新增了宣讲品牌“{d.name}”' },
    'study.team.create': { name: '新增宣讲队伍', say: '新增了宣讲队伍“{d.name}”' },
    'study.edu_site.create': { name: '新增教育基地', say: '新增了教育基地“{d.name}”' },
    'study.demo.import': { name: '导入示范数据', say: '导入了学习宣讲示范数据（{d.activities} 项活动）' }
  },
  objects: {
    activity: { title: '活动', quote: '《》', names: '/api/v1/study/names', page: (id) => `/study/activities/${id}`, perm: 'study.read' },
    feedback: { title: '列席反馈', quote: '“”', names: '/api/v1/study/names', page: (id) => `/study/activities/${id}`, perm: 'study.read' },
    plan: { title: '', names: '/api/v1/study/names', page: () => '/study/plans', perm: 'study.read' },
    person: { title: '', names: '/api/v1/study/names', page: () => '/study/persons', perm: 'study.read' },
    output: { title: '成果 #' },
    kind: { title: '' },
    brand: { title: '宣讲品牌 #' },
    team: { title: '宣讲队伍 #' },
    edu_site: { title: '教育基地 #' },
    study: { title: '' }
  },
  keys: {
    activity_id: '活动编号', observation_id: '列席记录编号', observer: '列席人', rating: '评价', issues: '反馈问题（条）',
    fixed_day: '固定学习日', year: '年度', topics: '专题（个）', persons: '人员', activities: '活动', attendance: '出席记录',
    reflections: '心得', outputs: '成果', site_visits: '教育基地参观', audience: '受众（人次）', present: '出席',
    absent: '缺席', shared: '分享', held_on: '日期', topic: '主题'
  }
}
