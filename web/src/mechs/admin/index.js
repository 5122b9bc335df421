// The foundation's administration in the UI: 组织架构, 用户管理, 角色权限, 授权管理 and the
// 审计日志, listed in the menu's system part (after 消息通知). Registered in ../index.js.
import audit from './audit.js'

export default {
  name: 'admin',
  audit,
  // The scheduler's low-disk warning (flow "audit", item 1: the log) opens the audit page.
  itemPages: { audit: () => '/audit' },
  routes: [
    { path: 'admin/units', component: () => import('./views/Units.vue'), meta: { title: '组织架构', perm: 'unit.read' } },
    { path: 'admin/users', component: () => import('./views/Users.vue'), meta: { title: '用户管理', perm: 'user.read' } },
    { path: 'admin/roles', component: () => import('./views/Roles.vue'), meta: { title: '角色权限', perm: 'role.read' } },
    { path: 'admin/grants', component: () => import('./views/Grants.vue'), meta: { title: '授权管理', perm: 'grant.read' } },
    { path: 'audit', component: () => import('./views/Audit.vue'), meta: { title: '审计日志', perm: 'audit.read' } }
  ],
  menu: [
    {
      title: '系统管理', icon: 'Setting', section: 'system',
      // Administration is for those who manage something; reading the tree alone (every handler
      // may, to pick units) does not make a user an administrator.
      perm: ['unit.write', 'user.read', 'role.read', 'grant.read'],
      children: [
        { title: '组织架构', path: '/admin/units', perm: 'unit.read' },
        { title: '用户管理', path: '/admin/users', perm: 'user.read' },
        { title: '角色权限', path: '/admin/roles', perm: 'role.read' },
        { title: '授权管理', path: '/admin/grants', perm: 'grant.read' }
      ]
    },
    { title: '审计日志', icon: 'Document', path: '/audit', perm: 'audit.read', section: 'system' }
  ]
}
