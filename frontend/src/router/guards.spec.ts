import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import { useAuth } from '../stores/auth'
import { useLive } from '../stores/live'
import { fakeApi, ok, tokens, userOf } from '../testing/fakeApi'
import { installGuards, routes } from './index'

function router() {
  const r = createRouter({ history: createMemoryHistory(), routes })
  installGuards(r)
  return r
}

beforeEach(() => {
  setActivePinia(createPinia())
  sessionStorage.clear()
  useLive().start = () => {} // no stream in these specs
})

async function signIn(role: 'viewer' | 'admin') {
  fakeApi({ 'POST /auth/login': () => tokens(), 'GET /auth/me': () => ok(userOf(role)) })
  await useAuth().login(role, 'a-long-passphrase')
}

describe('route guards', () => {
  it('send a stranger to the login page, remembering where they were going', async () => {
    fakeApi({})
    const r = router()
    await r.push('/inbox/shop/1@s.whatsapp.net')
    expect(r.currentRoute.value.name).toBe('login')
    expect(r.currentRoute.value.query.next).toBe('/inbox/shop/1@s.whatsapp.net')
  })

  it('keep Users for admins', async () => {
    await signIn('viewer')
    const r = router()
    await r.push('/users')
    expect(r.currentRoute.value.path).toBe('/')
    await r.push('/agents')
    expect(r.currentRoute.value.name).toBe('agents')
  })

  it('let an admin in, and send a signed-in user away from the login page', async () => {
    await signIn('admin')
    const r = router()
    await r.push('/users')
    expect(r.currentRoute.value.name).toBe('users')
    await r.push('/login')
    expect(r.currentRoute.value.path).toBe('/')
  })
})
