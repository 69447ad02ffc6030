import { describe, expect, it } from 'vitest'
import en from './en'
import { locale, setLocale, t } from './index'
import ptBR from './pt-BR'

function keys(node: object, prefix = ''): string[] {
  return Object.entries(node).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : keys(v, `${prefix}${k}.`)))
}

describe('i18n', () => {
  it('switches language and remembers the choice', () => {
    setLocale('pt-BR')
    expect(t('nav.inbox')).toBe('Caixa de entrada')
    expect(localStorage.getItem('wa.locale')).toBe('pt-BR')
    expect(document.documentElement.lang).toBe('pt-BR')
    setLocale('en')
    expect(locale.value).toBe('en')
    expect(t('nav.inbox')).toBe('Inbox')
  })

  it('fills parameters', () => {
    setLocale('en')
    expect(t('auth.throttled', { seconds: 42 })).toBe('Too many attempts. Try again in 42 s.')
  })

  it('has every English string in Brazilian Portuguese, with the same parameters', () => {
    expect(keys(ptBR)).toEqual(keys(en))
    const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
    for (const key of keys(en)) {
      const pick = (c: object) => key.split('.').reduce<unknown>((n, p) => (n as Record<string, unknown>)[p], c) as string
      expect(params(pick(ptBR)), key).toEqual(params(pick(en)))
    }
  })
})
