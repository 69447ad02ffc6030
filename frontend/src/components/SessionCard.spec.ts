import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { Governor, Session } from '../api/types'
import { setLocale } from '../i18n'
import { routes } from '../router'
import { useAuth } from '../stores/auth'
import { useLive } from '../stores/live'
import { useSessions } from '../stores/sessions'
import { fail, fakeApi, ok, userOf } from '../testing/fakeApi'
import SessionCard from './SessionCard.vue'

const QR1 = 'data:image/png;base64,AAAA'
const QR2 = 'data:image/png;base64,BBBB'
const WAITING: Session = {
  id: 'shop', status: 'qr_waiting', phone_number: null, display_name: null, qr_code: QR1,
  qr_expires_at: '2026-01-01T12:01:00Z', agent_id: null, connected_at: null, disconnected_at: null,
  created_at: '2026-01-01T12:00:00Z', send_min_interval_ms: null,
}

const GOVERNOR: Governor = {
  session_id: 'shop', health: 100, paused: false, paused_until: null, pause_reason: null, sent_last_minute: 0,
  sent_last_hour: 0, sent_last_day: 0, first_contacts_last_day: 0, warmup_factor: 1,
  policy: { per_minute: 0, per_hour: 0, per_day: 0, first_contacts_per_day: 0, warmup_days: 0, warmup_start: 0.2, min_interval_ms: 1000, jitter: 0.5 },
  overrides: {},
}

async function mountAs(role: 'viewer' | 'operator', extra: Parameters<typeof fakeApi>[0] = {}) {
  const auth = useAuth()
  auth.user = userOf(role)
  auth.access = 'token'
  fakeApi({
    'GET /sessions': () => ok({ items: [WAITING], total: 1, limit: 500, offset: 0 }),
    'GET /ready': () => ok({ status: 'ready', checks: { database: 'ok', llm: 'scripted' } }),
    'GET /sessions/shop/governor': () => ok(GOVERNOR),
    ...extra,
  })
  const store = useSessions()
  await store.load()
  const router = createRouter({ history: createMemoryHistory(), routes })
  const wrapper = mount({
    components: { SessionCard },
    setup: () => ({ store }),
    template: '<SessionCard v-for="s in store.items" :key="s.id" :session="s" :sandbox="store.sandboxOn" />',
  }, { global: { plugins: [router] } })
  await flushPromises()
  return wrapper
}

beforeEach(() => {
  setActivePinia(createPinia())
  setLocale('en')
})
afterEach(() => {
  vi.useRealTimers()
})

describe('SessionCard', () => {
  it('shows the QR as an image and follows live status events', async () => {
    const wrapper = await mountAs('operator')
    expect(wrapper.find('img[alt="QR code to link shop"]').attributes('src')).toBe(QR1)
    useLive().dispatch({ event: 'session.status', data: { id: 'shop', status: 'qr_waiting', qr_code: QR2 } })
    await flushPromises()
    expect(wrapper.find('img').attributes('src')).toBe(QR2)
    useLive().dispatch({ event: 'session.status', data: { id: 'shop', status: 'connected', qr_code: null } })
    await flushPromises()
    expect(wrapper.find('img').exists()).toBe(false)
    expect(wrapper.find('.badge').text()).toBe('connected')
    expect(wrapper.text()).toContain('Write as a WhatsApp user')
  })

  it('gives an operator the controls and a viewer none', async () => {
    const operator = await mountAs('operator')
    const labels = (w: typeof operator) => w.findAll('button').map((b) => b.text())
    expect(labels(operator)).toEqual(expect.arrayContaining(['Scan (sandbox)', 'Reconnect', 'Log out', 'Delete', 'Save']))
    setActivePinia(createPinia())
    const viewer = await mountAs('viewer')
    expect(labels(viewer)).toEqual([])
    expect(viewer.text()).toContain('100 / 100') // the number's health: read, not changed
    expect(viewer.find('select').attributes('disabled')).toBeDefined()
    expect(viewer.find('input').exists()).toBe(false)
  })

  it('asks for a fresh QR once the shown one has expired', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    vi.setSystemTime(new Date('2026-01-01T12:00:30Z')) // the QR expires at 12:01:00
    let fetched = 0
    const wrapper = await mountAs('operator', {
      'GET /sessions/shop': () => {
        fetched += 1
        return ok({ ...WAITING, qr_code: QR2, qr_expires_at: '2026-01-01T12:02:00Z' })
      },
    })
    await vi.advanceTimersByTimeAsync(25_000)
    expect(fetched).toBe(0) // still valid
    await vi.advanceTimersByTimeAsync(10_000)
    await flushPromises()
    expect(fetched).toBe(1)
    expect(wrapper.find('img').attributes('src')).toBe(QR2)
    await vi.advanceTimersByTimeAsync(30_000)
    expect(fetched).toBe(1) // the next one is due at 12:02
  })

  it('asks before deleting', async () => {
    const wrapper = await mountAs('operator')
    await wrapper.findAll('button').find((b) => b.text() === 'Delete')!.trigger('click')
    expect(wrapper.find('[role=alertdialog]').text()).toContain('Delete number shop?')
  })

  it('gets a pairing code for a phone number as an alternative to the QR, and shows a refusal by the field', async () => {
    const asked: unknown[] = []
    const wrapper = await mountAs('operator', {
      'POST /sessions/shop/pairing-code': ({ body }) => {
        asked.push(body)
        const phone = (body as { phone_number: string }).phone_number
        return phone.startsWith('+55')
          ? ok({ session_id: 'shop', phone_number: '5511988887777', code: 'K7PQ2XZA' })
          : fail(422, 'phone_number: the number to link, in international format with the country code')
      },
    })
    const toggle = wrapper.find('button.pair-toggle')
    expect(toggle.attributes('aria-expanded')).toBe('false')
    await toggle.trigger('click')
    await wrapper.find('#pair-phone-shop').setValue('98888')
    await wrapper.find('.pairing').trigger('submit')
    await flushPromises()
    expect(wrapper.find('.pairing [role=alert]').text()).toContain('international format')
    await wrapper.find('#pair-phone-shop').setValue('+55 11 98888-7777')
    await wrapper.find('.pairing').trigger('submit')
    await flushPromises()
    expect(asked).toEqual([{ phone_number: '98888' }, { phone_number: '+55 11 98888-7777' }])
    expect(wrapper.find('.pair-code').text()).toBe('K7PQ-2XZA')
    expect(wrapper.text()).toContain('Link with phone number instead')
    useLive().dispatch({ event: 'session.status', data: { id: 'shop', status: 'connected', qr_code: null } })
    await flushPromises()
    expect(wrapper.find('.pair-code').exists()).toBe(false) // linked: the code is spent
  })

  it('offers a viewer no pairing code', async () => {
    const wrapper = await mountAs('viewer')
    expect(wrapper.find('.pair-toggle').exists()).toBe(false)
  })
})
