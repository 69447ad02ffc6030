import { mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Message } from '../api/types'
import { setLocale } from '../i18n'
import MessageBubble from './MessageBubble.vue'

const reply = (metadata: Record<string, unknown>): Message => ({
  id: 'm1', session_id: 'shop', contact_jid: '1@s.whatsapp.net', direction: 'outbound', message_type: 'text',
  content: 'Within 30 days.', media_url: null, metadata, wa_message_id: null, status: 'sent', timestamp: '2026-01-01T12:00:00Z',
})
const search = (citations: unknown[]) => ({ name: 'search_knowledge', arguments: { query: 'returns' }, result: '[1] …', citations })

beforeEach(() => setLocale('en'))

async function why(metadata: Record<string, unknown>) {
  const wrapper = mount(MessageBubble, { props: { message: reply(metadata) } })
  await wrapper.find('button.why').trigger('click')
  return wrapper.find('.why-details')
}

describe('MessageBubble "Why this answer"', () => {
  it('lists the knowledge the tool calls cited, best first and each passage once', async () => {
    const details = await why({
      model: 'scripted', prompt_tokens: 120, completion_tokens: 30, latency_ms: 42,
      tool_calls: [
        search([{ document_id: 'd1', chunk_id: 'd1-0', title: 'Returns policy', score: 0.41 }, { document_id: 'd2', chunk_id: 'd2-3', title: 'Shipping', score: 0.62 }]),
        search([{ document_id: 'd1', chunk_id: 'd1-0', title: 'Returns policy', score: 0.41 }]),
      ],
    })
    const cited = details.findAll('.citations li').map((li) => li.text())
    expect(cited).toEqual(['«Shipping» score 0.62', '«Returns policy» score 0.41'])
    expect(details.text()).toContain('120 in, 30 out')
    expect(details.text()).toContain('42 ms')
  })

  it('shows the prompt version and the cost when the turn recorded them, and nothing made up otherwise', async () => {
    let details = await why({ model: 'gpt-4o-mini', prompt_version: 7, cost_usd: 0.000315, tool_calls: [] })
    expect(details.text()).toContain('Prompt version7')
    expect(details.text()).toContain('$0.000315')
    expect(details.text()).toContain('No document cited')
    details = await why({ model: 'scripted', tool_calls: [] })
    expect(details.text()).not.toContain('Prompt version')
    expect(details.text()).not.toContain('Cost')
  })

  it('offers no "why" under an operator message', () => {
    const wrapper = mount(MessageBubble, { props: { message: reply({ operator: 'ana' }) } })
    expect(wrapper.text()).toContain('Operator ana')
    expect(wrapper.find('button.why').exists()).toBe(false)
  })
})
