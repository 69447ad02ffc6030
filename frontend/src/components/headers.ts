// Header rows for the tool editors. A secret is written into a header value by name only,
// `${WA_TOOL_SECRET_<NAME>}`; its value lives in the server's environment, never in the form.
import { SECRET_PREFIX } from '../api/types'

export interface HeaderRow {
  name: string
  secret: boolean
  prefix: string // text before the secret, e.g. "Bearer "
  variable: string // the NAME in WA_TOOL_SECRET_<NAME>
  value: string // a plain value (not a secret)
}

const SECRET = /^(.*?)\$\{WA_TOOL_SECRET_([A-Z0-9_]+)\}$/

export const blankHeader = (): HeaderRow => ({ name: '', secret: true, prefix: 'Bearer ', variable: '', value: '' })

export function headerRows(headers: Record<string, string> | undefined): HeaderRow[] {
  return Object.entries(headers ?? {}).map(([name, value]) => {
    const found = SECRET.exec(value)
    return found
      ? { name, secret: true, prefix: found[1] ?? '', variable: found[2] ?? '', value: '' }
      : { name, secret: false, prefix: '', variable: '', value }
  })
}

/** The `headers` object the API takes; a row without a name is left out. */
export function headersOf(rows: HeaderRow[]): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const row of rows) {
    const name = row.name.trim()
    if (!name) continue
    const variable = row.variable.trim().toUpperCase().replace(new RegExp(`^${SECRET_PREFIX}`), '')
    headers[name] = row.secret ? `${row.prefix}\${${SECRET_PREFIX}${variable}}` : row.value
  }
  return headers
}

/** "a.example.com, b.example.com" -> ["a.example.com", "b.example.com"] */
export const listOf = (text: string): string[] => text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean)
