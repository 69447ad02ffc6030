// A number's send governor on its card: the report, a pause and its resume, the limits form.
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Governor, Session } from '../api/types'
import { useToasts } from '../composables/useToasts'
import { setLocale } from '../i18n'
import { useAuth } from '../stores/auth'
import { useLive } from '../stores/live'
import { useSessions } from '../stores/sessions'
import { fail, fakeApi, ok, userOf } from '../testing/fakeApi'
import SendingLimits from './SendingLimits.vue'

const SESSION: Session = {
  id: 'shop', status: 'connected', phone_number: '5511988887777', display_name: null, qr_code: null,
  qr_expires_at: null, agent_id: null, connected_at: '2026-01-01T12:00:00Z', disconnected_at: null,
  created_at: '2026-01-01T12:00:00Z', send_min_interval_ms: null,
}
const NONE = {
  per_minute: null, per_hour: null, per_day: null, first_contacts_per_day: null, warmup_days: null,
  warmup_start: null, min_interval_ms: null, jitter: null,
}
const REPORT: Governor = {
  session_id: 'shop', health: 80, paused: false, paused_until: null, pause_reason: null,
  sent_last_minute: 2, sent_last_hour: 30, sent_last_day: 120, first_contacts_last_day: 4, warmup_factor: 0.5,
  policy: {
    per_minute: 10, per_hour: 200, per_day: 0, first_contacts_per_day: 50, warmup_days: 14, warmup_start: 0.2,
    min_interval_ms: 1000, jitter: 0.5,
  },
  overrides: { ...NONE, per_hour: 200, min_interval_ms: 1000 },
}

async function mountAs(role: 'viewer' | 'operator', routes: Parameters<typeof fakeApi>[0], session = SESSION) {
  const auth = useAuth()
  auth.user = userOf(role)
  auth.access = 'token'
  const api = fakeApi(routes)
  useSessions().put(session)
  const wrapper = mount(SendingLimits, { props: { session } })
  await flushPromises()
  return { wrapper, api }
}

const facts = (wrapper: ReturnType<typeof mount>) =>
  Object.fromEntries(wrapper.findAll('dt').map((dt) => [dt.text(), (dt.element.nextElementSibling as HTMLElement).textContent!.trim()]))

beforeEach(() => {
  setActivePinia(createPinia())
  setLocale('en')
})

