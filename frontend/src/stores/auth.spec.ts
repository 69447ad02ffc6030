import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { http } from '../api/client'
import { fail, fakeApi, ok, tokens, userOf } from '../testing/fakeApi'
import { useAuth } from './auth'

beforeEach(() => {
  setActivePinia(createPinia())
  sessionStorage.clear()
})

describe('auth store', () => {
  it('signs in, keeps the refresh token in this tab, and knows the role', async () => {
    fakeApi({ 'POST /auth/login': () => tokens(1), 'GET /auth/me': () => ok(userOf('operator')) })
    const auth = useAuth()
    await auth.login('operator', 'a-long-passphrase')
    expect(auth.signedIn).toBe(true)
    expect(auth.access).toBe('access-1')
    expect(sessionStorage.getItem('wa.refresh')).toBe('refresh-1')
    expect(auth.canWrite).toBe(true)
    expect(auth.isAdmin).toBe(false)
  })

  it('refreshes silently on a 401 and repeats the call with the new token', async () => {
    let refreshed = 0
    const seen: (string | undefined)[] = []
    fakeApi({
      'POST /auth/login': () => tokens(1),
      'GET /auth/me': () => ok(userOf('viewer')),
      'POST /auth/refresh': ({ body }) => {
        refreshed += 1
        expect(body).toEqual({ refresh_token: 'refresh-1' })
        return tokens(2)
      },
      'GET /agents': ({ auth }) => {
        seen.push(auth)
        return auth === 'Bearer access-2' ? ok({ items: [], total: 0, limit: 50, offset: 0 }) : fail(401, 'invalid or expired token')
      },
    })
    const auth = useAuth()
    await auth.login('viewer', 'a-long-passphrase')
    const [a, b] = await Promise.all([http.get('/agents'), http.get('/agents')])
    expect(a.status).toBe(200)
    expect(b.status).toBe(200)
    expect(refreshed).toBe(1) // one refresh for both callers
    expect(seen.filter((s) => s === 'Bearer access-1')).toHaveLength(2)
    expect(sessionStorage.getItem('wa.refresh')).toBe('refresh-2')
  })

  it('ends the login when the refresh is refused, and says so', async () => {
    fakeApi({
      'POST /auth/login': () => tokens(1),
      'GET /auth/me': () => ok(userOf('viewer')),
      'POST /auth/refresh': () => fail(401, 'refresh token reused: all sessions revoked'),
      'GET /stats': () => fail(401, 'invalid or expired token'),
    })
    const auth = useAuth()
    let expired = false
    auth.onExpire(() => (expired = true))
    await auth.login('viewer', 'a-long-passphrase')
    await expect(http.get('/stats')).rejects.toThrow()
    expect(expired).toBe(true)
    expect(auth.signedIn).toBe(false)
    expect(auth.expiredNotice).toBe(true)
    expect(sessionStorage.getItem('wa.refresh')).toBeNull()
  })

  it('signs back in on reload from the refresh token, and logs out for real', async () => {
    sessionStorage.setItem('wa.refresh', 'refresh-0')
    const api = fakeApi({
      'POST /auth/refresh': () => tokens(3),
      'GET /auth/me': () => ok(userOf('admin')),
      'POST /auth/logout': ({ body }) => (expect(body).toEqual({ refresh_token: 'refresh-3' }), { status: 204 }),
    })
    const auth = useAuth()
    await auth.restore()
    expect(auth.user?.username).toBe('admin')
    await auth.logout()
    expect(auth.signedIn).toBe(false)
    expect(api.calls).toContain('POST /auth/logout')
  })
})
