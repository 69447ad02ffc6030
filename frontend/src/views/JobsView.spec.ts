// Dead letters: each with its last error and a retry (operators), the list read again after.
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Job } from '../api/types'
import { useToasts } from '../composables/useToasts'
import { setLocale } from '../i18n'
import { useAuth } from '../stores/auth'
import { fail, fakeApi, ok, userOf } from '../testing/fakeApi'
import JobsView from './JobsView.vue'

const DEAD: Job = {
  id: 'j1', kind: 'send', key: 'shop/15551230000@s.whatsapp.net', status: 'dead', attempts: 8, max_attempts: 8,
  last_error: 'bridge unavailable: connection refused', payload: { message_id: 'm1' },
  created_at: '2026-01-01T12:00:00Z', run_at: '2026-01-01T12:30:00Z',
}

async function mountAs(role: 'viewer' | 'operator', routes: Parameters<typeof fakeApi>[0]) {
  const auth = useAuth()
  auth.user = userOf(role)
  auth.access = 'token'
  const api = fakeApi(routes)
  const wrapper = mount(JobsView)
  await flushPromises()
  return { wrapper, api }
}

beforeEach(() => {
  setActivePinia(createPinia())
  setLocale('en')
})

describe('JobsView', () => {
  it('lists dead jobs with their error; Retry queues one again and reads the list again', async () => {
    let dead = [DEAD]
    const asked: unknown[] = []
    const { wrapper, api } = await mountAs('operator', {
      'GET /jobs': ({ params }) => {
        asked.push(params)
        return ok({ items: dead, total: dead.length, limit: 50, offset: 0 })
      },
      'POST /jobs/j1/retry': () => {
        dead = []
        return ok({ ...DEAD, status: 'pending', attempts: 0 })
      },
    })
    expect(asked[0]).toMatchObject({ status: 'dead' })
    expect(wrapper.find('.job').text()).toContain('bridge unavailable: connection refused')
    expect(wrapper.find('.job').text()).toContain('8/8')
    await wrapper.find('.job button').trigger('click')
    await flushPromises()
    expect(api.calls).toContain('POST /jobs/j1/retry')
    expect(useToasts().toasts.value.map((n) => n.text)).toContain('Job queued again')
    expect(wrapper.text()).toContain('No dead jobs')
  })

  it('shows a refused retry as the API says it', async () => {
    const { wrapper } = await mountAs('operator', {
      'GET /jobs': () => ok({ items: [DEAD], total: 1, limit: 50, offset: 0 }),
      'POST /jobs/j1/retry': () => fail(409, "job 'j1' is not dead"),
    })
    await wrapper.find('.job button').trigger('click')
    await flushPromises()
    expect(useToasts().toasts.value.at(-1)).toMatchObject({ text: "job 'j1' is not dead", kind: 'error' })
  })

  it('gives a viewer no retry, and an error state with a retry of the list', async () => {
    let reply = fail(500, 'database unavailable')
    const { wrapper } = await mountAs('viewer', { 'GET /jobs': () => reply })
    expect(wrapper.find('.state-error').text()).toContain('database unavailable')
    reply = ok({ items: [DEAD], total: 1, limit: 50, offset: 0 })
    await wrapper.find('.state-error button').trigger('click')
    await flushPromises()
    expect(wrapper.find('.job').exists()).toBe(true)
    expect(wrapper.find('.job button').exists()).toBe(false)
  })
})
