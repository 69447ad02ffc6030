import { flushPromises, mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it } from 'vitest'
import { setLocale } from '../i18n'
import { fail, fakeApi, ok } from '../testing/fakeApi'
import UsageCard from './UsageCard.vue'

beforeEach(() => setLocale('en'))

describe('UsageCard', () => {
  it('asks for the last 7 days by agent and shows tokens and cost per agent with the total', async () => {
    const asked: Record<string, unknown>[] = []
    fakeApi({
      'GET /usage': ({ params }) => (asked.push(params), ok({
        group_by: 'agent', from: params.from, to: params.to,
        rows: [
          { key: 'a1', label: 'Shop helper', turns: 12, tokens_in: 5400, tokens_out: 900, cost_usd: 0.0123 },
          { key: 'a2', label: 'Support', turns: 3, tokens_in: 800, tokens_out: 120, cost_usd: 0.002 },
        ],
        total: { turns: 15, tokens_in: 6200, tokens_out: 1020, cost_usd: 0.0143 },
      })),
    })
    const wrapper = mount(UsageCard)
    await flushPromises()
    expect(asked[0]!.group_by).toBe('agent')
    const span = new Date(String(asked[0]!.to)).getTime() - new Date(String(asked[0]!.from)).getTime()
    expect(Math.round(span / 86_400_000)).toBe(7)
    const rows = wrapper.findAll('tbody tr').map((r) => r.text())
    expect(rows[0]).toContain('Shop helper')
    expect(rows[0]).toContain('5,400')
    expect(rows[0]).toContain('$0.0123')
    expect(wrapper.find('tfoot').text()).toContain('$0.0143')
  })

  it('says usage is not on this server when the route answers 404 (no numbers made up)', async () => {
    fakeApi({ 'GET /usage': () => fail(404, 'Not Found') })
    const wrapper = mount(UsageCard)
    await flushPromises()
    expect(wrapper.text()).toContain('not available on this server yet')
    expect(wrapper.find('table').exists()).toBe(false)
  })
})
