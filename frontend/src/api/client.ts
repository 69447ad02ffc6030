// The one configured HTTP client. The auth store plugs in the access token and the refresh step;
// a 401 on any call refreshes once (one refresh for many callers) and repeats the call.
import axios, { type AxiosAdapter, type AxiosError, type InternalAxiosRequestConfig } from 'axios'

export interface AuthHooks {
  token: () => string | null
  refresh: () => Promise<boolean> // true: a new access token is in place
  expired: () => void // the login is over: back to the login page
}

let hooks: AuthHooks = { token: () => null, refresh: async () => false, expired: () => {} }
let refreshing: Promise<boolean> | null = null

export const http = axios.create({ baseURL: '/api/v1', timeout: 20_000 })

export function useAuthHooks(next: AuthHooks): void {
  hooks = next
}

/** Tests hand the client a fake backend through axios' own adapter seam. */
export function useAdapter(adapter: AxiosAdapter | undefined): void {
  http.defaults.adapter = adapter ?? axios.getAdapter(['xhr', 'http', 'fetch'])
}

export function refreshOnce(): Promise<boolean> {
  refreshing ??= hooks.refresh().finally(() => (refreshing = null))
  return refreshing
}

http.interceptors.request.use((config) => {
  const token = hooks.token()
  if (token && !config.headers.Authorization) config.headers.Authorization = `Bearer ${token}`
  return config
})

type Retried = InternalAxiosRequestConfig & { _retried?: boolean }

http.interceptors.response.use(undefined, async (error: AxiosError) => {
  const config = error.config as Retried | undefined
  const isAuthCall = config?.url?.startsWith('/auth/')
  if (error.response?.status !== 401 || !config || config._retried || isAuthCall) throw error
  config._retried = true
  if (!(await refreshOnce())) {
    hooks.expired()
    throw error
  }
  delete config.headers.Authorization
  return http(config)
})
