// The agent's HTTP tools, MCP servers and approval switches against the fake API.
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import type { AgentTool, HttpTool, McpServer } from '../api/types'
import { useToasts } from '../composables/useToasts'
import { setLocale } from '../i18n'
import { useAgentTools } from '../stores/agentTools'
import { fail, fakeApi, ok, signedInAs } from '../testing/fakeApi'
import AgentToolList from './AgentToolList.vue'
import HttpTools from './HttpTools.vue'
import McpServers from './McpServers.vue'

const A = '/agents/a1'
const STAMP = { created_at: '2026-01-01T12:00:00Z', updated_at: '2026-01-01T12:00:00Z' }
const TOOL: HttpTool = {
  id: 't1', agent_id: 'a1', name: 'order_status', description: 'An order', method: 'GET',
  url: 'https://crm.example.com/orders/{order_id}', parameters: { type: 'object', properties: { order_id: { type: 'string' } } },
  headers: { Authorization: 'Bearer ${WA_TOOL_SECRET_CRM}', Accept: 'application/json' }, secrets: ['WA_TOOL_SECRET_CRM'],
  allowed_hosts: ['crm.example.com'], timeout_seconds: 5, max_response_bytes: 50000, ...STAMP,
}
const SERVER: McpServer = {
  id: 'm1', agent_id: 'a1', name: 'crm', url: 'https://mcp.example.com/mcp', headers: {}, secrets: [],
  allowed_tools: ['lookup_order'], timeout_seconds: 15, ...STAMP,
}
const BUILTIN: AgentTool = { name: 'current_time', kind: 'builtin', description: 'The time', parameters: {}, requires_approval: false, source_id: null }
const page = <T>(items: T[]) => ok({ items, total: items.length, limit: 200, offset: 0 })

function backend(extra: Record<string, Parameters<typeof fakeApi>[0][string]> = {}) {
  return fakeApi({
    [`GET ${A}/http-tools`]: () => page([TOOL]),
    [`GET ${A}/mcp-servers`]: () => page([SERVER]),
    [`GET ${A}/tools`]: () => ok({ items: [BUILTIN], total: 1, limit: 200, offset: 0, unavailable: { crm: 'connection refused' } }),
    ...extra,
  })
}

async function loaded(component: typeof HttpTools | typeof McpServers | typeof AgentToolList) {
  const wrapper = mount(component, { attachTo: document.body })
  await useAgentTools().load('a1')
  await flushPromises()
  return wrapper
}

beforeEach(() => {
  setActivePinia(createPinia())
  setLocale('en')
  document.body.innerHTML = ''
})

