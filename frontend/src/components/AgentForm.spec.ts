import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Agent } from '../api/types'
import { setLocale } from '../i18n'
import { signedInAs, refusal } from '../testing/fakeApi'
import AgentForm from './AgentForm.vue'

const AGENT: Agent = {
  id: 'a1', name: 'Shop', description: '', model: 'scripted', system_prompt: 'Be brief.', tools: ['current_time'],
  temperature: 0.7, max_history_tokens: 3000, is_active: true,
  knowledge: { answer_only_from_knowledge: false, fallback_reply: '', handoff: false, min_score: 0.3 }, created_at: '2026-01-01T12:00:00Z', updated_at: '2026-01-01T12:00:00Z',
  handoff: { message: 'A person will answer.', resume_message: 'The assistant is back.', resume_word: '/bot', timeout_minutes: null },
  hours: null, commands: ['help', 'reset', 'agent', 'search', 'summarize', 'tasks', 'human'],
  memory: { summarize: true }, budget: { monthly_tokens: null, monthly_cost_usd: null, message: 'Out of budget.' },
  media: { vision: false, document_tokens: 2000, documents_to_memory: false, too_large_reply: 'Too large.' },
  debounce_ms: null, unsupported_media_reply: 'Sorry, I can only read text messages for now.',
}

beforeEach(() => {
  setActivePinia(createPinia())
  setLocale('en')
})

describe('AgentForm', () => {
  it('shows a viewer the agent read-only, with no control that writes', () => {
    signedInAs('viewer')
    const wrapper = mount(AgentForm, { props: { agent: AGENT, save: async () => {} } })
    expect(wrapper.text()).toContain('Read only')
    expect(wrapper.find('fieldset').attributes('disabled')).toBeDefined()
    expect(wrapper.findAll('button')).toHaveLength(0)
  })

  it('counts the prompt as it is typed', async () => {
    signedInAs('operator')
    const wrapper = mount(AgentForm, { props: { agent: AGENT, save: async () => {} } })
    expect(wrapper.text()).toContain('9 / 20000 characters')
    await wrapper.find('#agent-prompt').setValue('x'.repeat(120))
    expect(wrapper.text()).toContain('120 / 20000 characters')
  })

  it('puts the API 4xx detail next to the field it names, or on top', async () => {
    signedInAs('operator')
    let answer = refusal(400, 'temperature: Expected `float` <= 2.0')
    const wrapper = mount(AgentForm, { props: { agent: AGENT, save: async () => Promise.reject(answer) } })
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    const field = wrapper.find('#agent-temperature').element.closest('.field')!
    expect(field.textContent).toContain('Expected `float` <= 2.0')
    answer = refusal(409, 'agent a1 is assigned to a session: reassign it first')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('.banner-error').text()).toContain('reassign it first')
  })

  it('hands the typed values to save', async () => {
    signedInAs('operator')
    const saved: unknown[] = []
    const wrapper = mount(AgentForm, { props: { agent: null, save: async (input) => void saved.push(input) } })
    await wrapper.find('#agent-name').setValue('Helper')
    await wrapper.find('#agent-prompt').setValue('Hi')
    await wrapper.find('input[value=search_history]').setValue(true)
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(saved).toMatchObject([{ name: 'Helper', system_prompt: 'Hi', model: 'scripted', tools: ['search_history'] }])
  })
})

describe('AgentForm knowledge settings', () => {
  it('shows the settings when "answer only from knowledge" is on and saves them', async () => {
    signedInAs('operator')
    const saved: unknown[] = []
    const wrapper = mount(AgentForm, { props: { agent: AGENT, save: async (input) => void saved.push(input) } })
    expect(wrapper.find('#agent-min-score').exists()).toBe(false)
    await wrapper.find('.knowledge-policy input[type=checkbox]').setValue(true)
    await wrapper.find('#agent-min-score').setValue('0.5')
    await wrapper.find('#agent-fallback').setValue('Ask a person, please.')
    await wrapper.findAll('.knowledge-policy input[type=checkbox]')[1]!.setValue(true)
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(saved).toMatchObject([{
      knowledge: { answer_only_from_knowledge: true, min_score: 0.5, fallback_reply: 'Ask a person, please.', handoff: true },
    }])
  })

  it('puts a refusal of a knowledge setting next to the knowledge settings', async () => {
    signedInAs('operator')
    const answer = refusal(400, 'knowledge.min_score: Expected `float` <= 1.0')
    const wrapper = mount(AgentForm, { props: { agent: AGENT, save: async () => Promise.reject(answer) } })
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('.knowledge-policy').text()).toContain('Expected `float` <= 1.0')
    expect(wrapper.find('.banner-error').exists()).toBe(false)
  })
})
