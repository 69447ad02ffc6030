// A fake backend for specs, plugged into axios through its adapter seam: each route answers
// with a status and a JSON body, the way the real API would.
import { AxiosError, AxiosHeaders, type AxiosAdapter, type InternalAxiosRequestConfig } from 'axios'
import { useAdapter } from '../api/client'
import { useAuth } from '../stores/auth'

export interface Reply {
  status: number
  body?: unknown
  headers?: Record<string, string>
}
type Handler = (request: {
  body: unknown
  params: Record<string, unknown>
  auth?: string
  /** what axios hands the transport for upload progress (the spec plays the network) */
  uploadProgress?: (event: { loaded: number; total: number; progress: number }) => void
}) => Reply | Promise<Reply>

export function fakeApi(routes: Record<string, Handler>) {
  const calls: string[] = []
  const adapter: AxiosAdapter = async (config: InternalAxiosRequestConfig) => {
    const path = `${(config.method ?? 'get').toUpperCase()} ${config.url}`
    calls.push(path)
    const handler = routes[path]
    const reply = handler
      ? await handler({
          body: typeof config.data === 'string' ? JSON.parse(config.data) : config.data,
          params: (config.params ?? {}) as Record<string, unknown>,
          auth: String(config.headers?.Authorization ?? '') || undefined,
          uploadProgress: config.onUploadProgress as never,
        })
      : { status: 404, body: { status_code: 404, detail: `no fake for ${path}` } }
    const response = {
      data: reply.body, status: reply.status, statusText: String(reply.status), config,
      headers: new AxiosHeaders(reply.headers ?? {}), request: {},
    }
    if (reply.status >= 400) {
      throw new AxiosError(`status ${reply.status}`, String(reply.status), config, {}, response)
    }
    return response
  }
  useAdapter(adapter)
  return { calls }
}

export const ok = (body: unknown): Reply => ({ status: 200, body })
export const fail = (status: number, detail: string, headers?: Record<string, string>): Reply =>
  ({ status, body: { status_code: status, detail }, headers })

export const tokens = (n = 1) =>
  ok({ access_token: `access-${n}`, refresh_token: `refresh-${n}`, token_type: 'bearer', expires_in: 900 })

export const userOf = (role: 'viewer' | 'operator' | 'admin') => ({
  id: `u-${role}`, username: role, email: `${role}@example.com`, role, is_active: true,
  locked_until: null, created_at: '2026-01-01T12:00:00Z',
})

// The signed-in user of a spec that mounts a component without going through the login.
export function signedInAs(role: 'viewer' | 'operator' | 'admin'): void {
  const auth = useAuth()
  auth.user = userOf(role)
  auth.access = 'token'
}

// What the client throws for an API refusal: the error a form's save() sees.
export function refusal(status: number, detail: string): AxiosError {
  const config = { headers: new AxiosHeaders() }
  return new AxiosError('refused', String(status), config, {}, {
    status, statusText: '', data: { status_code: status, detail }, headers: {}, config,
  })
}
