// The problem figures the dashboard's 问题清单 cards share for one visit: the period chosen on
// the totals card (本年, 近12个月, 全部) and the figures by unit, month and category it loads,
// which the charts card draws; a figure's or a chart element's problems open in the list.
// Kept in the dashboard's per-visit store (see views/Dashboard.vue), so both cards see one copy.
import { ref, inject } from 'vue'
import { useRouter } from 'vue-router'
import { api } from '../../../api.js'
import { todayShanghai } from '../../../format.js'

function createFigures(router) {
  const today = todayShanghai()
  const period = ref('year')
  const total = ref(null)
  const byUnit = ref(null)
  const byMonth = ref(null)
  const byCategory = ref(null)

  function periodQuery() {
    if (period.value === 'year') return { found_from: `${today.slice(0, 4)}-01-01`, found_to: today }
    if (period.value === '12m') {
      const y = Number(today.slice(0, 4)) - 1
      return { found_from: `${y}${today.slice(4, 8)}01`, found_to: today }
    }
    return {}
  }

  async function load() {
    total.value = null
    const q = periodQuery()
    const [u, m, c] = await Promise.all(['unit', 'month', 'category'].map((group) => api.get('/api/v1/problems/stats', { ...q, group })))
    total.value = u.total
    byUnit.value = u.groups.filter((g) => g.found > 0)
    byMonth.value = m.groups
    byCategory.value = c.groups
  }

  function drill(filters) {
    if (filters) router.push({ path: '/problems', query: filters })
  }

  return { period, total, byUnit, byMonth, byCategory, load, drill }
}

export function useFigures() {
  const board = inject('dashboard')
  board.problemFigures ||= createFigures(useRouter())
  return board.problemFigures
}
