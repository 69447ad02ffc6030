import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import { setLocale } from '../i18n'
import { routes } from '../router'
import { fail, fakeApi, ok, tokens, userOf } from '../testing/fakeApi'
import LoginView from './LoginView.vue'

async function mountLogin() {
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push('/login?next=/inbox')
  const wrapper = mount(LoginView, { global: { plugins: [router] } })
  await wrapper.find('#username').setValue('admin')
  await wrapper.find('#password').setValue('the-password')
  await wrapper.find('form').trigger('submit')
  await flushPromises()
  return { wrapper, router }
}

beforeEach(() => {
  setActivePinia(createPinia())
  setLocale('en')
})

describe('LoginView', () => {
  it('shows the throttle with the seconds the API asks to wait', async () => {
    fakeApi({ 'POST /auth/login': () => fail(429, 'too many login attempts; try again later', { 'retry-after': '37' }) })
    const { wrapper } = await mountLogin()
    expect(wrapper.find('[role=alert]').text()).toContain('Try again in 37 s.')
    expect(wrapper.find('[role=alert]').text()).toContain('too many login attempts')
  })

  it('says a failed login the one way the API does', async () => {
    fakeApi({ 'POST /auth/login': () => fail(401, 'invalid username or password') })
    const { wrapper } = await mountLogin()
    expect(wrapper.find('[role=alert]').text()).toContain('Wrong username or password')
  })

  it('says when the server cannot be reached', async () => {
    fakeApi({ 'POST /auth/login': () => fail(503, 'a service we depend on is unavailable; try again shortly') })
    const { wrapper } = await mountLogin()
    expect(wrapper.find('[role=alert]').text()).toContain('a service we depend on is unavailable')
  })

  it('goes where the user was heading once signed in', async () => {
    fakeApi({ 'POST /auth/login': () => tokens(), 'GET /auth/me': () => ok(userOf('viewer')) })
    const { router } = await mountLogin()
    // the inbox page is loaded on demand: its first import compiles it, slow on a busy machine
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/inbox'), { timeout: 15_000 })
  })
})
