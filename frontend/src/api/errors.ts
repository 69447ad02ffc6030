// What a failed request means for a person: the API's own `detail`, and the field it names.
import { isAxiosError } from 'axios'

export interface ApiProblem {
  status: number // 0: the server could not be reached
  detail: string
  field?: string // the form field the detail is about, when it names one
  retryAfter?: number // seconds (429)
}

// The API words validation errors as "<field>: <message>" (or "body.<field>: ...", or
// "knowledge.min_score: ..." for a nested one, which belongs to its top-level field), as the
// domain's "handoff.timeout_minutes must be ..." / "url must be ...", or msgspec's
// "... - at `$.knowledge.min_score`".
const FIELD = /^(?:body\.)?([a-z_]+)(?:\.[a-z_\d]+)*(?:: | must | is needed )/
const AT = /at `\$\.([a-z_]+)/

export function problemOf(error: unknown): ApiProblem {
  if (isAxiosError(error)) {
    const response = error.response
    if (!response) return { status: 0, detail: '' }
    const body = response.data as { detail?: unknown } | undefined
    const detail = typeof body?.detail === 'string' ? body.detail : response.statusText || ''
    const problem: ApiProblem = { status: response.status, detail }
    const named = FIELD.exec(detail)?.[1]
    const field = named && named !== 'body' ? named : AT.exec(detail)?.[1]
    if (field) problem.field = field
    const retry = Number(response.headers?.['retry-after'])
    if (Number.isFinite(retry) && retry > 0) problem.retryAfter = retry
    return problem
  }
  return { status: -1, detail: error instanceof Error ? error.message : String(error) }
}
