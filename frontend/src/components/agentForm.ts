// The agent form's state: what a new agent starts with, a copy of a stored one to edit, and
// the body the API takes (AgentIn for POST, the same fields for PATCH).
import {
  COMMANDS, WEEKDAYS, type Agent, type AgentInput, type Budget, type CommandName, type Handoff, type Hours,
  type KnowledgePolicy, type MediaPolicy, type MemoryPolicy,
} from '../api/types'
import { t } from '../i18n'

/** Every field the form edits; `hours` null is "always open". */
export interface AgentFormState {
  name: string
  description: string
  model: string
  system_prompt: string
  tools: NonNullable<AgentInput['tools']>
  temperature: number
  max_history_tokens: number
  is_active: boolean
  debounce_ms: number | null // null: the server's WA_DEBOUNCE_MS
  knowledge: KnowledgePolicy
  handoff: Handoff
  hours: Hours | null
  commands: CommandName[]
  memory: MemoryPolicy
  budget: Budget
  media: MediaPolicy
  unsupported_media_reply: string // the answer to media the agent cannot read
}

/** A deep copy of plain JSON data (the store's objects are reactive proxies). */
export const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T

/** The hours a switched-on schedule starts with: weekdays 9 to 18 in the browser's zone. */
export function defaultHours(): Hours {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
  const weekly: Hours['weekly'] = {}
  for (const day of WEEKDAYS.slice(0, 5)) weekly[day] = [['09:00', '18:00']]
  return { time_zone: zone, weekly, holidays: [], outside: 'answer', message: t('agents.hoursMessageDefault') }
}

export function blankAgent(): AgentFormState {
  return {
    name: '', description: '', model: 'scripted', system_prompt: '', tools: [], temperature: 0.7,
    max_history_tokens: 3000, is_active: true, debounce_ms: null,
    knowledge: { answer_only_from_knowledge: false, min_score: 0.35, fallback_reply: t('agents.fallbackDefault'), handoff: false },
    handoff: {
      message: t('agents.handoffMessageDefault'), resume_message: t('agents.resumeMessageDefault'),
      resume_word: '/bot', timeout_minutes: null,
    },
    hours: null,
    commands: [...COMMANDS],
    memory: { summarize: true },
    budget: { monthly_tokens: null, monthly_cost_usd: null, message: t('agents.budgetMessageDefault') },
    media: { vision: false, document_tokens: 2000, documents_to_memory: false, too_large_reply: t('agents.tooLargeDefault') },
    unsupported_media_reply: t('agents.unsupportedDefault'),
  }
}

export function agentState(agent: Agent | null): AgentFormState {
  const base = blankAgent()
  if (!agent) return base
  const a = copy(agent)
  return {
    name: a.name, description: a.description, model: a.model, system_prompt: a.system_prompt,
    tools: a.tools as AgentFormState['tools'], temperature: a.temperature, max_history_tokens: a.max_history_tokens,
    is_active: a.is_active, debounce_ms: a.debounce_ms ?? null, knowledge: { ...base.knowledge, ...a.knowledge }, handoff: { ...base.handoff, ...a.handoff },
    hours: a.hours ? { ...a.hours, weekly: a.hours.weekly ?? {}, holidays: a.hours.holidays ?? [] } : null,
    commands: (a.commands ?? COMMANDS).filter((c): c is CommandName => (COMMANDS as string[]).includes(c)),
    memory: { ...base.memory, ...a.memory }, budget: { ...base.budget, ...a.budget }, media: { ...base.media, ...a.media },
    unsupported_media_reply: a.unsupported_media_reply ?? base.unsupported_media_reply,
  }
}

/** An emptied number field (`v-model.number` gives '') means "no value". */
function optional(value: unknown): number | null {
  if (value === '' || value === null || value === undefined) return null
  const n = Number(value)
  return Number.isFinite(n) ? n : null
}

/** The hours as the API takes them: blank ranges and dates left out, a day without ranges closed. */
function hoursPayload(hours: Hours): Hours {
  const weekly: Hours['weekly'] = {}
  for (const day of WEEKDAYS) {
    const ranges = (hours.weekly?.[day] ?? [])
      .map(([start, end]) => [(start ?? '').trim(), (end ?? '').trim()])
      .filter(([start, end]) => start || end)
    if (ranges.length) weekly[day] = ranges
  }
  return {
    time_zone: hours.time_zone.trim(), weekly, outside: hours.outside, message: hours.message,
    holidays: (hours.holidays ?? []).map((d) => d.trim()).filter(Boolean),
  }
}

/** The body for POST /agents and PATCH /agents/{id}: every section is sent whole. */
export function agentPayload(form: AgentFormState): AgentInput {
  return {
    name: form.name, description: form.description, model: form.model, system_prompt: form.system_prompt,
    tools: [...form.tools], temperature: form.temperature, max_history_tokens: form.max_history_tokens,
    is_active: form.is_active, debounce_ms: optional(form.debounce_ms),
    knowledge: { ...form.knowledge },
    handoff: { ...form.handoff, timeout_minutes: optional(form.handoff.timeout_minutes) },
    hours: form.hours ? hoursPayload(form.hours) : null,
    commands: COMMANDS.filter((c) => c === 'help' || form.commands.includes(c)),
    memory: { ...form.memory },
    budget: {
      ...form.budget, monthly_tokens: optional(form.budget.monthly_tokens),
      monthly_cost_usd: optional(form.budget.monthly_cost_usd),
    },
    media: { ...form.media },
    unsupported_media_reply: form.unsupported_media_reply,
  }
}

/** The form sections a 4xx can name (the API words nested errors by their top-level field). */
export const SECTIONS = ['knowledge', 'handoff', 'hours', 'commands', 'memory', 'budget', 'media'] as const
