// 稿件审核与新媒体管理 in the UI: drafts with the term scanner's hits highlighted in place and the
// 三审 trail, the register of outlets (政务网站 and 新媒体账号) with their 备案 and freshness, the
// propaganda side's desk of pending 备案, the term lists, and the figures with drill-down.
// Registered in ../index.js.
import audit from './audit.js'

export default {
  name: 'publish',
  audit,
  routes: [
    { path: 'publish/drafts', component: () => import('./views/Drafts.vue'), meta: { title: '稿件审核', perm: 'publish.read' } },
    { path: 'publish/drafts/new', component: () => import('./views/Draft.vue'), meta: { title: '新建稿件', perm: 'publish.write' } },
    { path: 'publish/drafts/:id', component: () => import('./views/Draft.vue'), meta: { title: '稿件', perm: 'publish.read' } },
    { path: 'publish/outlets', component: () => import('./views/Outlets.vue'), meta: { title: '网站和新媒体账号', perm: 'publish.read' } },
    { path: 'publish/lists', component: () => import('./views/Lists.vue'), meta: { title: '敏感词库', perm: 'publish.lists' } },
    { path: 'publish/figures', component: () => import('./views/Figures.vue'), meta: { title: '审核与账号统计', perm: 'publish.read' } }
  ],
  menu: [{
    title: '稿件审核', icon: 'EditPen', perm: 'publish.read',
    children: [
      { title: '稿件审核', path: '/publish/drafts', match: /^\/publish\/drafts\// },
      { title: '网站和新媒体账号', path: '/publish/outlets' },
      { title: '敏感词库', path: '/publish/lists', perm: 'publish.lists' },
      { title: '统计', path: '/publish/figures' }
    ]
  }]
}
