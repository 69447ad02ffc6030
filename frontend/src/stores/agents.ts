// Agents: what answers the messages of a number.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { agents as api } from '../api/endpoints'
import type { Agent, AgentChanges, AgentInput } from '../api/types'

export const useAgents = defineStore('agents', () => {
  const items = ref<Agent[]>([])
  const loading = ref(false)
  const error = ref<unknown>(null)
  const loaded = ref(false)

  async function load(): Promise<void> {
    loading.value = true
    error.value = null
    try {
      items.value = (await api.list({ limit: 500 })).items
      loaded.value = true
    } catch (e) {
      error.value = e
    } finally {
      loading.value = false
    }
  }

  async function create(input: AgentInput): Promise<Agent> {
    const agent = await api.create(input)
    items.value.push(agent)
    return agent
  }

  async function update(id: string, changes: AgentChanges): Promise<Agent> {
    const agent = await api.update(id, changes)
    items.value = items.value.map((a) => (a.id === id ? agent : a))
    return agent
  }

  async function remove(id: string): Promise<void> {
    await api.remove(id)
    items.value = items.value.filter((a) => a.id !== id)
  }

  const name = (id: string | null | undefined) => items.value.find((a) => a.id === id)?.name

  return { items, loading, error, loaded, load, create, update, remove, name }
})
