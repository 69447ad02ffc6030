// The sending-limits form: its fields as typed (an empty one keeps the server's value), from a
// governor report, and the overrides body for PUT /sessions/{id}/governor.
import type { Governor, GovernorPolicy } from '../api/types'

export const BUDGETS = ['per_minute', 'per_hour', 'per_day', 'first_contacts_per_day'] as const
const WHOLE = [...BUDGETS, 'warmup_days'] as const
const PERCENT = ['warmup_start', 'jitter'] as const // fractions in the API, percent in the form

type Value = string | number // a number input gives a number, or '' when emptied
export type LimitsForm = Record<'pacing' | (typeof WHOLE)[number] | (typeof PERCENT)[number], Value>

/** A typed number, or null for an empty field. */
export function optional(value: Value | null | undefined): number | null {
  if (value === null || value === undefined || String(value).trim() === '') return null
  const n = Number(value)
  return Number.isFinite(n) ? n : null
}

const text = (n: number | null | undefined): string => (n === null || n === undefined ? '' : String(n))

export function formOf(report: Governor | null, pacing: number | null): LimitsForm {
  const own = report?.overrides ?? {}
  const form = { pacing: text(pacing) } as LimitsForm
  for (const name of WHOLE) form[name] = text(own[name])
  for (const name of PERCENT) {
    const fraction = own[name]
    form[name] = fraction === null || fraction === undefined ? '' : String(Math.round(fraction * 1000) / 10)
  }
  return form
}

/** The governor's overrides: only the fields filled in (pacing is the session's own setting). */
export function policyOf(form: LimitsForm): GovernorPolicy {
  const body: GovernorPolicy = {}
  for (const name of WHOLE) {
    const n = optional(form[name])
    if (n !== null) body[name] = n
  }
  for (const name of PERCENT) {
    const n = optional(form[name])
    if (n !== null) body[name] = n / 100
  }
  return body
}
