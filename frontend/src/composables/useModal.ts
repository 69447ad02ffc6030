// A modal's keyboard contract: focus moves into it when it opens (to `first`, or its first
// control), Tab and Shift+Tab stay inside, Escape closes it from anywhere, and focus goes back
// to where it was when it closes.
import { nextTick, onUnmounted, watch, type Ref } from 'vue'

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'

export function useModal(
  open: () => boolean,
  root: Ref<HTMLElement | null>,
  close: () => void,
  first?: Ref<HTMLElement | null>,
): void {
  let before: Element | null = null

  function onKey(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      event.preventDefault()
      close()
      return
    }
    if (event.key !== 'Tab' || !root.value) return
    const items = [...root.value.querySelectorAll<HTMLElement>(FOCUSABLE)]
    if (!items.length) return
    const [head, tail] = [items[0]!, items[items.length - 1]!]
    const inside = root.value.contains(document.activeElement)
    if (event.shiftKey && (document.activeElement === head || !inside)) {
      event.preventDefault()
      tail.focus()
    } else if (!event.shiftKey && (document.activeElement === tail || !inside)) {
      event.preventDefault()
      head.focus()
    }
  }

  function release(): void {
    document.removeEventListener('keydown', onKey)
  }

  watch(open, async (isOpen) => {
    if (isOpen) {
      before = document.activeElement
      document.addEventListener('keydown', onKey)
      await nextTick()
      const target = first?.value ?? root.value?.querySelector<HTMLElement>(FOCUSABLE)
      target?.focus()
    } else {
      release()
      if (before instanceof HTMLElement && before.isConnected) before.focus()
      before = null
    }
  }, { immediate: true })
  onUnmounted(release)
}
