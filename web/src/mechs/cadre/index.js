// 干部监督预警 in the UI: the warning list with each score's explanation (leaders see no clue
// texts), the cadres' register and a cadre's file (timeline, clues, 研判 decisions, responses,
// assessments, the warning), the figures with drill-down, the member units' clue intake with their own submissions' state,
// the 研判 session screen (clue by clue), response forms on a decision, and 资格审查.
// Registered in ../index.js.
import audit from './audit.js'

export default {
  name: 'cadre',
  routes: [
    { path: 'cadre/warnings', component: () => import('./views/Warnings.vue'), meta: { title: '监督预警', perm: 'cadre.warning.read' } },
    { path: 'cadre/cadres', component: () => import('./views/Cadres.vue'), meta: { title: '干部名册', perm: 'cadre.read' } },
    { path: 'cadre/cadres/:id', component: () => import('./views/CadreFile.vue'), meta: { title: '干部监督档案', perm: 'cadre.read' } },
    { path: 'cadre/intake', component: () => import('./views/Intake.vue'), meta: { title: '报送线索', perm: 'cadre.clue.submit' } },
    { path: 'cadre/judge', component: () => import('./views/Judge.vue'), meta: { title: '线索研判', perm: 'cadre.write' } },
    { path: 'cadre/eligibility', component: () => import('./views/Eligibility.vue'), meta: { title: '资格审查', perm: 'cadre.read' } },
    { path: 'cadre/figures', component: () => import('./views/Figures.vue'), meta: { title: '监督统计', perm: 'cadre.read' } }
  ],
  menu: [{
    title: '干部监督', icon: 'UserFilled', perm: ['cadre.read', 'cadre.clue.submit', 'cadre.warning.read'],
    children: [
      { title: '监督预警', path: '/cadre/warnings', perm: 'cadre.warning.read' },
      { title: '干部名册', path: '/cadre/cadres', perm: 'cadre.read', match: /^\/cadre\/cadres\// },
      { title: '线索研判', path: '/cadre/judge', perm: 'cadre.write' },
      { title: '资格审查', path: '/cadre/eligibility', perm: 'cadre.read' },
      { title: '监督统计', path: '/cadre/figures', perm: 'cadre.read' },
      { title: '报送线索', path: '/cadre/intake', perm: 'cadre.clue.submit' }
    ]
  }],
  audit
}
