// Linked numbers, kept current by `session.status` / `session.deleted` events.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { sandbox, sessions as api } from '../api/endpoints'
import type { Session, SessionChanges } from '../api/types'
import { useLive } from './live'

export const useSessions = defineStore('sessions', () => {
  const items = ref<Session[]>([])
  const loading = ref(false)
  const error = ref<unknown>(null)
  const sandboxOn = ref(false)
  let listening = false

  function put(session: Session): void {
    const at = items.value.findIndex((s) => s.id === session.id)
    if (at >= 0) items.value[at] = session
    else items.value.push(session)
  }

  function listen(): void {
    if (listening) return
    listening = true
    const live = useLive()
    live.on('session.status', (data) => {
      const known = items.value.find((s) => s.id === data.id)
      if (known) put({ ...known, ...(data as Partial<Session>) })
      else void refreshOne(String(data.id))
    })
    live.on('session.deleted', (data) => {
      items.value = items.value.filter((s) => s.id !== data.id)
    })
  }

  async function refreshOne(id: string): Promise<void> {
    try {
      put(await api.get(id))
    } catch {
      /* gone again: the next list shows it */
    }
  }

  async function load(): Promise<void> {
    listen()
    loading.value = true
    error.value = null
    try {
      const [page, on] = await Promise.all([api.list({ limit: 500 }), sandbox.enabled()])
      items.value = page.items
      sandboxOn.value = on
    } catch (e) {
      error.value = e
    } finally {
      loading.value = false
    }
  }

  async function create(id: string, agentId: string | null): Promise<Session> {
    const session = await api.create(id, agentId)
    put(session)
    return session
  }

  const act = async (p: Promise<Session>) => {
    const session = await p
    put(session)
    return session
  }

  return {
    items, loading, error, sandboxOn, load, create, put, refresh: refreshOne,
    update: (id: string, changes: SessionChanges) => act(api.update(id, changes)),
    reconnect: (id: string) => act(api.reconnect(id)),
    logout: (id: string) => act(api.logout(id)),
    scan: (id: string) => act(sandbox.scan(id)),
    remove: async (id: string) => {
      await api.remove(id)
      items.value = items.value.filter((s) => s.id !== id)
    },
  }
})
