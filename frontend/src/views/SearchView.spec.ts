import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { SearchHit } from '../api/types'
import { setLocale } from '../i18n'
import { fail, fakeApi, ok, type Reply } from '../testing/fakeApi'
import SearchView from './SearchView.vue'

const JID = '15551230000@s.whatsapp.net'
const hit = (id: string, score: number): SearchHit => ({
  kind: 'message', score, content: `about refunds ${id}`, session_id: 'shop', contact_jid: JID, direction: 'inbound',
  message_id: id, timestamp: '2026-01-01T12:00:00Z', document_id: null, chunk_id: null, title: null,
})

async function mountSearch(at = '/search') {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/search', component: SearchView }, { path: '/inbox/:session?/:jid?', component: { template: '<p>inbox</p>' } }],
  })
  await router.push(at)
  const wrapper = mount({ template: '<RouterView />' }, { global: { plugins: [router] } })
  await flushPromises()
  return { wrapper, router }
}

beforeEach(() => {
  setActivePinia(createPinia())
  setLocale('en')
})

describe('SearchView', () => {
  it('searches with the words and filters, keeps them in the address, and links each hit to its message', async () => {
    const asked: Record<string, unknown>[] = []
    fakeApi({
      'GET /sessions': () => ok({ items: [], total: 0, limit: 500, offset: 0 }),
      'GET /search': ({ params }) => (asked.push(params), ok({ items: [hit('m7', 0.61), hit('m2', 0.4)], total: 2, limit: 50, offset: 0 })),
    })
    const { wrapper, router } = await mountSearch()
    expect(asked).toHaveLength(0) // nothing asked before there are words
    await wrapper.find('#s-q').setValue('money back')
    await wrapper.find('#s-direction').setValue('inbound')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(router.currentRoute.value.query).toMatchObject({ q: 'money back', direction: 'inbound' })
    expect(asked).toMatchObject([{ q: 'money back', direction: 'inbound', limit: 50 }])
    const links = wrapper.findAll('a.hit')
    expect(links).toHaveLength(2)
    expect(links[0]!.text()).toContain('+15551230000')
    expect(links[0]!.text()).toContain('match 0.61')
    expect(links[0]!.attributes('href')).toBe(`/inbox/shop/${encodeURIComponent(JID)}?message=m7`)
  })

  it('shows the API refusal (no vector index) and the empty state', async () => {
    let answer: Reply = fail(404, 'search not found: no vector index is configured')
    fakeApi({ 'GET /sessions': () => ok({ items: [], total: 0, limit: 500, offset: 0 }), 'GET /search': () => answer })
    const { wrapper } = await mountSearch('/search?q=hello')
    expect(wrapper.find('[role=alert]').text()).toContain('no vector index is configured')
    answer = ok({ items: [], total: 0, limit: 50, offset: 0 })
    await wrapper.find('.state-error button').trigger('click')
    await flushPromises()
    expect(wrapper.text()).toContain('Nothing close to that was said.')
  })
})
