// The inbox: conversations across numbers and the open thread, updated live by events.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { conversations as api } from '../api/endpoints'
import { messageFromEvent, type Conversation, type Message, type Mode } from '../api/types'
import { useLive } from './live'

export interface InboxFilter {
  session_id?: string
  mode?: Mode
  contact?: string
}

const key = (session: string, jid: string) => `${session}/${jid}`
const PAGE = 50

export const useInbox = defineStore('inbox', () => {
  const conversations = ref<Conversation[]>([])
  const loading = ref(false)
  const error = ref<unknown>(null)
  const filter = ref<InboxFilter>({})
  const open = ref<{ session: string; jid: string } | null>(null)
  const messages = ref<Message[]>([]) // oldest first
  const total = ref(0)
  const threadLoading = ref(false)
  const threadError = ref<unknown>(null)
  let listening = false

  const current = computed(() =>
    open.value
      ? conversations.value.find((c) => key(c.session_id, c.contact_jid) === key(open.value!.session, open.value!.jid))
      : undefined,
  )

  function matches(c: Conversation): boolean {
    const f = filter.value
    return (!f.session_id || c.session_id === f.session_id) && (!f.mode || c.mode === f.mode) &&
      (!f.contact || c.contact_jid.includes(f.contact))
  }

  function isOpen(session: string, jid: string): boolean {
    return open.value?.session === session && open.value.jid === jid
  }

  function onMessage(data: Record<string, unknown>, isNew: boolean): void {
    const message = data as unknown as Message
    if (isOpen(message.session_id, message.contact_jid)) {
      const at = messages.value.findIndex((m) => m.id === message.id)
      if (at >= 0) messages.value[at] = { ...messages.value[at]!, ...message }
      else if (isNew) {
        messages.value.push(messageFromEvent(data))
        total.value += 1
        fillSoon() // events carry no metadata: fetch the stored messages for it
      }
    }
    if (!isNew) return
    const at = conversations.value.findIndex((c) => key(c.session_id, c.contact_jid) === key(message.session_id, message.contact_jid))
    if (at < 0) return void reload() // a new contact: the server knows its place in the list
    const known = conversations.value[at]!
    const unread = message.direction === 'inbound' ? known.unread + 1 : 0
    const updated = { ...known, last_message: { ...known.last_message, ...message } as Message, unread, updated_at: message.timestamp }
    conversations.value.splice(at, 1)
    conversations.value.unshift(updated)
  }

  let filling: ReturnType<typeof setTimeout> | undefined
  function fillSoon(): void {
    clearTimeout(filling)
    filling = setTimeout(() => void fill(), 250)
  }

  async function fill(): Promise<void> {
    if (!open.value) return
    const { session, jid } = open.value
    try {
      const page = await api.history(session, jid, { limit: PAGE })
      if (!isOpen(session, jid)) return
      const stored = new Map(page.items.map((m) => [m.id, m]))
      messages.value = messages.value.map((m) => stored.get(m.id) ?? m)
    } catch {
      /* the live copy stays; the next open shows the rest */
    }
  }

  function listen(): void {
    if (listening) return
    listening = true
    const live = useLive()
    live.on('message.new', (d) => onMessage(d, true))
    live.on('message.status', (d) => onMessage(d, false))
    live.on('conversation.mode', (d) => {
      const target = conversations.value.find((c) => c.session_id === d.session_id && c.contact_jid === d.contact_jid)
      if (target) target.mode = d.mode as Mode
    })
  }

  async function reload(): Promise<void> {
    try {
      conversations.value = (await api.inbox({ ...filter.value, limit: 200 })).items
      error.value = null
    } catch (e) {
      error.value = e
    }
  }

  async function load(next: InboxFilter = filter.value): Promise<void> {
    listen()
    filter.value = next
    loading.value = true
    await reload()
    loading.value = false
  }

  async function select(session: string, jid: string): Promise<void> {
    open.value = { session, jid }
    messages.value = []
    threadLoading.value = true
    threadError.value = null
    try {
      const page = await api.history(session, jid, { limit: PAGE })
      if (!isOpen(session, jid)) return
      messages.value = [...page.items].reverse()
      total.value = page.total
    } catch (e) {
      threadError.value = e
    } finally {
      threadLoading.value = false
    }
  }

  async function older(): Promise<void> {
    if (!open.value || messages.value.length >= total.value) return
    const { session, jid } = open.value
    const page = await api.history(session, jid, { limit: PAGE, offset: messages.value.length })
    const known = new Set(messages.value.map((m) => m.id))
    messages.value = [...page.items.filter((m) => !known.has(m.id)).reverse(), ...messages.value]
  }

  /** Load older pages until the message with this id is in the thread (a search hit's). */
  async function reveal(id: string, maxPages = 20): Promise<boolean> {
    for (let i = 0; i < maxPages; i++) {
      if (messages.value.some((m) => m.id === id)) return true
      if (!open.value || messages.value.length >= total.value) return false
      const before = messages.value.length
      await older()
      if (messages.value.length === before) return false
    }
    return messages.value.some((m) => m.id === id)
  }

  async function send(text: string): Promise<void> {
    if (!open.value) return
    const message = await api.send(open.value.session, open.value.jid, text)
    onMessage(message as unknown as Record<string, unknown>, true)
  }

  async function setMode(mode: Mode): Promise<void> {
    if (!open.value) return
    const updated = await api.setMode(open.value.session, open.value.jid, mode)
    conversations.value = conversations.value.map((c) =>
      key(c.session_id, c.contact_jid) === key(updated.session_id, updated.contact_jid) ? updated : c,
    )
  }

  return {
    conversations, loading, error, filter, open, messages, total, threadLoading, threadError, current,
    matches, isOpen, load, reload, select, older, reveal, send, setMode, close: () => (open.value = null),
  }
})
