// The tools of the agent on screen: its HTTP tools, its MCP servers, and every tool its model
// is offered (built-in, HTTP, MCP) with the approval flag. Changing one reads the list again.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { agentTools, httpTools, mcpServers } from '../api/endpoints'
import type { AgentTool, HttpTool, HttpToolInput, McpServer, McpServerInput } from '../api/types'

export const useAgentTools = defineStore('agentTools', () => {
  const agent = ref<string | null>(null)
  const http = ref<HttpTool[]>([])
  const mcp = ref<McpServer[]>([])
  const tools = ref<AgentTool[]>([])
  const unavailable = ref<Record<string, string>>({})
  const loading = ref(false)
  const error = ref<unknown>(null)

  async function refreshTools(): Promise<void> {
    const id = agent.value
    if (!id) return
    const page = await agentTools.list(id)
    if (id !== agent.value) return
    tools.value = page.items
    unavailable.value = page.unavailable
  }

  async function load(id: string): Promise<void> {
    if (id !== agent.value) {
      http.value = []
      mcp.value = []
      tools.value = []
      unavailable.value = {}
    }
    agent.value = id
    loading.value = true
    error.value = null
    try {
      const [h, m] = await Promise.all([httpTools.list(id), mcpServers.list(id), refreshTools()])
      if (id !== agent.value) return
      http.value = h.items
      mcp.value = m.items
    } catch (e) {
      error.value = e
    } finally {
      loading.value = false
    }
  }

  const current = (): string => {
    if (!agent.value) throw new Error('no agent loaded')
    return agent.value
  }

  /** Create (no id) or replace an HTTP tool; the API's refusal is thrown to the form. */
  async function saveHttp(input: HttpToolInput, id?: string): Promise<HttpTool> {
    const a = current()
    const saved = id ? await httpTools.replace(a, id, input) : await httpTools.create(a, input)
    http.value = id ? http.value.map((x) => (x.id === id ? saved : x)) : [...http.value, saved]
    void refreshTools().catch(() => {})
    return saved
  }

  async function removeHttp(id: string): Promise<void> {
    await httpTools.remove(current(), id)
    http.value = http.value.filter((x) => x.id !== id)
    void refreshTools().catch(() => {})
  }

  async function saveMcp(input: McpServerInput, id?: string): Promise<McpServer> {
    const a = current()
    const saved = id ? await mcpServers.replace(a, id, input) : await mcpServers.create(a, input)
    mcp.value = id ? mcp.value.map((x) => (x.id === id ? saved : x)) : [...mcp.value, saved]
    void refreshTools().catch(() => {})
    return saved
  }

  async function removeMcp(id: string): Promise<void> {
    await mcpServers.remove(current(), id)
    mcp.value = mcp.value.filter((x) => x.id !== id)
    void refreshTools().catch(() => {})
  }

  async function setApproval(name: string, required: boolean): Promise<void> {
    const changed = await agentTools.setApproval(current(), name, required)
    tools.value = tools.value.map((x) => (x.name === name ? { ...x, requires_approval: changed.requires_approval } : x))
  }

  return {
    agent, http, mcp, tools, unavailable, loading, error,
    load, refreshTools, saveHttp, removeHttp, saveMcp, removeMcp, setApproval,
  }
})
