// Logs and audit: the filters become the API's query (times as ISO instants), pages move on.
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { setLocale } from '../i18n'
import { fakeApi, ok } from '../testing/fakeApi'
import AuditView from './AuditView.vue'
import LogsView from './LogsView.vue'

const entry = (i: number) => ({
  id: `l${i}`, level: 'error', source: 'llm', message: `the model is down (${i})`, details: {},
  session_id: 'shop', timestamp: '2026-01-01T12:00:00Z',
})

beforeEach(() => {
  setActivePinia(createPinia())
  setLocale('en')
})

describe('LogsView and AuditView', () => {
  it('filters the log by level, source, number and time, and pages through it', async () => {
    const asked: Record<string, unknown>[] = []
    fakeApi({
      'GET /logs': ({ params }) => {
        asked.push(params)
        const offset = Number(params.offset ?? 0)
        return ok({ items: [entry(offset)], total: 120, limit: 50, offset })
      },
    })
    const wrapper = mount(LogsView)
    await flushPromises()
    expect(asked[0]).toEqual({ limit: 50, offset: 0 }) // nothing filtered yet
    await wrapper.find('#l-level').setValue('error')
    await wrapper.find('#l-source').setValue('llm')
    await wrapper.find('#l-number').setValue('shop')
    await wrapper.find('#l-since').setValue('2026-01-01T09:00')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(asked[1]).toMatchObject({ level: 'error', source: 'llm', session_id: 'shop', limit: 50, offset: 0 })
    expect(asked[1]!.since).toBe(new Date('2026-01-01T09:00').toISOString())
    expect(asked[1]!.until).toBeUndefined()
    expect(wrapper.text()).toContain('the model is down (0)')
    await wrapper.findAll('.pager button').find((b) => b.text() === 'Next')!.trigger('click')
    await flushPromises()
    expect(asked[2]).toMatchObject({ level: 'error', offset: 50 })
    expect(wrapper.find('.pager').text()).toContain('51–100 of 120')
  })

  it('filters the audit trail by actor, action and time', async () => {
    const asked: Record<string, unknown>[] = []
    fakeApi({
      'GET /audit': ({ params }) => {
        asked.push(params)
        return ok({ items: [], total: 0, limit: 50, offset: 0 })
      },
    })
    const wrapper = mount(AuditView)
    await flushPromises()
    await wrapper.find('#a-actor').setValue('admin')
    await wrapper.find('#a-action').setValue('session.delete')
    await wrapper.find('#a-until').setValue('2026-01-02T00:00')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(asked[1]).toMatchObject({ actor: 'admin', action: 'session.delete', until: new Date('2026-01-02T00:00').toISOString() })
    expect(wrapper.text()).toContain('No audit entries match.')
  })
})
