// The pages, and the guards: sign in first; admins only for Users.
import { createRouter, createWebHistory, type RouteRecordRaw, type Router } from 'vue-router'
import type { Role } from '../api/types'
import { useAuth } from '../stores/auth'
import { useLive } from '../stores/live'
import LoginView from '../views/LoginView.vue'
import OverviewView from '../views/OverviewView.vue'

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean
    role?: Role
  }
}

export const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: LoginView, meta: { public: true } },
  { path: '/', name: 'overview', component: OverviewView },
  { path: '/inbox/:session?/:jid?', name: 'inbox', component: () => import('../views/InboxView.vue') },
  { path: '/search', name: 'search', component: () => import('../views/SearchView.vue') },
  { path: '/numbers', name: 'numbers', component: () => import('../views/NumbersView.vue') },
  { path: '/agents/:id?', name: 'agents', component: () => import('../views/AgentsView.vue') },
  { path: '/approvals', name: 'approvals', component: () => import('../views/ApprovalsView.vue') },
  { path: '/jobs', name: 'jobs', component: () => import('../views/JobsView.vue') },
  { path: '/logs', name: 'logs', component: () => import('../views/LogsView.vue') },
  { path: '/audit', name: 'audit', component: () => import('../views/AuditView.vue') },
  { path: '/users', name: 'users', component: () => import('../views/UsersView.vue'), meta: { role: 'admin' } },
  { path: '/:rest(.*)*', name: 'not-found', component: () => import('../views/NotFoundView.vue') },
]

export function installGuards(router: Router): void {
  let restored: Promise<void> | null = null
  router.beforeEach(async (to) => {
    const auth = useAuth()
    restored ??= auth.restore()
    await restored
    if (to.meta.public) return auth.signedIn && to.name === 'login' ? { path: '/' } : true
    if (!auth.signedIn) return { name: 'login', query: to.fullPath === '/' ? {} : { next: to.fullPath } }
    if (to.meta.role && !auth.can(to.meta.role)) return { path: '/' }
    useLive().start()
    return true
  })
}

export function makeRouter(): Router {
  const router = createRouter({ history: createWebHistory(), routes })
  installGuards(router)
  return router
}
