// Every call the dashboard makes, typed by the generated OpenAPI types.
import { http } from './client'
import type {
  Agent, AgentTool, AgentToolPage, HttpTool, HttpToolInput, McpServer, McpServerInput, Approval, ApprovalStatus, Usage, UsageGroup, AgentChanges, AgentInput, AuditEntry, Conversation, Job, KnowledgeDocument, LogEntry,
  Governor, GovernorPolicy, Message, Mode, Page, Pairing, SearchHit, Session, SessionChanges, Stats, Tokens, User, UserChanges, UserInput,
} from './types'

type Query = Record<string, string | number | undefined>
const page = <T>(url: string, params?: Query) =>
  http.get<Page<T>>(url, { params }).then((r) => r.data)
const data = <T>(p: Promise<{ data: T }>) => p.then((r) => r.data)
const jid = (value: string) => encodeURIComponent(value)

export const auth = {
  login: (username: string, password: string) =>
    data(http.post<Tokens>('/auth/login', { username, password })),
  refresh: (refresh_token: string) => data(http.post<Tokens>('/auth/refresh', { refresh_token })),
  logout: (refresh_token: string) => http.post('/auth/logout', { refresh_token }),
  me: (token?: string) =>
    data(http.get<User>('/auth/me', token ? { headers: { Authorization: `Bearer ${token}` } } : {})),
}

export const agents = {
  list: (params?: Query) => page<Agent>('/agents', params),
  create: (body: AgentInput) => data(http.post<Agent>('/agents', body)),
  update: (id: string, body: AgentChanges) => data(http.patch<Agent>(`/agents/${id}`, body)),
  remove: (id: string) => http.delete(`/agents/${id}`),
}

export const knowledge = {
  list: (agent: string) => page<KnowledgeDocument>(`/agents/${agent}/documents`, { limit: 200 }),
  /** A file as multipart; `progress` gets 0..1 as the bytes go out. */
  upload: (agent: string, file: File, title: string, progress?: (fraction: number) => void) => {
    const form = new FormData()
    form.append('file', file)
    if (title.trim()) form.append('title', title.trim())
    return data(http.post<KnowledgeDocument>(`/agents/${agent}/documents`, form, {
      timeout: 300_000,
      onUploadProgress: (e) => progress?.(e.total ? e.loaded / e.total : (e.progress ?? 0)),
    }))
  },
  addText: (agent: string, title: string, content: string) =>
    data(http.post<KnowledgeDocument>(`/agents/${agent}/documents`, { title, content })),
  addUrl: (agent: string, url: string, title: string) =>
    data(http.post<KnowledgeDocument>(`/agents/${agent}/documents`, title.trim() ? { url, title: title.trim() } : { url }, { timeout: 60_000 })),
  remove: (agent: string, id: string) => http.delete(`/agents/${agent}/documents/${id}`),
}

/** An agent's HTTP tools (PUT replaces a definition whole). */
export const httpTools = {
  list: (agent: string) => page<HttpTool>(`/agents/${agent}/http-tools`, { limit: 200 }),
  create: (agent: string, body: HttpToolInput) => data(http.post<HttpTool>(`/agents/${agent}/http-tools`, body)),
  replace: (agent: string, id: string, body: HttpToolInput) =>
    data(http.put<HttpTool>(`/agents/${agent}/http-tools/${id}`, body)),
  remove: (agent: string, id: string) => http.delete(`/agents/${agent}/http-tools/${id}`),
}

/** An agent's MCP servers. */
export const mcpServers = {
  list: (agent: string) => page<McpServer>(`/agents/${agent}/mcp-servers`, { limit: 200 }),
  create: (agent: string, body: McpServerInput) => data(http.post<McpServer>(`/agents/${agent}/mcp-servers`, body)),
  replace: (agent: string, id: string, body: McpServerInput) =>
    data(http.put<McpServer>(`/agents/${agent}/mcp-servers/${id}`, body)),
  remove: (agent: string, id: string) => http.delete(`/agents/${agent}/mcp-servers/${id}`),
}

/** Every tool the agent's model is offered (built-in, HTTP, MCP), and its approval flag. */
export const agentTools = {
  list: (agent: string) => data(http.get<AgentToolPage>(`/agents/${agent}/tools`, { params: { limit: 200 } })),
  setApproval: (agent: string, tool: string, requires_approval: boolean) =>
    data(http.put<AgentTool>(`/agents/${agent}/tools/${encodeURIComponent(tool)}/approval`, { requires_approval })),
}

