import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { Approval } from '../api/types'
import { setLocale } from '../i18n'
import { useAuth } from '../stores/auth'
import { useLive } from '../stores/live'
import { fail, fakeApi, ok, userOf, type Reply } from '../testing/fakeApi'
import ApprovalsView from './ApprovalsView.vue'

const pending = (id: string): Approval => ({
  id, agent_id: 'a1', session_id: 'shop', contact_jid: '15551230000@s.whatsapp.net', conversation_id: 'c1',
  tool: 'refund_order', arguments: { order: 'A-17', amount: 30 }, status: 'pending', reason: null,
  created_at: '2026-01-01T12:00:00Z', expires_at: '2026-01-01T13:00:00Z', decided_at: null, decided_by: null,
})
const page = (items: Approval[]) => ok({ items, total: items.length, limit: 50, offset: 0 })
const AGENTS = { 'GET /agents': () => page([]) }

async function mountAs(role: 'viewer' | 'operator') {
  const auth = useAuth()
  auth.user = userOf(role)
  auth.access = 'token'
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:any(.*)*', component: ApprovalsView }] })
  await router.push('/approvals')
  const wrapper = mount({ template: '<RouterView />' }, { global: { plugins: [router] } })
  await flushPromises()
  return wrapper
}

beforeEach(() => {
  setActivePinia(createPinia())
  setLocale('en')
})

describe('ApprovalsView', () => {
  it('lists pending tool calls with their arguments; an operator approves one', async () => {
    let items = [pending('p1')]
    const asked: unknown[] = []
    const { calls } = fakeApi({
      ...AGENTS,
      'GET /approvals': ({ params }) => (asked.push(params.status), page(items)),
      'POST /approvals/p1/approve': () => {
        items = []
        return ok({ ...pending('p1'), status: 'approved', decided_by: 'operator' })
      },
    })
    const wrapper = await mountAs('operator')
    expect(asked).toEqual(['pending'])
    expect(wrapper.find('[data-approval=p1]').text()).toContain('refund_order')
    expect(wrapper.find('.args').text()).toContain('"order": "A-17"')
    await wrapper.findAll('button').find((b) => b.text() === 'Approve')!.trigger('click')
    await flushPromises()
    expect(calls).toContain('POST /approvals/p1/approve')
    expect(wrapper.text()).toContain('No tool call waits for a decision.')
  })

  it('rejects with the reason given, and says so when someone decided first (409)', async () => {
    const reject: Reply = fail(409, "approval 'p1' was already approved")
    const bodies: unknown[] = []
    fakeApi({
      ...AGENTS,
      'GET /approvals': () => page([pending('p1')]),
      'POST /approvals/p1/reject': ({ body }) => (bodies.push(body), reject),
    })
    const wrapper = await mountAs('operator')
    await wrapper.findAll('button').find((b) => b.text() === 'Reject')!.trigger('click')
    await wrapper.find('#reason-p1').setValue('not for orders over 20')
    await wrapper.find('.inline-form').trigger('submit')
    await flushPromises()
    expect(bodies).toEqual([{ reason: 'not for orders over 20' }])
    const { useToasts } = await import('../composables/useToasts')
    expect(useToasts().toasts.value.map((x) => x.text)).toContain("approval 'p1' was already approved")
  })

  it('re-reads the list on a live approval event', async () => {
    let items: Approval[] = []
    fakeApi({ ...AGENTS, 'GET /approvals': () => page(items) })
    const wrapper = await mountAs('operator')
    expect(wrapper.text()).toContain('No tool call waits')
    items = [pending('p2')]
    useLive().dispatch({ event: 'approval.requested', data: pending('p2') as unknown as Record<string, unknown> })
    await flushPromises()
    expect(wrapper.find('[data-approval=p2]').exists()).toBe(true)
  })

  it('shows a viewer no decision controls', async () => {
    fakeApi({ ...AGENTS, 'GET /approvals': () => page([pending('p1')]) })
    const wrapper = await mountAs('viewer')
    expect(wrapper.find('[data-approval=p1]').exists()).toBe(true)
    expect(wrapper.findAll('button').map((b) => b.text())).toEqual([])
  })

  it('says the approvals API is not on this server when its route answers 404, and shows other errors as they are', async () => {
    let answer: Reply = fail(404, 'Not Found')
    fakeApi({ ...AGENTS, 'GET /approvals': () => answer })
    let wrapper = await mountAs('operator')
    expect(wrapper.text()).toContain('not available on this server yet')
    expect(wrapper.find('[data-approval]').exists()).toBe(false)
    setActivePinia(createPinia())
    answer = fail(503, 'a service we depend on is unavailable; try again shortly')
    wrapper = await mountAs('operator')
    expect(wrapper.find('[role=alert]').text()).toContain('a service we depend on is unavailable')
  })
})
