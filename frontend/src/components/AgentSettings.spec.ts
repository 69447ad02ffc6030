// The agent form's settings sections: what each sends, and where a refusal shows.
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Agent, AgentInput } from '../api/types'
import { setLocale } from '../i18n'
import { signedInAs, refusal } from '../testing/fakeApi'
import AgentForm from './AgentForm.vue'

const AGENT: Agent = {
  id: 'a1', name: 'Shop', description: '', model: 'scripted', system_prompt: 'Be brief.', tools: [],
  temperature: 0.7, max_history_tokens: 3000, is_active: true, created_at: '2026-01-01T12:00:00Z', updated_at: '2026-01-01T12:00:00Z',
  knowledge: { answer_only_from_knowledge: false, fallback_reply: 'No idea.', handoff: false, min_score: 0.35 },
  handoff: { message: 'A person will answer.', resume_message: 'The assistant is back.', resume_word: '/bot', timeout_minutes: 60 },
  hours: { time_zone: 'America/Sao_Paulo', weekly: { mon: [['09:00', '12:00'], ['13:00', '18:00']] }, holidays: ['2026-12-25'], outside: 'handoff', message: 'Closed.' },
  commands: ['help', 'reset', 'agent', 'search', 'summarize', 'tasks', 'human'],
  memory: { summarize: true }, budget: { monthly_tokens: 100000, monthly_cost_usd: null, message: 'Out of budget.' },
  media: { vision: false, document_tokens: 2000, documents_to_memory: false, too_large_reply: 'Too large.' },
  debounce_ms: 1500, unsupported_media_reply: 'Text only, please.',
}

function form(agent: Agent | null, save: (input: AgentInput) => Promise<unknown>) {
  return mount(AgentForm, { props: { agent, save }, attachTo: document.body })
}

beforeEach(() => {
  setActivePinia(createPinia())
  setLocale('en')
  document.body.innerHTML = ''
})

