// A small i18n: one locale file per language, `t('a.b', {n: 1})`, the choice remembered.
import { computed, ref } from 'vue'
import en, { type Messages } from './en'
import ptBR from './pt-BR'

export const LOCALES = { en: 'English', 'pt-BR': 'Português (Brasil)' } as const
export type Locale = keyof typeof LOCALES
const CATALOGS: Record<Locale, Messages> = { en, 'pt-BR': ptBR }
const KEY = 'wa.locale'

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>
}[keyof T & string]
export type MessageKey = Leaves<Messages>

function initial(): Locale {
  const saved = globalThis.localStorage?.getItem(KEY)
  if (saved && saved in CATALOGS) return saved as Locale
  return globalThis.navigator?.language?.toLowerCase().startsWith('pt') ? 'pt-BR' : 'en'
}

export const locale = ref<Locale>(initial())

export function setLocale(next: Locale): void {
  locale.value = next
  globalThis.localStorage?.setItem(KEY, next)
  if (globalThis.document) document.documentElement.lang = next
}

function lookup(messages: Messages, key: string): string | undefined {
  let node: unknown = messages
  for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part]
  return typeof node === 'string' ? node : undefined
}

export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = lookup(CATALOGS[locale.value], key) ?? lookup(en, key) ?? key
  return text.replace(/\{(\w+)\}/g, (all, name: string) => String(params[name] ?? all))
}

/** A dynamic key (an enum value from the API) that may have no string: shown as is. */
export function tOr(key: string, fallback: string): string {
  return lookup(CATALOGS[locale.value], key) ?? fallback
}

export const dateFormat = computed(
  () => new Intl.DateTimeFormat(locale.value, { dateStyle: 'short', timeStyle: 'short' }),
)
export const timeFormat = computed(
  () => new Intl.DateTimeFormat(locale.value, { hour: '2-digit', minute: '2-digit' }),
)

const money = computed(() => new Intl.NumberFormat(locale.value, { style: 'currency', currency: 'USD', maximumFractionDigits: 6 }))
/** US dollars, as the API counts cost, with the small fractions a single reply costs. */
export function usd(value: number): string {
  return money.value.format(value)
}

export function formatDate(value: string | null | undefined): string {
  return value ? dateFormat.value.format(new Date(value)) : '—'
}

export function relative(value: string | null | undefined, now = Date.now()): string {
  if (!value) return '—'
  const seconds = Math.round((new Date(value).getTime() - now) / 1000)
  const rtf = new Intl.RelativeTimeFormat(locale.value, { numeric: 'auto' })
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [['day', 86400], ['hour', 3600], ['minute', 60]]
  for (const [unit, size] of steps) if (Math.abs(seconds) >= size) return rtf.format(Math.round(seconds / size), unit)
  return rtf.format(seconds, 'second')
}
