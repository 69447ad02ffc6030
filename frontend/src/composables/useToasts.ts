// Short notices at the corner of the screen: nothing the user did succeeds or fails silently.
import { ref } from 'vue'

export interface Toast {
  id: number
  text: string
  kind: 'ok' | 'error'
}

const toasts = ref<Toast[]>([])
let next = 1

export function useToasts() {
  function push(text: string, kind: Toast['kind'] = 'ok'): void {
    const id = next++
    toasts.value.push({ id, text, kind })
    setTimeout(() => dismiss(id), kind === 'error' ? 8000 : 3500)
  }
  function dismiss(id: number): void {
    toasts.value = toasts.value.filter((t) => t.id !== id)
  }
  return { toasts, push, dismiss }
}
