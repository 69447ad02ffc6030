// A paginated list with its filters and its three states (loading, error, empty).
import { computed, ref, watch, type Ref } from 'vue'
import type { Page } from '../api/types'

export function usePaged<T, F extends object>(
  fetch: (params: Record<string, string | number | undefined>) => Promise<Page<T>>,
  filters: Ref<F>,
  size = 50,
) {
  const items = ref<T[]>([]) as Ref<T[]>
  const total = ref(0)
  const offset = ref(0)
  const loading = ref(false)
  const error = ref<unknown>(null)

  async function load(): Promise<void> {
    loading.value = true
    error.value = null
    const params: Record<string, string | number | undefined> = { limit: size, offset: offset.value }
    for (const [name, value] of Object.entries(filters.value)) {
      if (value !== '' && value !== null && value !== undefined) params[name] = value as string
    }
    try {
      const page = await fetch(params)
      items.value = page.items
      total.value = page.total
    } catch (e) {
      error.value = e
    } finally {
      loading.value = false
    }
  }

  watch(offset, load)
  const apply = () => (offset.value === 0 ? load() : (offset.value = 0))

  return {
    items, total, offset, loading, error, size, load, apply,
    empty: computed(() => !loading.value && !error.value && items.value.length === 0),
  }
}
