import { describe, expect, it } from 'vitest'
import { backoff, openStream, sseParser, type LiveEvent } from './sse'

function streamOf(...chunks: string[]): Response {
  const encoder = new TextEncoder()
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk))
      controller.close()
    },
  })
  return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } })
}

describe('sse', () => {
  it('parses events across chunk boundaries and skips comments', () => {
    const seen: LiveEvent[] = []
    const feed = sseParser((e) => seen.push(e))
    feed(': connected\n\nevent: session.status\ndata: {"id": "sh')
    feed('op", "status": "connected"}\n\n: keep-alive\n\r\nevent: message.new\r\ndata: {"id": "m1"}\r\n\r\n')
    expect(seen).toEqual([
      { event: 'session.status', data: { id: 'shop', status: 'connected' } },
      { event: 'message.new', data: { id: 'm1' } },
    ])
  })

  it('backs off exponentially with jitter, capped at 30 s', () => {
    expect(backoff(0, () => 0)).toBe(500)
    expect(backoff(0, () => 1)).toBe(1000)
    expect(backoff(3, () => 1)).toBe(8000)
    expect(backoff(20, () => 1)).toBe(30000)
  })

  it('trades the token for a ticket, refreshes on 401, and reconnects after the stream ends', async () => {
    const requests: { url: string; method: string; auth: string | undefined }[] = []
    const states: boolean[] = []
    const events: LiveEvent[] = []
    let token = 'old'
    let issued = 0
    const json = (body: unknown, status = 201) =>
      new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
    const streams = [
      () => streamOf('event: message.new\ndata: {"id": "m1"}\n\n'),
      () => streamOf('event: message.new\ndata: {"id": "m2"}\n\n'),
    ]
    let stop = () => {}
    await new Promise<void>((done) => {
      const stream = openStream({
        url: '/api/v1/events',
        ticketUrl: '/api/v1/events/ticket',
        token: () => token,
        refresh: async () => ((token = 'new'), true),
        onEvent: (e) => {
          events.push(e)
          if (events.length === 2) done()
        },
        onState: (up) => states.push(up),
        fetch: async (url, init) => {
          const headers = (init?.headers ?? {}) as Record<string, string>
          requests.push({ url: String(url), method: init?.method ?? 'GET', auth: headers.Authorization })
          if (String(url).endsWith('/ticket')) {
            if (headers.Authorization !== 'Bearer new') return new Response(null, { status: 401 })
            return json({ ticket: `t${++issued}`, expires_in: 30 })
          }
          return (streams.shift() ?? (() => streamOf()))()
        },
        wait: async () => {},
      })
      stop = stream.stop
    })
    stop()
    expect(requests.slice(0, 5)).toEqual([
      { url: '/api/v1/events/ticket', method: 'POST', auth: 'Bearer old' },
      { url: '/api/v1/events/ticket', method: 'POST', auth: 'Bearer new' },
      { url: '/api/v1/events?ticket=t1', method: 'GET', auth: undefined },
      { url: '/api/v1/events/ticket', method: 'POST', auth: 'Bearer new' },
      { url: '/api/v1/events?ticket=t2', method: 'GET', auth: undefined },
    ])
    expect(requests.every((r) => !r.url.includes('token'))).toBe(true)
    expect(events.map((e) => (e.data as { id: string }).id)).toEqual(['m1', 'm2'])
    expect(states.slice(0, 4)).toEqual([false, true, false, true])
  })

  it('a ticket that no longer opens the stream is retried with a fresh one', async () => {
    const urls: string[] = []
    let issued = 0
    let stop = () => {}
    await new Promise<void>((done) => {
      const stream = openStream({
        url: '/api/v1/events',
        ticketUrl: '/api/v1/events/ticket',
        token: () => 'tok',
        refresh: async () => true,
        onEvent: () => done(),
        onState: () => {},
        fetch: async (url) => {
          urls.push(String(url))
          if (String(url).endsWith('/ticket')) {
            return new Response(JSON.stringify({ ticket: `t${++issued}`, expires_in: 30 }), { status: 201 })
          }
          if (String(url).endsWith('t1')) return new Response(null, { status: 401 })
          return streamOf('event: session.status\ndata: {"id": "shop"}\n\n')
        },
        wait: async () => {},
      })
      stop = stream.stop
    })
    stop()
    expect(urls.slice(0, 4)).toEqual([
      '/api/v1/events/ticket',
      '/api/v1/events?ticket=t1',
      '/api/v1/events/ticket',
      '/api/v1/events?ticket=t2',
    ])
  })
})
