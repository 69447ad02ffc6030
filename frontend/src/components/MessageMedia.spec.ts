import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { MediaInfo } from '../api/types'
import { setLocale } from '../i18n'
import { fail, fakeApi } from '../testing/fakeApi'
import MessageMedia from './MessageMedia.vue'

const IMAGE: MediaInfo = { kind: 'image', mime_type: 'image/jpeg', size: 2048, filename: null, caption: 'the box', transcript: null, status: 'stored' }

beforeEach(() => {
  setLocale('en')
  // jsdom has no object URLs: these two are the browser's, not ours
  URL.createObjectURL = vi.fn(() => 'blob:preview-1')
  URL.revokeObjectURL = vi.fn()
})
afterEach(() => vi.restoreAllMocks())

describe('MessageMedia', () => {
  it('fetches an image with the token and shows it from a blob: URL, revoked when it goes', async () => {
    const seen: (string | undefined)[] = []
    fakeApi({ 'GET /messages/m1/media': ({ auth }) => (seen.push(auth), { status: 200, body: new Blob(['jpeg']) }) })
    const wrapper = mount(MessageMedia, { props: { messageId: 'm1', media: IMAGE } })
    await flushPromises()
    expect(wrapper.find('img').attributes('src')).toBe('blob:preview-1')
    expect(wrapper.find('img').attributes('alt')).toBe('the box')
    wrapper.unmount()
    expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:preview-1')
  })

  it('loads audio only when asked, and shows its transcript', async () => {
    const { calls } = fakeApi({ 'GET /messages/m2/media': () => ({ status: 200, body: new Blob(['ogg']) }) })
    const audio: MediaInfo = { ...IMAGE, kind: 'audio', mime_type: 'audio/ogg', caption: null, transcript: 'call me tomorrow' }
    const wrapper = mount(MessageMedia, { props: { messageId: 'm2', media: audio } })
    await flushPromises()
    expect(calls).toEqual([])
    expect(wrapper.text()).toContain('call me tomorrow')
    await wrapper.find('button').trigger('click')
    await flushPromises()
    expect(wrapper.find('audio').attributes('src')).toBe('blob:preview-1')
  })

  it('keeps the placeholder and says so when the media route is not on this server', async () => {
    fakeApi({ 'GET /messages/m1/media': () => fail(404, 'Not Found') })
    const wrapper = mount(MessageMedia, { props: { messageId: 'm1', media: IMAGE } })
    await flushPromises()
    expect(wrapper.find('img').exists()).toBe(false)
    expect(wrapper.find('[role=alert]').text()).toContain('not available on this server yet')
  })

  it('does not fetch a file that failed to download', async () => {
    const { calls } = fakeApi({})
    const wrapper = mount(MessageMedia, { props: { messageId: 'm3', media: { ...IMAGE, status: 'failed' } } })
    await flushPromises()
    expect(calls).toEqual([])
    expect(wrapper.text()).toContain('could not be downloaded')
  })
})
