import fs from 'node:fs'
import path from 'node:path'

/**
 * Every word a resident sees comes from a locale file: the platform's in src/platform/locales/, each
 * module's in its own locales/ folder. English is the reference:
 * another language is a new file with the same keys (a test checks), and right-to-left languages
 * set `"dir": "rtl"` in their `_meta`.
 *
 * A value is a string with {placeholders}, or an object of plural forms chosen with Intl.PluralRules
 * (`{ "one": "...", "other": "..." }`; Arabic uses zero, one, two, few, many and other).
 */
export type Messages = { [key: string]: string | Messages }

export interface Locale {
  code: string
  name: string
  dir: 'ltr' | 'rtl'
  messages: Messages
}

export type Translate = (key: string, params?: Record<string, string | number>) => string

export const DEFAULT_LOCALE = 'en'

/**
 * The words of the platform and of every module, one folder each (`<folder>/<lang>.json`), merged into
 * one dictionary per language. The same key in two folders stops the start: each word has one owner.
 */
export function loadLocales(dirs: string[]): Map<string, Locale> {
  const merged = new Map<string, { messages: Messages; from: Map<string, string> }>()
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) continue
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const code = path.basename(file, '.json')
      const where = path.join(dir, file)
      const messages = JSON.parse(fs.readFileSync(where, 'utf8')) as Messages
      const into = merged.get(code) ?? { messages: {}, from: new Map() }
      mergeMessages(into.messages, messages, into.from, where)
      merged.set(code, into)
    }
  }
  const locales = new Map<string, Locale>()
  for (const [code, { messages }] of merged) {
    const meta = messages._meta as { name?: string; dir?: string } | undefined
    locales.set(code, { code, name: meta?.name ?? code, dir: meta?.dir === 'rtl' ? 'rtl' : 'ltr', messages })
  }
  if (!locales.has(DEFAULT_LOCALE)) throw new Error(`No ${DEFAULT_LOCALE}.json in ${dirs.join(', ')}`)
  return locales
}

/** Copies `source` into `target`; a word (or plural) already there, from another file, is an error. */
function mergeMessages(
  target: Messages,
  source: Messages,
  from: Map<string, string>,
  file: string,
  prefix = '',
): void {
  for (const [key, value] of Object.entries(source)) {
    const here = prefix ? `${prefix}.${key}` : key
    const existing = target[key]
    const isGroup = typeof value === 'object' && !isPlural(value)
    if (existing === undefined) {
      target[key] = isGroup ? {} : value
      if (!isGroup) from.set(here, file)
      else mergeMessages(target[key] as Messages, value, from, file, here)
    } else if (isGroup && typeof existing === 'object' && !isPlural(existing)) {
      mergeMessages(existing, value, from, file, here)
    } else {
      throw new Error(
        `The word ${here} is defined twice: in ${from.get(here) ?? 'another file'} and in ${file}`,
      )
    }
  }
}

/** Keys of `reference` that `other` lacks, as dotted paths; plural objects count as one key each. */
export function missingKeys(reference: Messages, other: Messages, prefix = ''): string[] {
  const missing: string[] = []
  for (const [key, value] of Object.entries(reference)) {
    if (key === '_meta') continue
    const here = prefix ? `${prefix}.${key}` : key
    const theirs = other[key]
    if (theirs === undefined) missing.push(here)
    else if (typeof value === 'object' && !isPlural(value)) {
      if (typeof theirs !== 'object') missing.push(here)
      else missing.push(...missingKeys(value, theirs, here))
    }
  }
  return missing
}

const PLURAL_FORMS = new Set(['zero', 'one', 'two', 'few', 'many', 'other'])

function isPlural(value: Messages): boolean {
  return 'other' in value && Object.keys(value).every((k) => PLURAL_FORMS.has(k))
}

function lookup(messages: Messages, key: string): string | Messages | undefined {
  let node: string | Messages | undefined = messages
  for (const part of key.split('.')) {
    if (typeof node !== 'object') return undefined
    node = node[part]
  }
  return node
}

export function translator(locale: Locale, fallback: Locale): Translate {
  const plurals = new Intl.PluralRules(locale.code)
  // A plural's count is written as the language groups thousands ("1,000"), in the digits the Hub uses.
  const counts = new Intl.NumberFormat(locale.code, { numberingSystem: 'latn' })
  // A page asks for dozens of words on every request: each key found is looked up once. Only keys
  // found are kept, so a key made from data that has no word cannot grow it.
  const found = new Map<string, string | Messages>()
  // Each word with {placeholders}, cut once at them: text, name, text, name, ..., text.
  const cut = new Map<string, string[]>()
  return (key, params = {}) => {
    let value = found.get(key)
    if (value === undefined) {
      value = lookup(locale.messages, key) ?? lookup(fallback.messages, key)
      if (value === undefined) throw new Error(`No translation for ${key}`)
      found.set(key, value)
    }
    if (typeof value === 'object') {
      const count = Number(params.count ?? 0)
      value = value[plurals.select(count)] ?? value.other
      if (typeof value !== 'string') throw new Error(`Translation ${key} is not a plural`)
    }
    if (!value.includes('{')) return value
    let parts = cut.get(value)
    if (parts === undefined) {
      parts = value.split(/\{(\w+)\}/)
      cut.set(value, parts)
    }
    let text = parts[0] as string
    for (let i = 1; i < parts.length; i += 2) {
      const name = parts[i] as string
      const param = params[name]
      const shown = name === 'count' && typeof param === 'number' ? counts.format(param) : param
      text += String(shown ?? `{${name}}`) + (parts[i + 1] as string)
    }
    return text
  }
}

/** The person's choice (a cookie set by the language links), else their browser's, else English. */
export function chooseLocale(
  locales: Map<string, Locale>,
  cookie: string | undefined,
  acceptLanguage: string | undefined,
): Locale {
  if (cookie && locales.has(cookie)) return locales.get(cookie) as Locale
  for (const code of acceptedLanguages(acceptLanguage ?? '')) {
    if (locales.has(code)) return locales.get(code) as Locale
  }
  return locales.get(DEFAULT_LOCALE) as Locale
}

/** Language codes (region dropped) from Accept-Language, most wanted first; `q=0` means "not this one". */
function acceptedLanguages(header: string): string[] {
  return header
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.split(';')
      const q = params.map((p) => p.trim().match(/^q=([0-9.]+)$/i)?.[1]).find((v) => v !== undefined)
      return {
        code: tag?.trim().toLowerCase().split('-')[0] ?? '',
        q: q === undefined ? 1 : Number(q),
        index,
      }
    })
    .filter((l) => l.code && l.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((l) => l.code)
}
