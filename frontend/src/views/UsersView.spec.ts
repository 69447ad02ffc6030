// The users page against a fake API: create (a refusal by its field), role, disable, unlock,
// and the reset-password dialog with its keyboard.
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import type { User } from '../api/types'
import { setLocale } from '../i18n'
import { useAuth } from '../stores/auth'
import { fail, fakeApi, ok, userOf } from '../testing/fakeApi'
import UsersView from './UsersView.vue'

const ANA: User = {
  id: 'u-ana', username: 'ana', email: 'ana@example.com', role: 'viewer', is_active: true,
  locked_until: '2026-01-01T12:15:00Z', created_at: '2026-01-01T12:00:00Z',
}

async function mountUsers(routes: Parameters<typeof fakeApi>[0]) {
  const auth = useAuth()
  auth.user = userOf('admin')
  auth.access = 'token'
  let people: User[] = [userOf('admin'), ANA]
  const sent: { path: string; body: unknown }[] = []
  const record = (path: string, change: (u: User, body: Record<string, unknown>) => User) =>
    ({ body }: { body: unknown }) => {
      sent.push({ path, body })
      people = people.map((u) => (u.id === 'u-ana' ? change(u, (body ?? {}) as Record<string, unknown>) : u))
      return ok(people[1])
    }
  const api = fakeApi({
    'GET /users': () => ok({ items: people, total: people.length, limit: 50, offset: 0 }),
    'PATCH /users/u-ana': record('PATCH', (u, body) => ({ ...u, ...body })),
    'POST /users/u-ana/unlock': record('unlock', (u) => ({ ...u, locked_until: null })),
    'POST /users/u-ana/reset-password': record('reset', (u) => u),
    ...routes,
  })
  const wrapper = mount(UsersView, { attachTo: document.body })
  await flushPromises()
  return { wrapper, api, sent }
}

const row = (wrapper: ReturnType<typeof mount>, name: string) => wrapper.findAll('tbody tr').find((r) => r.text().includes(name))!
const button = (scope: ReturnType<ReturnType<typeof mount>['find']>, label: string) => scope.findAll('button').find((b) => b.text() === label)!

beforeEach(() => {
  setActivePinia(createPinia())
  setLocale('en')
  document.body.innerHTML = ''
})

describe('UsersView', () => {
  it('creates a user, and shows a refusal by the field it names', async () => {
    const created: unknown[] = []
    const { wrapper } = await mountUsers({
      'POST /users': ({ body }) => {
        created.push(body)
        return (body as { password: string }).password.length < 12
          ? fail(422, 'password: must be at least 12 characters')
          : ok({ ...ANA, id: 'u-bia', username: 'bia' })
      },
    })
    await wrapper.find('#u-username').setValue('bia')
    await wrapper.find('#u-email').setValue('bia@example.com')
    await wrapper.find('#u-password').setValue('short')
    await wrapper.find('#u-role').setValue('operator')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('#u-password').element.closest('.field')!.textContent).toContain('at least 12 characters')
    await wrapper.find('#u-password').setValue('a-long-enough-password')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(created[1]).toEqual({ username: 'bia', email: 'bia@example.com', password: 'a-long-enough-password', role: 'operator' })
    expect((wrapper.find('#u-username').element as HTMLInputElement).value).toBe('') // cleared
    expect(wrapper.find('[role=alert]').exists()).toBe(false)
  })

  it('changes a role, disables and unlocks; nobody changes their own role or disables themselves', async () => {
    const { wrapper, sent } = await mountUsers({})
    const me = row(wrapper, 'admin@example.com')
    expect(me.find('select').attributes('disabled')).toBeDefined()
    expect(button(me, 'Disable')).toBeUndefined()
    const ana = () => row(wrapper, 'ana@example.com')
    expect(ana().text()).toContain('Locked until')
    await ana().find('select').setValue('operator')
    await flushPromises()
    await button(ana(), 'Disable').trigger('click')
    await flushPromises()
    await button(ana(), 'Unlock').trigger('click')
    await flushPromises()
    expect(sent).toEqual([
      { path: 'PATCH', body: { role: 'operator' } },
      { path: 'PATCH', body: { is_active: false } },
      { path: 'unlock', body: undefined },
    ])
    expect(button(ana(), 'Enable')).toBeDefined()
    expect(ana().text()).not.toContain('Locked until')
  })

  it('resets a password in a dialog that takes focus, closes on Escape and shows a refusal', async () => {
    const { wrapper, sent } = await mountUsers({
      'POST /users/u-ana/reset-password': ({ body }) => {
        sent.push({ path: 'reset', body })
        return (body as { password: string }).password.length < 12 ? fail(422, 'password: too short') : ok(ANA)
      },
    })
    const opener = button(row(wrapper, 'ana@example.com'), 'Reset password')
    ;(opener.element as HTMLButtonElement).focus()
    await opener.trigger('click')
    await flushPromises()
    expect(document.activeElement?.id).toBe('reset-password')
    document.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
    await flushPromises()
    expect(wrapper.find('[role=dialog]').exists()).toBe(false)
    expect(document.activeElement).toBe(opener.element)
    await opener.trigger('click')
    await flushPromises()
    await wrapper.find('#reset-password').setValue('short')
    await wrapper.find('[role=dialog]').trigger('submit')
    await flushPromises()
    expect(wrapper.find('[role=dialog] [role=alert]').text()).toBe('password: too short')
    await wrapper.find('#reset-password').setValue('a-new-long-password')
    await wrapper.find('[role=dialog]').trigger('submit')
    await flushPromises()
    expect(sent.at(-1)).toEqual({ path: 'reset', body: { password: 'a-new-long-password' } })
    expect(wrapper.find('[role=dialog]').exists()).toBe(false)
  })

  it('an unreachable server is an error with a retry, not an empty list', async () => {
    let reply = fail(503, 'database unavailable')
    const { wrapper } = await mountUsers({ 'GET /users': () => reply })
    expect(wrapper.find('.state-error').text()).toContain('database unavailable')
    reply = ok({ items: [ANA], total: 1, limit: 50, offset: 0 })
    await wrapper.find('.state-error button').trigger('click')
    await flushPromises()
    expect(wrapper.text()).toContain('ana@example.com')
  })
})
