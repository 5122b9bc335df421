// Whether the window is phone-narrow (≤ 768 px), kept up to date as it resizes.
import { ref, onMounted, onBeforeUnmount } from 'vue'

export function useNarrow(width = 768) {
  const narrow = ref(window.innerWidth <= width)
  const update = () => { narrow.value = window.innerWidth <= width }
  onMounted(() => window.addEventListener('resize', update))
  onBeforeUnmount(() => window.removeEventListener('resize', update))
  return narrow
}
