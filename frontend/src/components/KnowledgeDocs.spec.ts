import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Agent, KnowledgeDocument } from '../api/types'
import { setLocale } from '../i18n'
import { fail, fakeApi, ok, type Reply, signedInAs } from '../testing/fakeApi'
import KnowledgeDocs from './KnowledgeDocs.vue'

const AGENT = { id: 'a1', name: 'Shop' } as Agent
const URL = '/agents/a1/documents'

function doc(id: string, status: KnowledgeDocument['status'], extra: Partial<KnowledgeDocument> = {}): KnowledgeDocument {
  return {
    id, agent_id: 'a1', title: `Doc ${id}`, source: 'file', media_type: 'text/markdown', size_bytes: 2048, status,
    chunk_count: status === 'indexed' ? 3 : 0, error: null, filename: `${id}.md`, url: null,
    created_at: '2026-01-01T12:00:00Z', updated_at: '2026-01-01T12:00:00Z', indexed_at: null, ...extra,
  }
}
const page = (items: KnowledgeDocument[]) => ok({ items, total: items.length, limit: 200, offset: 0 })

async function choose(wrapper: ReturnType<typeof mount>, file: File) {
  const input = wrapper.find('#doc-file')
  Object.defineProperty(input.element, 'files', { value: [file], configurable: true })
  await input.trigger('change')
}

beforeEach(() => {
  setActivePinia(createPinia())
  setLocale('en')
})
afterEach(() => vi.useRealTimers())

describe('KnowledgeDocs', () => {
  it('lists the documents with their indexing status, and shows a viewer no control that writes', async () => {
    signedInAs('viewer')
    fakeApi({ [`GET ${URL}`]: () => page([doc('d1', 'indexed'), doc('d2', 'failed', { error: 'no text in this PDF' })]) })
    const wrapper = mount(KnowledgeDocs, { props: { agent: AGENT } })
    await flushPromises()
    expect(wrapper.text()).toContain('Doc d1')
    expect(wrapper.text()).toContain('indexed')
    expect(wrapper.text()).toContain('3 passages')
    expect(wrapper.text()).toContain('no text in this PDF')
    expect(wrapper.find('form').exists()).toBe(false)
    expect(wrapper.findAll('button')).toHaveLength(0)
  })

  it('shows the API error with a retry, and the empty state', async () => {
    signedInAs('operator')
    let answer: Reply = fail(404, 'agent a1 not found')
    fakeApi({ [`GET ${URL}`]: () => answer })
    const wrapper = mount(KnowledgeDocs, { props: { agent: AGENT } })
    await flushPromises()
    expect(wrapper.find('[role=alert]').text()).toContain('agent a1 not found')
    answer = page([])
    await wrapper.find('.state-error button').trigger('click')
    await flushPromises()
    expect(wrapper.text()).toContain('No documents yet.')
  })

  it('uploads a file as multipart, shows its progress, then polls until it is indexed', async () => {
    vi.useFakeTimers()
    signedInAs('operator')
    let stored: KnowledgeDocument[] = []
    let sent: FormData | null = null
    let finish: (r: Reply) => void = () => {}
    let progress: ((e: { loaded: number; total: number; progress: number }) => void) | undefined
    const { calls } = fakeApi({
      [`GET ${URL}`]: () => page(stored),
      [`POST ${URL}`]: ({ body, uploadProgress }) => {
        sent = body as FormData
        progress = uploadProgress
        return new Promise((resolve) => (finish = resolve))
      },
    })
    const wrapper = mount(KnowledgeDocs, { props: { agent: AGENT, pollMs: 1000 } })
    await flushPromises()
    await choose(wrapper, new File(['# Returns\nThirty days.'], 'returns.md', { type: 'text/markdown' }))
    await wrapper.find('#doc-title').setValue('Returns policy')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(sent!.get('title')).toBe('Returns policy')
    expect((sent!.get('file') as File).name).toBe('returns.md')
    progress!({ loaded: 50, total: 100, progress: 0.5 })
    await flushPromises()
    expect(wrapper.find('progress').attributes('value')).toBe('50')
    expect(wrapper.text()).toContain('50% sent')
    stored = [doc('d9', 'pending', { title: 'Returns policy' })]
    finish({ status: 201, body: stored[0] })
    await flushPromises()
    expect(wrapper.find('progress').exists()).toBe(false)
    expect(wrapper.text()).toContain('indexing…')
    stored = [doc('d9', 'indexed', { title: 'Returns policy' })]
    const before = calls.length
    await vi.advanceTimersByTimeAsync(1000)
    await flushPromises()
    expect(calls.length).toBeGreaterThan(before)
    expect(wrapper.find('.badge-doc-indexed').exists()).toBe(true)
    const after = calls.length
    await vi.advanceTimersByTimeAsync(5000)
    expect(calls.length).toBe(after) // nothing pending: no more polling
  })

  it('puts the API refusal of an upload next to the form', async () => {
    signedInAs('operator')
    fakeApi({
      [`GET ${URL}`]: () => page([]),
      [`POST ${URL}`]: () => fail(415, 'cannot read application/zip: send text, Markdown, HTML or PDF'),
    })
    const wrapper = mount(KnowledgeDocs, { props: { agent: AGENT } })
    await flushPromises()
    await choose(wrapper, new File(['PK'], 'a.zip'))
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('.upload [role=alert]').text()).toContain('cannot read application/zip')
  })

  it('refuses a file over 10 MB before sending it', async () => {
    signedInAs('operator')
    const { calls } = fakeApi({ [`GET ${URL}`]: () => page([]) })
    const wrapper = mount(KnowledgeDocs, { props: { agent: AGENT } })
    await flushPromises()
    const big = new File(['x'], 'big.pdf')
    Object.defineProperty(big, 'size', { value: 11 * 1024 * 1024 })
    await choose(wrapper, big)
    expect(wrapper.text()).toContain('larger than 10 MB')
    expect(wrapper.find('button[type=submit]').attributes('disabled')).toBeDefined()
    expect(calls.filter((c) => c.startsWith('POST'))).toHaveLength(0)
  })

  it('deletes a document only after confirming', async () => {
    signedInAs('operator')
    const { calls } = fakeApi({
      [`GET ${URL}`]: () => page([doc('d1', 'indexed')]),
      [`DELETE ${URL}/d1`]: () => ({ status: 204 }),
    })
    const wrapper = mount(KnowledgeDocs, { props: { agent: AGENT }, attachTo: document.body })
    await flushPromises()
    await wrapper.find('button[aria-label="Delete Doc d1"]').trigger('click')
    expect(calls).not.toContain(`DELETE ${URL}/d1`)
    const confirm = wrapper.findAll('.dialog button').find((b) => b.text() === 'Delete')!
    await confirm.trigger('click')
    await flushPromises()
    expect(calls).toContain(`DELETE ${URL}/d1`)
    expect(wrapper.text()).not.toContain('Doc d1')
    wrapper.unmount()
  })
})

