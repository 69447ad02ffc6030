import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { locale, setLocale } from './i18n'
import { makeRouter } from './router'
import { useAuth } from './stores/auth'
import { useLive } from './stores/live'
import './styles.css'

const app = createApp(App)
app.use(createPinia())
const router = makeRouter()
app.use(router)
setLocale(locale.value)
useAuth().onExpire(() => {
  useLive().stop()
  void router.push({ name: 'login' })
})
app.mount('#app')
