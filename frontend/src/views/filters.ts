/** A `datetime-local` value (the browser's local time) as an ISO instant for the API. */
export function isoOrEmpty(local: string): string | undefined {
  if (!local) return undefined
  const when = new Date(local)
  return Number.isNaN(when.getTime()) ? undefined : when.toISOString()
}
