// 消息推送 in the UI (issue 17, parts 1-4): a unit's channels (钉钉 and 企业微信 group robots,
// e-mail over SMTP) with the test send and the rules per notification kind, the outbox with its
// dead letters and their retry, and each person's own e-mail and mobile. The 催办 button of a
// problem's page is ./components/UrgeButton.vue; the 催办 figures by unit are a dashboard card
// (./dashboard/UrgeFigures.vue). Registered in ../index.js.
import audit from './audit.js'

export default {
  name: 'outward',
  routes: [
    { path: 'outward/channels', component: () => import('./views/Channels.vue'), meta: { title: '推送渠道', perm: 'notify.admin' } },
    { path: 'outward/outbox', component: () => import('./views/Outbox.vue'), meta: { title: '发送记录', perm: 'notify.admin' } },
    { path: 'outward/contact', component: () => import('./views/Contact.vue'), meta: { title: '我的接收方式' } }
  ],
  menu: [
    {
      title: '消息推送', icon: 'Promotion', section: 'system', perm: 'notify.admin',
      children: [
        { title: '推送渠道', path: '/outward/channels' },
        { title: '发送记录', path: '/outward/outbox' }
      ]
    },
    { title: '我的接收方式', icon: 'Iphone', path: '/outward/contact', section: 'system' }
  ],
  dashboard: [
    { place: 'cards', perm: 'problem.read', component: () => import('./dashboard/UrgeFigures.vue') }
  ],
  audit
}
