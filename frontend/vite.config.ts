import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

// `npm run dev` serves the dashboard on :5173 and proxies the API to `wa-agents serve` on :8000
// (override with WA_API=http://host:port).
declare const process: { env: Record<string, string | undefined> }
const api = process.env.WA_API ?? 'http://127.0.0.1:8000'

export default defineConfig({
  plugins: [vue()],
  server: {
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/schema': { target: api },
      '/ready': { target: api },
    },
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 400 },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.spec.ts'],
    restoreMocks: true,
  },
})
