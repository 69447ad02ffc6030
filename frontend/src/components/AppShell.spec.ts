// The frame's offline banner: shown when the live stream has been down a moment, gone when back.
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import { setLocale } from '../i18n'
import { routes } from '../router'
import { useAuth } from '../stores/auth'
import { useLive } from '../stores/live'
import { userOf } from '../testing/fakeApi'
import AppShell from './AppShell.vue'

beforeEach(() => {
  setActivePinia(createPinia())
  setLocale('en')
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
})
afterEach(() => vi.useRealTimers())

describe('AppShell', () => {
  it('says the page is offline after the stream has been down 2 s, and not after a quick reconnect', async () => {
    useAuth().user = userOf('operator')
    const live = useLive()
    live.started = true // as after sign-in; the stream itself is the sse spec's business
    const router = createRouter({ history: createMemoryHistory(), routes })
    const wrapper = mount(AppShell, { global: { plugins: [router] } })
    await flushPromises()
    const banner = () => wrapper.find('.banner-offline')
    await vi.advanceTimersByTimeAsync(1000)
    live.connected = true // a reconnect that succeeds at once is no news
    await vi.advanceTimersByTimeAsync(3000)
    expect(banner().exists()).toBe(false)
    live.connected = false
    await vi.advanceTimersByTimeAsync(2100)
    expect(banner().text()).toBe('Offline: live updates paused, reconnecting…')
    expect(banner().attributes('role')).toBe('status')
    live.connected = true
    await flushPromises()
    expect(banner().exists()).toBe(false)
    expect(wrapper.findAll('nav a').map((a) => a.text())).not.toContain('Users') // an operator
  })
})
