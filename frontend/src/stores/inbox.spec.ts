import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Conversation, Message } from '../api/types'
import { fakeApi, ok } from '../testing/fakeApi'
import { useInbox } from './inbox'
import { useLive } from './live'

const JID = '15551230000@s.whatsapp.net'
const OTHER = '15550000000@s.whatsapp.net'
const message = (id: string, direction: 'inbound' | 'outbound', contact = JID): Message => ({
  id, session_id: 'shop', contact_jid: contact, direction, message_type: 'text', content: id, media_url: null,
  metadata: {}, wa_message_id: null, status: direction === 'inbound' ? 'processed' : 'sent', timestamp: '2026-01-01T12:00:00Z',
})
const conversation = (contact: string, unread = 0): Conversation => ({
  session_id: 'shop', contact_jid: contact, mode: 'ai', last_message: message('last', 'inbound', contact), updated_at: '2026-01-01T12:00:00Z', unread,
  summary: '', summary_updated_at: null,
})

beforeEach(() => setActivePinia(createPinia()))

describe('inbox store', () => {
  it('takes new messages live: into the open thread, and the conversation to the top', async () => {
    fakeApi({
      'GET /conversations': () => ok({ items: [conversation(OTHER), conversation(JID)], total: 2, limit: 200, offset: 0 }),
      [`GET /sessions/shop/conversations/${encodeURIComponent(JID)}/messages`]: () =>
        ok({ items: [message('m2', 'outbound'), message('m1', 'inbound')], total: 2, limit: 50, offset: 0 }),
    })
    const inbox = useInbox()
    await inbox.load()
    await inbox.select('shop', JID)
    expect(inbox.messages.map((m) => m.id)).toEqual(['m1', 'm2'])
    const live = useLive()
    live.dispatch({ event: 'message.new', data: { id: 'm3', session_id: 'shop', contact_jid: JID, direction: 'inbound', content: 'hi', status: 'received', timestamp: '2026-01-01T12:01:00Z' } })
    expect(inbox.messages.map((m) => m.id)).toEqual(['m1', 'm2', 'm3'])
    expect(inbox.conversations[0]!.contact_jid).toBe(JID)
    expect(inbox.conversations[0]!.unread).toBe(1)
    live.dispatch({ event: 'message.status', data: { id: 'm2', session_id: 'shop', contact_jid: JID, direction: 'outbound', content: 'm2', status: 'read', timestamp: '2026-01-01T12:00:00Z' } })
    expect(inbox.messages[1]!.status).toBe('read')
    live.dispatch({ event: 'conversation.mode', data: { session_id: 'shop', contact_jid: JID, mode: 'human' } })
    expect(inbox.current?.mode).toBe('human')
  })

  it('reveals an older message (a search hit) by loading pages until it is there', async () => {
    const all = Array.from({ length: 120 }, (_, i) => message(`m${i}`, i % 2 ? 'outbound' : 'inbound')).reverse() // newest first
    const { calls } = fakeApi({
      [`GET /sessions/shop/conversations/${encodeURIComponent(JID)}/messages`]: ({ params }) => {
        const offset = Number(params.offset ?? 0)
        const limit = Number(params.limit)
        return ok({ items: all.slice(offset, offset + limit), total: all.length, limit, offset })
      },
    })
    const inbox = useInbox()
    await inbox.select('shop', JID)
    expect(inbox.messages.some((m) => m.id === 'm5')).toBe(false)
    expect(await inbox.reveal('m5')).toBe(true)
    expect(inbox.messages.map((m) => m.id).slice(0, 6)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5'])
    expect(calls.length).toBe(3) // 50 + 50 + 20
    expect(await inbox.reveal('not-here')).toBe(false)
  })
})