describe('SendingLimits', () => {
  it('shows health, sends against the budgets of today (warm-up), and the pacing', async () => {
    const { wrapper } = await mountAs('viewer', { 'GET /sessions/shop/governor': () => ok(REPORT) })
    expect(facts(wrapper)).toMatchObject({
      Health: '80 / 100',
      'Sent in the last minute': '2 of 5', // 10 a minute, at half during the warm-up
      'Sent in the last hour': '30 of 100',
      'Sent in the last 24 hours': '120 (no limit)',
      'First messages to new contacts (24 h)': '4 of 25',
      'Pause between sends': 'at least 1000 ms, plus up to 50% at random',
      'Warm-up': 'budgets at 50% today',
    })
    expect(wrapper.find('meter').attributes('value')).toBe('80')
    expect(wrapper.find('form').exists()).toBe(false) // a viewer changes nothing
    expect(wrapper.findAll('button')).toHaveLength(0)
  })

  it('a paused number says why and until when; an operator resumes it', async () => {
    let paused = true
    const { wrapper, api } = await mountAs('operator', {
      'GET /sessions/shop/governor': () => ok({ ...REPORT, paused, pause_reason: 'banned', health: 0 }),
      'POST /sessions/shop/governor/resume': () => {
        paused = false
        return ok({ ...REPORT, paused: false })
      },
    })
    const banner = wrapper.find('.paused')
    expect(banner.text()).toContain('Sending is paused (banned).')
    expect(banner.text()).toContain('until an operator resumes it')
    await banner.find('button').trigger('click')
    await flushPromises()
    expect(api.calls).toContain('POST /sessions/shop/governor/resume')
    expect(wrapper.find('.paused').exists()).toBe(false)
  })

  it('saves the number’s limits: pacing on the session, the rest as governor overrides, keeping a pacing override', async () => {
    const put: unknown[] = []
    const patched: unknown[] = []
    const { wrapper } = await mountAs('operator', {
      'GET /sessions/shop/governor': () => ok(REPORT),
      'PUT /sessions/shop/governor': ({ body }) => {
        put.push(body)
        return ok({ ...REPORT, overrides: { ...NONE, ...(body as object) } })
      },
      'PATCH /sessions/shop': ({ body }) => {
        patched.push(body)
        return ok({ ...SESSION, ...(body as object) })
      },
    })
    expect((wrapper.find('#limits-shop-per_hour').element as HTMLInputElement).value).toBe('200') // its own
    expect(wrapper.find('#limits-shop-per_day').attributes('placeholder')).toBe('0') // the server's
    await wrapper.find('#limits-shop-per_minute').setValue('10')
    await wrapper.find('#limits-shop-per_hour').setValue('') // back to the server's value
    await wrapper.find('#limits-shop-jitter').setValue('25')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(patched).toEqual([]) // pacing untouched: no PATCH
    expect(put).toEqual([{ per_minute: 10, jitter: 0.25, min_interval_ms: 1000 }])
    expect((wrapper.find('#limits-shop-jitter').element as HTMLInputElement).value).toBe('25')
    await wrapper.find('#limits-shop-pacing').setValue('1500')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(patched).toEqual([{ send_min_interval_ms: 1500 }])
    expect(useToasts().toasts.value.map((n) => n.text)).toContain('Saved')
  })

  it('a refusal shows by the field it names, or above the fields', async () => {
    let answer = fail(400, 'per_minute: Expected `int` <= 100000')
    const { wrapper } = await mountAs('operator', {
      'GET /sessions/shop/governor': () => ok(REPORT),
      'PUT /sessions/shop/governor': () => answer,
    })
    await wrapper.find('#limits-shop-per_minute').setValue('100001')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    const field = wrapper.find('#limits-shop-per_minute').element.closest('.field')!
    expect(field.querySelector('[role=alert]')!.textContent).toContain('<= 100000')
    expect((wrapper.find('details').element as HTMLDetailsElement).open).toBe(true)
    answer = fail(409, 'the number is busy')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('form > [role=alert]').text()).toBe('the number is busy')
  })

  it('reads the report again when the number’s status changes (a restriction comes that way)', async () => {
    let health = 100
    const { wrapper } = await mountAs('viewer', { 'GET /sessions/shop/governor': () => ok({ ...REPORT, health }) })
    expect(facts(wrapper).Health).toBe('100 / 100')
    health = 60
    useLive().dispatch({ event: 'session.status', data: { id: 'other', status: 'connected' } })
    await flushPromises()
    expect(facts(wrapper).Health).toBe('100 / 100')
    useLive().dispatch({ event: 'session.status', data: { id: 'shop', status: 'connected' } })
    await flushPromises()
    expect(facts(wrapper).Health).toBe('60 / 100')
  })

  it('says so on a server without the governor, and shows another error with a retry', async () => {
    const gone = await mountAs('operator', { 'GET /sessions/shop/governor': () => fail(404, 'Not Found') })
    expect(gone.wrapper.text()).toContain('Sending limits are not available on this server yet.')
    setActivePinia(createPinia())
    let reply = fail(500, 'database unavailable')
    const broken = await mountAs('operator', { 'GET /sessions/shop/governor': () => reply })
    expect(broken.wrapper.find('[role=alert]').text()).toContain('database unavailable')
    reply = ok(REPORT)
    await broken.wrapper.find('[role=alert] button').trigger('click')
    await flushPromises()
    expect(facts(broken.wrapper).Health).toBe('80 / 100')
  })
})
