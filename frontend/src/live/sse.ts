// Server-sent events read with fetch: one parser, and a connection loop that reconnects with
// capped, jittered backoff. Each connection first trades the access token (in a header) for a
// single-use stream ticket, so no bearer token ever travels in a URL. The server ends a stream
// when the token behind it expires or is revoked; the loop then connects again (after a short
// pause) with a fresh ticket (refreshing the access token when the ticket request answers 401).

export interface LiveEvent {
  event: string
  data: unknown
}

/** Splits a text/event-stream into events; feed it chunks, it calls `emit` per event. */
export function sseParser(emit: (event: LiveEvent) => void): (chunk: string) => void {
  let buffer = ''
  return (chunk) => {
    buffer += chunk.replace(/\r\n?/g, '\n')
    let end: number
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      let event = 'message'
      const data: string[] = []
      for (const line of block.split('\n')) {
        if (!line || line.startsWith(':')) continue
        const colon = line.indexOf(':')
        const field = colon < 0 ? line : line.slice(0, colon)
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '')
        if (field === 'event') event = value
        else if (field === 'data') data.push(value)
      }
      if (!data.length) continue
      const text = data.join('\n')
      try {
        emit({ event, data: JSON.parse(text) })
      } catch {
        emit({ event, data: text })
      }
    }
  }
}

export function backoff(attempt: number, random = Math.random): number {
  const ceiling = Math.min(30_000, 1000 * 2 ** attempt)
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}

export interface StreamOptions {
  url: string
  /** Where to POST (with the bearer token) for a single-use ticket that opens `url`. */
  ticketUrl: string
  token: () => string | null
  refresh: () => Promise<boolean>
  onEvent: (event: LiveEvent) => void
  onState: (connected: boolean) => void
  fetch?: typeof fetch
  wait?: (ms: number, signal: AbortSignal) => Promise<void>
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve() }, { once: true })
  })
}

/** Runs until `stop()`: connect, read, and on any end or error wait and connect again. */
export function openStream(options: StreamOptions): { stop: () => void } {
  const control = new AbortController()
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis)
  const wait = options.wait ?? sleep
  async function ticket(): Promise<string | 'unauthorized' | 'failed'> {
    const token = options.token()
    const response = await doFetch(options.ticketUrl, {
      method: 'POST',
      headers: { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      signal: control.signal,
      cache: 'no-store',
    })
    if (response.status === 401) return 'unauthorized'
    if (!response.ok) return 'failed'
    const body = (await response.json()) as { ticket?: unknown }
    return typeof body.ticket === 'string' ? body.ticket : 'failed'
  }
  async function once(): Promise<'ok' | 'unauthorized' | 'failed'> {
    const granted = await ticket()
    if (granted === 'unauthorized' || granted === 'failed') return granted
    const url = `${options.url}?ticket=${encodeURIComponent(granted)}`
    const response = await doFetch(url, {
      headers: { Accept: 'text/event-stream' },
      signal: control.signal,
      cache: 'no-store',
    })
    if (response.status === 401) return 'unauthorized'
    if (!response.ok || !response.body) return 'failed'
    options.onState(true)
    const reader = response.body.getReader()
    const decoder = new TextDecoder()
    const feed = sseParser(options.onEvent)
    for (;;) {
      const { value, done } = await reader.read()
      if (done) return 'ok'
      feed(decoder.decode(value, { stream: true }))
    }
  }
  async function loop(): Promise<void> {
    let attempt = 0
    while (!control.signal.aborted) {
      let outcome: 'ok' | 'unauthorized' | 'failed'
      try {
        outcome = await once()
      } catch {
        outcome = 'failed'
      }
      if (control.signal.aborted) return
      options.onState(false)
      if (outcome === 'unauthorized' && (await options.refresh())) continue
      if (outcome === 'ok') attempt = 0 // a stream that ran ended: its token expired or changed
      await wait(backoff(attempt++), control.signal)
    }
  }
  void loop()
  return { stop: () => control.abort() }
}
