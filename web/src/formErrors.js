// Server errors shown where the user will look: an error about a field goes next to that
// field (el-form-item :error), anything else into a message at the top of the page.
import { reactive } from 'vue'
import { ElMessage } from 'element-plus'

export function useFieldErrors() {
  const errors = reactive({})
  function clear() { for (const k of Object.keys(errors)) delete errors[k] }
  // Shows err and returns true when it was placed next to a field of `fields` (if given).
  function show(err, fields) {
    clear()
    const f = err?.field
    if (f && (!fields || fields.includes(f))) {
      errors[f] = err.message
      return true
    }
    ElMessage.error({ message: err?.message || '操作失败', grouping: true })
    return false
  }
  return { errors, clear, show }
}
