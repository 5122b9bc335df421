// What the cadre pages share: the codes' lists from /api/v1/cadre/meta (loaded once), the
// levels' tag colours, and the titles of dispositions and findings.
import { ref } from 'vue'
import { api } from '../../api.js'

const meta = ref(null)
let loading = null

export function useMeta() {
  if (!meta.value && !loading) loading = api.get('/api/v1/cadre/meta').then((m) => { meta.value = m })
  return meta
}

export const levelTag = { red: 'danger', yellow: 'warning', blue: 'primary', '': 'info' }
export const findingTitle = { true: '属实', partly: '部分属实', false: '不属实', '': '—' }
export const purposeTitle = { promotion: '提拔任用（考察对象）', award: '评先评优', reserve: '后备干部' }
