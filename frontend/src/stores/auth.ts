// Who is signed in, their tokens, and the silent refresh (before expiry, and on any 401).
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { useAuthHooks } from '../api/client'
import { auth as api } from '../api/endpoints'
import { problemOf } from '../api/errors'
import type { Role, Tokens, User } from '../api/types'

const REFRESH_KEY = 'wa.refresh' // per tab: a refresh token is single-use, tabs must not share it
const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 }
const EARLY_MS = 60_000 // refresh a minute before the access token expires

export const useAuth = defineStore('auth', () => {
  const user = ref<User | null>(null)
  const access = ref<string | null>(null)
  const expiredNotice = ref(false)
  let timer: ReturnType<typeof setTimeout> | undefined
  let onExpired: () => void = () => {}

  const signedIn = computed(() => user.value !== null && access.value !== null)
  const can = (role: Role) => (user.value ? RANK[user.value.role] >= RANK[role] : false)
  const canWrite = computed(() => can('operator'))
  const isAdmin = computed(() => can('admin'))

  function keep(tokens: Tokens): void {
    access.value = tokens.access_token
    sessionStorage.setItem(REFRESH_KEY, tokens.refresh_token)
    clearTimeout(timer)
    const delay = Math.max(5_000, tokens.expires_in * 1000 - EARLY_MS)
    timer = setTimeout(() => void refresh(), delay)
  }

  function forget(): void {
    clearTimeout(timer)
    user.value = null
    access.value = null
    sessionStorage.removeItem(REFRESH_KEY)
  }

  async function login(username: string, password: string): Promise<void> {
    const tokens = await api.login(username, password)
    const me = await api.me(tokens.access_token)
    keep(tokens)
    user.value = me
    expiredNotice.value = false
  }

  async function refresh(): Promise<boolean> {
    const token = sessionStorage.getItem(REFRESH_KEY)
    if (!token) return false
    try {
      keep(await api.refresh(token))
      return true
    } catch (error) {
      if (problemOf(error).status !== 0) forget() // refused; unreachable keeps the token
      return false
    }
  }

  /** On page load: a refresh token kept by this tab signs the user back in silently. */
  async function restore(): Promise<void> {
    if (signedIn.value || !(await refresh())) return
    try {
      user.value = await api.me()
    } catch {
      forget()
    }
  }

  async function logout(): Promise<void> {
    const token = sessionStorage.getItem(REFRESH_KEY)
    forget()
    if (token) await api.logout(token).catch(() => undefined) // the login is over either way
  }

  function expire(): void {
    forget()
    expiredNotice.value = true
    onExpired()
  }

  useAuthHooks({ token: () => access.value, refresh, expired: expire })

  return {
    user, access, signedIn, canWrite, isAdmin, expiredNotice, can, login, logout, refresh, restore,
    onExpire: (handler: () => void) => (onExpired = handler),
  }
})
