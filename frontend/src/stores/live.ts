// The live event stream: one connection per signed-in tab, and who listens to which event.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { refreshOnce } from '../api/client'
import { openStream, type LiveEvent, type StreamOptions } from '../live/sse'
import { useAuth } from './auth'

type Listener = (data: Record<string, unknown>) => void

export const useLive = defineStore('live', () => {
  const connected = ref(false)
  const started = ref(false)
  const listeners = new Map<string, Set<Listener>>()
  let stream: { stop: () => void } | null = null

  function on(event: string, listener: Listener): () => void {
    const set = listeners.get(event) ?? new Set<Listener>()
    listeners.set(event, set.add(listener))
    return () => set.delete(listener)
  }

  function dispatch(event: LiveEvent): void {
    if (typeof event.data !== 'object' || event.data === null) return
    for (const listener of listeners.get(event.event) ?? []) listener(event.data as Record<string, unknown>)
  }

  function start(overrides: Partial<StreamOptions> = {}): void {
    if (stream) return
    const auth = useAuth()
    started.value = true
    stream = openStream({
      url: '/api/v1/events',
      ticketUrl: '/api/v1/events/ticket',
      token: () => auth.access,
      refresh: refreshOnce,
      onEvent: dispatch,
      onState: (up) => (connected.value = up),
      ...overrides,
    })
  }

  function stop(): void {
    stream?.stop()
    stream = null
    started.value = false
    connected.value = false
  }

  return { connected, started, on, start, stop, dispatch }
})