describe('KnowledgeDocs by text or URL', () => {
  it('adds pasted text as JSON {title, content}, lists it as indexing, then polls until indexed', async () => {
    vi.useFakeTimers()
    signedInAs('operator')
    let stored: KnowledgeDocument[] = []
    const bodies: unknown[] = []
    fakeApi({
      [`GET ${URL}`]: () => page(stored),
      [`POST ${URL}`]: ({ body }) => {
        bodies.push(body)
        stored = [doc('d5', 'pending', { title: 'Opening hours', source: 'text', filename: null })]
        return { status: 201, body: stored[0] }
      },
    })
    const wrapper = mount(KnowledgeDocs, { props: { agent: AGENT, pollMs: 1000 } })
    await flushPromises()
    await wrapper.find('.source-pick input[value=text]').setValue(true)
    expect(wrapper.find('#doc-file').exists()).toBe(false)
    await wrapper.find('#doc-text-title').setValue('Opening hours')
    await wrapper.find('#doc-text-content').setValue('# Hours\nMonday to Friday 9 to 19.')
    await wrapper.find('form.add-text').trigger('submit')
    await flushPromises()
    expect(bodies).toEqual([{ title: 'Opening hours', content: '# Hours\nMonday to Friday 9 to 19.' }])
    expect(wrapper.find('.badge-doc-pending').exists()).toBe(true)
    expect((wrapper.find('#doc-text-title').element as HTMLInputElement).value).toBe('')
    stored = [doc('d5', 'indexed', { title: 'Opening hours', source: 'text', filename: null })]
    await vi.advanceTimersByTimeAsync(1000)
    await flushPromises()
    expect(wrapper.find('.badge-doc-indexed').exists()).toBe(true)
  })

  it('adds a web page as JSON {url} (the title only when given) and shows the API refusal by the form', async () => {
    signedInAs('operator')
    const bodies: unknown[] = []
    let answer: Reply = fail(422, 'https://10.0.0.1/faq: refused: not a public address')
    let stored: KnowledgeDocument[] = []
    fakeApi({
      [`GET ${URL}`]: () => page(stored),
      [`POST ${URL}`]: ({ body }) => {
        bodies.push(body)
        if (answer.status === 201) stored = [answer.body as KnowledgeDocument]
        return answer
      },
    })
    const wrapper = mount(KnowledgeDocs, { props: { agent: AGENT } })
    await flushPromises()
    await wrapper.find('.source-pick input[value=url]').setValue(true)
    await wrapper.find('#doc-url').setValue('https://10.0.0.1/faq')
    await wrapper.find('form.add-url').trigger('submit')
    await flushPromises()
    expect(wrapper.find('form.add-url [role=alert]').text()).toContain('not a public address')
    answer = { status: 201, body: doc('d6', 'pending', { title: 'FAQ', source: 'url', url: 'https://example.com/faq', filename: null }) }
    await wrapper.find('#doc-url').setValue('https://example.com/faq')
    await wrapper.find('#doc-url-title').setValue('FAQ')
    await wrapper.find('form.add-url').trigger('submit')
    await flushPromises()
    expect(bodies).toEqual([{ url: 'https://10.0.0.1/faq' }, { url: 'https://example.com/faq', title: 'FAQ' }])
    expect(wrapper.text()).toContain('https://example.com/faq')
    expect(wrapper.find('form.add-url [role=alert]').exists()).toBe(false)
  })
})