describe('HTTP tools', () => {
  it('lists the tools with the names of their secrets; a viewer gets no control that writes', async () => {
    signedInAs('viewer')
    backend()
    const wrapper = await loaded(HttpTools)
    expect(wrapper.text()).toContain('order_status')
    expect(wrapper.text()).toContain('GET https://crm.example.com/orders/{order_id}')
    expect(wrapper.text()).toContain('Secrets from: WA_TOOL_SECRET_CRM')
    expect(wrapper.findAll('button')).toHaveLength(0)
    expect(wrapper.find('form').exists()).toBe(false)
  })

  it('creates a tool with the body the API takes: a secret header by variable name only', async () => {
    signedInAs('operator')
    const bodies: unknown[] = []
    const { calls } = backend({
      [`POST ${A}/http-tools`]: ({ body }) => {
        bodies.push(body)
        return { status: 201, body: { ...TOOL, id: 't2', name: 'stock', secrets: ['WA_TOOL_SECRET_SHOP'] } }
      },
    })
    const wrapper = await loaded(HttpTools)
    await wrapper.findAll('button').find((b) => b.text() === 'New HTTP tool')!.trigger('click')
    await wrapper.find('#http-name-new').setValue('stock')
    await wrapper.find('#http-description-new').setValue('Stock of a product')
    await wrapper.find('#http-method-new').setValue('POST')
    await wrapper.find('#http-url-new').setValue('https://shop.example.com/stock/{sku}')
    await wrapper.find('#http-parameters-new').setValue('{"type": "object", "properties": {"sku": {"type": "string"}}, "required": ["sku"]}')
    await wrapper.findAll('button').find((b) => b.text() === 'Add a header')!.trigger('click')
    await wrapper.find('[aria-label="Header 1"]').setValue('Authorization')
    await wrapper.find('[aria-label="Header 1: variable name"]').setValue('shop')
    expect(wrapper.find('[aria-label="Header 1: value"]').exists()).toBe(false) // no place for a secret's value
    await wrapper.find('#http-hosts-new').setValue('shop.example.com, cdn.example.com')
    await wrapper.find('#http-timeout-new').setValue('3')
    await wrapper.find('.tool-editor').trigger('submit')
    await flushPromises()
    expect(bodies).toEqual([{
      name: 'stock', description: 'Stock of a product', method: 'POST', url: 'https://shop.example.com/stock/{sku}',
      parameters: { type: 'object', properties: { sku: { type: 'string' } }, required: ['sku'] },
      headers: { Authorization: 'Bearer ${WA_TOOL_SECRET_SHOP}' }, allowed_hosts: ['shop.example.com', 'cdn.example.com'],
      timeout_seconds: 3, max_response_bytes: 100000,
    }])
    expect(wrapper.find('.tool-editor').exists()).toBe(false)
    expect(wrapper.text()).toContain('stock')
    expect(calls.filter((c) => c === `GET ${A}/tools`)).toHaveLength(2) // the offered tools read again
  })

  it('shows the API refusal by the field it names, or on top, and keeps the editor open', async () => {
    signedInAs('operator')
    let answer = fail(422, "url placeholders ['sku'] are not parameters")
    backend({ [`POST ${A}/http-tools`]: () => answer })
    const wrapper = await loaded(HttpTools)
    await wrapper.findAll('button').find((b) => b.text() === 'New HTTP tool')!.trigger('click')
    await wrapper.find('#http-name-new').setValue('stock')
    await wrapper.find('.tool-editor').trigger('submit')
    await flushPromises()
    expect(wrapper.find('#http-url-new').element.closest('.field')!.textContent).toContain("url placeholders ['sku'] are not parameters")
    answer = fail(422, "the URL's host 'evil.example' is not on allowed_hosts")
    await wrapper.find('.tool-editor').trigger('submit')
    await flushPromises()
    expect(wrapper.find('.tool-editor .banner-error').text()).toContain('is not on allowed_hosts')
    await wrapper.find('#http-parameters-new').setValue('{not json')
    await wrapper.find('.tool-editor').trigger('submit')
    await flushPromises()
    expect(wrapper.find('#http-parameters-new').element.closest('.field')!.textContent).toContain('must be a JSON object')
  })

  it('edits a tool with PUT, keeping its secret by name, and deletes only after confirming', async () => {
    signedInAs('operator')
    const bodies: unknown[] = []
    const { calls } = backend({
      [`PUT ${A}/http-tools/t1`]: ({ body }) => {
        bodies.push(body)
        return ok({ ...TOOL, description: 'Changed' })
      },
      [`DELETE ${A}/http-tools/t1`]: () => ({ status: 204 }),
    })
    const wrapper = await loaded(HttpTools)
    await wrapper.find('[aria-label="Edit order_status"]').trigger('click')
    expect((wrapper.find('[aria-label="Header 1: variable name"]').element as HTMLInputElement).value).toBe('CRM')
    await wrapper.find('#http-description-t1').setValue('Changed')
    await wrapper.find('.tool-editor').trigger('submit')
    await flushPromises()
    expect(bodies[0]).toMatchObject({ description: 'Changed', headers: TOOL.headers })
    await wrapper.find('[aria-label="Delete order_status"]').trigger('click')
    expect(calls).not.toContain(`DELETE ${A}/http-tools/t1`)
    await flushPromises()
    const confirm = [...document.querySelectorAll('.dialog button')].find((b) => b.textContent === 'Delete') as HTMLButtonElement
    confirm.click()
    await flushPromises()
    expect(calls).toContain(`DELETE ${A}/http-tools/t1`)
    expect(wrapper.text()).toContain('No HTTP tools.')
  })
})

describe('MCP servers and approvals', () => {
  it('attaches a server with its allowed tools, and says which server is unreachable', async () => {
    signedInAs('operator')
    const bodies: unknown[] = []
    backend({
      [`POST ${A}/mcp-servers`]: ({ body }) => {
        bodies.push(body)
        return { status: 201, body: { ...SERVER, id: 'm2', name: 'erp' } }
      },
    })
    const wrapper = await loaded(McpServers)
    expect(wrapper.text()).toContain('Not reachable right now: crm (connection refused)')
    await wrapper.findAll('button').find((b) => b.text() === 'New MCP server')!.trigger('click')
    await wrapper.find('#mcp-name-new').setValue('erp')
    await wrapper.find('#mcp-url-new').setValue('https://erp.example.com/mcp')
    await wrapper.find('#mcp-tools-new').setValue('stock, price')
    await wrapper.find('.tool-editor').trigger('submit')
    await flushPromises()
    expect(bodies).toEqual([{ name: 'erp', url: 'https://erp.example.com/mcp', allowed_tools: ['stock', 'price'], headers: {}, timeout_seconds: 15 }])
  })

  it('switches a tool to need approval with PUT …/approval; a refusal puts the box back', async () => {
    signedInAs('operator')
    const bodies: unknown[] = []
    let answer = ok({ ...BUILTIN, requires_approval: true })
    backend({
      [`PUT ${A}/tools/current_time/approval`]: ({ body }) => {
        bodies.push(body)
        return answer
      },
    })
    const wrapper = await loaded(AgentToolList)
    const box = wrapper.find('[aria-label="current_time needs an operator’s approval"]')
    await box.setValue(true)
    await flushPromises()
    expect(bodies).toEqual([{ requires_approval: true }])
    expect(useAgentTools().tools[0]!.requires_approval).toBe(true)
    answer = fail(403, 'operators only')
    await box.setValue(false)
    await flushPromises()
    expect((box.element as HTMLInputElement).checked).toBe(true)
    expect(useToasts().toasts.value.map((x) => x.text)).toContain('operators only')
  })

  it('shows a viewer the approval flags as text, with no switch', async () => {
    signedInAs('viewer')
    backend({ [`GET ${A}/tools`]: () => ok({ items: [{ ...BUILTIN, requires_approval: true }], total: 1, limit: 200, offset: 0, unavailable: {} }) })
    const wrapper = await loaded(AgentToolList)
    expect(wrapper.find('input').exists()).toBe(false)
    expect(wrapper.text()).toContain('needs approval')
  })
})