describe('AgentForm settings', () => {
  it('sends every section whole, in the shape the API takes, and nothing else', async () => {
    signedInAs('operator')
    const saved: AgentInput[] = []
    const wrapper = form(AGENT, async (input) => void saved.push(input))
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(Object.keys(saved[0]!).sort()).toEqual([
      'budget', 'commands', 'debounce_ms', 'description', 'handoff', 'hours', 'is_active', 'knowledge', 'max_history_tokens',
      'media', 'memory', 'model', 'name', 'system_prompt', 'temperature', 'tools', 'unsupported_media_reply',
    ])
    expect(saved[0]).toMatchObject({
      debounce_ms: 1500, handoff: AGENT.handoff, hours: AGENT.hours, budget: AGENT.budget, commands: AGENT.commands, memory: AGENT.memory, media: AGENT.media,
      unsupported_media_reply: 'Text only, please.',
    })
  })

  it('edits the business hours: zone, ranges per day, holidays, what happens outside them', async () => {
    signedInAs('operator')
    const saved: AgentInput[] = []
    const wrapper = form(AGENT, async (input) => void saved.push(input))
    await wrapper.find('#hours-zone').setValue('Europe/Berlin')
    await wrapper.find('[aria-label="Remove Monday 2"]').trigger('click')
    await wrapper.find('[aria-label="Add hours on Saturday"]').trigger('click')
    await wrapper.find('[aria-label="Add hours on Sunday"]').trigger('click')
    await wrapper.find('[aria-label="Sunday 1: opens"]').setValue('') // left blank: not sent
    await wrapper.find('[aria-label="Sunday 1: closes"]').setValue('')
    await wrapper.find('[aria-label="Remove holiday 1"]').trigger('click')
    await wrapper.findAll('.section-hours button').find((b) => b.text() === 'Add a holiday')!.trigger('click')
    await wrapper.find('[aria-label="Holiday 1"]').setValue('2027-01-01')
    await wrapper.find('.section-hours input[value=answer]').setValue(true)
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(saved[0]!.hours).toEqual({
      time_zone: 'Europe/Berlin', weekly: { mon: [['09:00', '12:00']], sat: [['09:00', '18:00']] },
      holidays: ['2027-01-01'], outside: 'answer', message: 'Closed.',
    })
  })

  it('"always open" sends hours null, and switching back restores the schedule', async () => {
    signedInAs('operator')
    const saved: AgentInput[] = []
    const wrapper = form(AGENT, async (input) => void saved.push(input))
    const open = wrapper.find('.section-hours input[type=checkbox]')
    expect((open.element as HTMLInputElement).checked).toBe(false)
    await open.setValue(true)
    expect(wrapper.find('#hours-zone').exists()).toBe(false)
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(saved[0]!.hours).toBeNull()
    await open.setValue(false)
    expect((wrapper.find('#hours-zone').element as HTMLInputElement).value).toBe('America/Sao_Paulo')
  })

  it('an emptied limit or timeout is sent as null (no limit), a typed one as a number', async () => {
    signedInAs('operator')
    const saved: AgentInput[] = []
    const wrapper = form(AGENT, async (input) => void saved.push(input))
    await wrapper.find('#budget-tokens').setValue('')
    await wrapper.find('#budget-cost').setValue('12.5')
    await wrapper.find('#budget-message').setValue('We hit our limit.')
    await wrapper.find('#handoff-timeout').setValue('')
    await wrapper.find('#handoff-word').setValue('/robot')
    await wrapper.find('#agent-debounce').setValue('')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(saved[0]!.debounce_ms).toBeNull() // the server's default
    expect(saved[0]!.budget).toEqual({ monthly_tokens: null, monthly_cost_usd: 12.5, message: 'We hit our limit.' })
    expect(saved[0]!.handoff).toMatchObject({ timeout_minutes: null, resume_word: '/robot' })
  })

  it('commands: /help stays on, the others follow their boxes; memory and media switches', async () => {
    signedInAs('operator')
    const saved: AgentInput[] = []
    const wrapper = form(AGENT, async (input) => void saved.push(input))
    const boxes = wrapper.findAll('.section-commands input[type=checkbox]')
    expect(boxes[0]!.attributes('disabled')).toBeDefined() // /help
    await wrapper.find('.section-commands input[value=tasks]').setValue(false)
    await wrapper.find('.section-commands input[value=search]').setValue(false)
    const memory = wrapper.findAll('.section-memory input[type=checkbox]')
    await memory[0]!.setValue(false) // summarize
    await memory[1]!.setValue(true) // vision
    await wrapper.find('#media-doc-tokens').setValue('4000')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(saved[0]!.commands).toEqual(['help', 'reset', 'agent', 'summarize', 'human'])
    expect(saved[0]!.memory).toEqual({ summarize: false })
    expect(saved[0]!.media).toMatchObject({ vision: true, document_tokens: 4000 })
  })

  it('the reply to unreadable media is edited in the media section, and its refusal shows there', async () => {
    signedInAs('operator')
    const saved: AgentInput[] = []
    let answer: unknown = null
    const wrapper = form(AGENT, async (input) => (answer ? Promise.reject(answer) : void saved.push(input)))
    const field = wrapper.find('.section-memory #media-unsupported')
    expect((field.element as HTMLTextAreaElement).value).toBe('Text only, please.')
    await field.setValue('Please type it for me.')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(saved[0]!.unsupported_media_reply).toBe('Please type it for me.')
    answer = refusal(400, 'unsupported_media_reply: Expected `str` of length >= 1')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    const memory = wrapper.find('.section-memory')
    expect((memory.element as HTMLDetailsElement).open).toBe(true)
    expect(memory.find('[role=alert]').text()).toContain('length >= 1')
    expect(wrapper.find('.banner-error').exists()).toBe(false)
  })

  it('a refusal of a setting opens its section and shows there, not on top', async () => {
    signedInAs('operator')
    let answer = refusal(422, "hours: unknown time zone 'Mars/Olympus'")
    const wrapper = form(AGENT, async () => Promise.reject(answer))
    const hours = () => wrapper.find('.section-hours')
    expect((hours().element as HTMLDetailsElement).open).toBe(false)
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect((hours().element as HTMLDetailsElement).open).toBe(true)
    expect(hours().find('[role=alert]').text()).toBe("hours: unknown time zone 'Mars/Olympus'")
    expect(wrapper.find('.banner-error').exists()).toBe(false)
    answer = refusal(422, 'handoff.timeout_minutes must be between 1 and 43200 (or null)')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('.section-handoff [role=alert]').text()).toContain('between 1 and 43200')
    expect(hours().find('[role=alert]').exists()).toBe(false)
    answer = refusal(400, 'body: Expected `int` >= 1 - at `$.budget.monthly_tokens`')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('.section-budget [role=alert]').text()).toContain('$.budget.monthly_tokens')
    answer = refusal(400, 'debounce_ms: Expected `int` <= 60000')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('#agent-debounce').element.closest('.field')!.textContent).toContain('<= 60000')
  })

  it('a viewer sees the settings but no control that changes them', () => {
    signedInAs('viewer')
    const wrapper = form(AGENT, async () => {})
    expect(wrapper.findAll('button')).toHaveLength(0)
    expect(wrapper.find('#hours-zone').element.closest('fieldset[disabled]')).not.toBeNull()
    expect((wrapper.find('#budget-tokens').element as HTMLInputElement).value).toBe('100000')
    expect(wrapper.text()).toContain('Monday')
  })

  it('a new agent starts with the defaults the API would use, in the chosen language', async () => {
    signedInAs('operator')
    setLocale('pt-BR')
    const saved: AgentInput[] = []
    const wrapper = form(null, async (input) => void saved.push(input))
    await wrapper.find('#agent-name').setValue('Loja')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(saved[0]).toMatchObject({
      debounce_ms: null, hours: null, commands: ['help', 'reset', 'agent', 'search', 'summarize', 'tasks', 'human'],
      handoff: { resume_word: '/bot', timeout_minutes: null }, budget: { monthly_tokens: null, monthly_cost_usd: null },
      memory: { summarize: true },
    })
    expect(saved[0]!.handoff!.message).toContain('uma pessoa')
    expect(saved[0]!.unsupported_media_reply).toBe('Desculpe, por enquanto só consigo ler mensagens de texto.')
  })
})