export const search = {
  messages: (params: Query) => page<SearchHit>('/search', params),
}

export const sessions = {
  list: (params?: Query) => page<Session>('/sessions', params),
  get: (id: string) => data(http.get<Session>(`/sessions/${id}`)),
  create: (id: string, agent_id: string | null) =>
    data(http.post<Session>('/sessions', { id, agent_id })),
  update: (id: string, body: SessionChanges) => data(http.patch<Session>(`/sessions/${id}`, body)),
  remove: (id: string) => http.delete(`/sessions/${id}`),
  reconnect: (id: string) => data(http.post<Session>(`/sessions/${id}/reconnect`)),
  logout: (id: string) => data(http.post<Session>(`/sessions/${id}/logout`)),
  pairingCode: (id: string, phone_number: string) =>
    data(http.post<Pairing>(`/sessions/${id}/pairing-code`, { phone_number })),
}

/** A number's send governor: health, pause, recent sends; PUT replaces its overrides whole. */
export const governor = {
  get: (id: string) => data(http.get<Governor>(`/sessions/${id}/governor`)),
  set: (id: string, body: GovernorPolicy) => data(http.put<Governor>(`/sessions/${id}/governor`, body)),
  resume: (id: string) => data(http.post<Governor>(`/sessions/${id}/governor/resume`)),
}

export const sandbox = {
  scan: (id: string) => data(http.post<Session>(`/sandbox/sessions/${id}/scan`)),
  inbound: (id: string, from: string, text: string) =>
    data(http.post<Message>(`/sandbox/sessions/${id}/inbound`, { from, text })),
  /** The sandbox is on when no bridge is configured: /ready then has no "bridge" check. */
  enabled: () =>
    http
      .get<{ checks: Record<string, string> }>('/ready', { baseURL: '/', validateStatus: () => true })
      .then((r) => Boolean(r.data?.checks) && !('bridge' in r.data.checks)),
}

export const conversations = {
  inbox: (params?: Query) => page<Conversation>('/conversations', params),
  history: (session: string, contact: string, params?: Query) =>
    page<Message>(`/sessions/${session}/conversations/${jid(contact)}/messages`, params),
  send: (session: string, contact: string, text: string) =>
    data(http.post<Message>(`/sessions/${session}/conversations/${jid(contact)}/messages`, { text })),
  setMode: (session: string, contact: string, mode: Mode) =>
    data(http.patch<Conversation>(`/sessions/${session}/conversations/${jid(contact)}`, { mode })),
}

export const jobs = {
  list: (params?: Query) => page<Job>('/jobs', params),
  retry: (id: string) => data(http.post<Job>(`/jobs/${id}/retry`)),
}

export const logs = {
  logs: (params?: Query) => page<LogEntry>('/logs', params),
  audit: (params?: Query) => page<AuditEntry>('/audit', params),
  stats: (tz: string) => data(http.get<Stats>('/stats', { params: { tz } })),
}

export const users = {
  list: (params?: Query) => page<User>('/users', params),
  create: (body: UserInput) => data(http.post<User>('/users', body)),
  update: (id: string, body: UserChanges) => data(http.patch<User>(`/users/${id}`, body)),
  resetPassword: (id: string, password: string) =>
    data(http.post<User>(`/users/${id}/reset-password`, { password })),
  unlock: (id: string) => data(http.post<User>(`/users/${id}/unlock`)),
}

export const approvals = {
  list: (status: ApprovalStatus, params?: Query) => page<Approval>('/approvals', { status, ...params }),
  approve: (id: string) => data(http.post<Approval>(`/approvals/${id}/approve`)),
  reject: (id: string, reason: string) =>
    data(http.post<Approval>(`/approvals/${id}/reject`, reason.trim() ? { reason: reason.trim() } : {})),
}

export const usage = {
  get: (group_by: UsageGroup, from: string, to: string) =>
    data(http.get<Usage>('/usage', { params: { group_by, from, to } })),
}

export const media = {
  /** The stored file of a message, with the token (never in a URL): shown from a blob: URL. */
  blob: (messageId: string) =>
    data(http.get<Blob>(`/messages/${messageId}/media`, { responseType: 'blob', timeout: 120_000 })),
}
