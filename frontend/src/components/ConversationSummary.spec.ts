import { mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Conversation } from '../api/types'
import { setLocale } from '../i18n'
import ConversationSummary from './ConversationSummary.vue'

const CONVERSATION: Conversation = {
  session_id: 'shop', contact_jid: '15551230000@s.whatsapp.net', mode: 'ai', last_message: null, unread: 0,
  updated_at: '2026-01-01T12:00:00Z', summary: '', summary_updated_at: null,
}

beforeEach(() => setLocale('en'))

describe('ConversationSummary', () => {
  it('shows the rolling summary the API keeps, folded, with when it was made', () => {
    const when = new Date(Date.now() - 5 * 60_000).toISOString()
    const wrapper = mount(ConversationSummary, {
      props: { conversation: { ...CONVERSATION, summary: 'Ana asked about a refund for order 42.', summary_updated_at: when } },
    })
    expect(wrapper.find('details').exists()).toBe(true)
    expect(wrapper.find('summary').text()).toContain('Conversation summary')
    expect(wrapper.find('summary').text()).toMatch(/updated .*5/)
    expect(wrapper.find('.summary-text').text()).toBe('Ana asked about a refund for order 42.')
  })

  it('shows nothing while the conversation has no summary', () => {
    const wrapper = mount(ConversationSummary, { props: { conversation: CONVERSATION } })
    expect(wrapper.find('details').exists()).toBe(false)
  })
})
