// Names for the shapes the dashboard uses, all from the generated OpenAPI types (schema.ts).
import type { components } from './schema'

type S = components['schemas']

export type Agent = S['AgentOut']
export type AgentInput = S['AgentIn']
export type AgentChanges = S['AgentPatch']
export type Session = S['SessionOut']
export type SessionChanges = S['SessionPatch']
export type Conversation = S['ConversationOut']
export type Message = S['MessageOut']
export type Mode = S['HandoffMode']
export type Job = S['JobOut']
export type LogEntry = S['LogOut']
export type LogLevel = S['LogLevel']
export type AuditEntry = S['AuditOut']
export type Stats = S['StatsOut']
export type User = S['UserOut']
export type UserInput = S['UserIn']
export type UserChanges = S['UserPatch']
export type Role = S['Role']
export type Tokens = S['TokenOut']
export type KnowledgeDocument = S['DocumentOut']
export type KnowledgePolicy = S['KnowledgePolicyIO']
export type SearchHit = S['SearchHitOut']
export type Pairing = S['PairingOut']
export type Governor = S['GovernorOut']
export type GovernorPolicy = S['PolicyIn']
export type Handoff = S['HandoffIO']
export type Hours = S['HoursIO']
export type Budget = S['BudgetIO']
export type MemoryPolicy = S['MemoryPolicyIO']
export type MediaPolicy = S['MediaPolicyIO']
export type CommandName = NonNullable<AgentInput['commands']>[number]
export type HttpTool = S['HttpToolOut']
export type HttpToolInput = S['HttpToolIn']
export type HttpMethod = HttpToolInput['method']
export type McpServer = S['McpServerOut']
export type McpServerInput = S['McpServerIn']
export type AgentTool = S['ToolOut']
export type AgentToolPage = S['ToolPage']

export interface Page<T> {
  items: T[]
  total: number
  limit: number
  offset: number
}

export const TOOLS = ['current_time', 'search_history', 'search_knowledge', 'handoff_to_human'] as const
export const COMMANDS: CommandName[] = ['help', 'reset', 'agent', 'search', 'summarize', 'tasks', 'human']
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
export const METHODS: HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']
/** How a header value names a secret: the value itself lives in the server's environment. */
export const SECRET_PREFIX = 'WA_TOOL_SECRET_'
export const MODES: Mode[] = ['ai', 'human', 'paused']
export const ROLES: Role[] = ['viewer', 'operator', 'admin']
export const LEVELS: LogLevel[] = ['debug', 'info', 'warning', 'error']
export const MAX_PROMPT = 20_000
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
export const DOCUMENT_TYPES = '.txt,.md,.markdown,.html,.htm,.pdf,text/plain,text/markdown,text/html,application/pdf'

/** A message from a live event, which carries no type, media or metadata: filled with defaults. */
export function messageFromEvent(data: Record<string, unknown>): Message {
  const defaults = { message_type: 'text', media_url: null, metadata: {}, wa_message_id: null }
  return { ...defaults, ...(data as Partial<Message>) } as Message
}

export type Approval = S['ApprovalOut']
export type ApprovalStatus = Approval['status']
export const APPROVAL_STATUSES: ApprovalStatus[] = ['pending', 'approved', 'rejected', 'expired']
export type UsageGroup = S['UsageGroup']
export type Usage = S['UsageOut']
export type UsageRow = S['UsageRowOut']
/** What a message's `media` says about its file (null for text). */
export type MediaInfo = S['MediaOut']
