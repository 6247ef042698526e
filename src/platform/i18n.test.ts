import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, test } from 'node:test'
import {
  chooseLocale,
  DEFAULT_LOCALE,
  type Locale,
  loadLocales,
  type Messages,
  missingKeys,
  translator,
} from './i18n.ts'

const SRC = path.resolve(import.meta.dirname, '..')
/** The platform's words and every module's, as found on disk. */
const LOCALE_FOLDERS = [
  path.join(SRC, 'platform/locales'),
  ...fs.readdirSync(path.join(SRC, 'modules')).map((m) => path.join(SRC, 'modules', m, 'locales')),
]

/** Every string's {placeholders}, by dotted key, so a translation that drops one is caught. */
function placeholders(messages: Messages, prefix = ''): Map<string, string[]> {
  const found = new Map<string, string[]>()
  for (const [key, value] of Object.entries(messages)) {
    if (key === '_meta') continue
    const here = prefix ? `${prefix}.${key}` : key
    if (typeof value === 'string')
      found.set(here, [...value.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort())
    else for (const [k, v] of placeholders(value, here)) found.set(k, v)
  }
  return found
}

const locale = (code: string, messages: Messages, dir: 'ltr' | 'rtl' = 'ltr'): Locale => ({
  code,
  name: code,
  dir,
  messages,
})

describe('locale files', () => {
  const locales = loadLocales(LOCALE_FOLDERS)
  const english = locales.get(DEFAULT_LOCALE) as Locale

  test('English is there and is not empty', () => {
    assert.equal(english.dir, 'ltr')
    assert.ok(Object.keys(english.messages).length > 3)
  })

  for (const [code, other] of locales) {
    if (code === DEFAULT_LOCALE) continue
    test(`${code}.json has every key en.json has`, () => {
      assert.deepEqual(missingKeys(english.messages, other.messages), [])
    })
    test(`${code}.json keeps every {placeholder} of en.json`, () => {
      const theirs = placeholders(other.messages)
      for (const [key, names] of placeholders(english.messages)) {
        const translated = theirs.get(key)
        if (translated) assert.deepEqual(translated, names, key)
      }
    })
    test(`${code}.json has a name and a direction`, () => {
      const meta = other.messages._meta as { name?: string; dir?: string } | undefined
      assert.ok(meta?.name, 'a _meta.name for the language switcher')
      assert.ok(meta?.dir === 'ltr' || meta?.dir === 'rtl', '_meta.dir is ltr or rtl')
    })
  }

  test('a locale file is loaded with its direction, and a missing en.json is refused', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-locales-'))
    fs.writeFileSync(path.join(dir, 'ar.json'), JSON.stringify({ _meta: { name: 'العربية', dir: 'rtl' } }))
    assert.throws(() => loadLocales([dir]), /No en\.json/)
    fs.writeFileSync(path.join(dir, 'en.json'), JSON.stringify({ a: 'A' }))
    const loaded = loadLocales([dir])
    assert.deepEqual([...loaded.values()].map((l) => [l.code, l.name, l.dir]).sort(), [
      ['ar', 'العربية', 'rtl'],
      ['en', 'en', 'ltr'],
    ])
  })
})

describe('words from several folders', () => {
  function folder(files: Record<string, Messages>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-locales-'))
    for (const [name, messages] of Object.entries(files))
      fs.writeFileSync(path.join(dir, name), JSON.stringify(messages))
    return dir
  }

  test('are merged into one dictionary per language, groups and all', () => {
    const platform = folder({ 'en.json': { layout: { skip: 'Skip' } } })
    const module = folder({ 'en.json': { layout: { extra: 'Extra' }, refer: { title: 'Ask' } } })
    const en = loadLocales([platform, module]).get('en') as Locale
    assert.deepEqual(en.messages, { layout: { skip: 'Skip', extra: 'Extra' }, refer: { title: 'Ask' } })
  })

  test('a word defined in two folders stops the start, naming it and both files', () => {
    const one = folder({ 'en.json': { refer: { title: 'Ask for help' } } })
    const two = folder({ 'en.json': { refer: { title: 'Get help' } } })
    assert.throws(
      () => loadLocales([one, two]),
      (e: Error) =>
        e.message.includes('refer.title is defined twice') &&
        e.message.includes(one) &&
        e.message.includes(two),
    )
    const plural = folder({ 'en.json': { refer: { title: { one: 'a', other: 'b' } } } })
    assert.throws(() => loadLocales([one, plural]), /refer\.title is defined twice/)
  })
})

describe('missingKeys', () => {
  const reference: Messages = {
    _meta: { name: 'English', dir: 'ltr' },
    title: 'Title',
    home: { lead: 'Lead', help: { devices: 'Devices', data: 'Data' } },
    results: { one: '{count} result', other: '{count} results' },
  }

  test('a complete locale lacks nothing, whatever plural forms its language uses', () => {
    const arabic: Messages = {
      _meta: { name: 'العربية', dir: 'rtl' },
      title: 'ع',
      home: { lead: 'ع', help: { devices: 'ع', data: 'ع' } },
      results: { zero: 'ع', one: 'ع', two: 'ع', few: 'ع', many: 'ع', other: 'ع' },
    }
    assert.deepEqual(missingKeys(reference, arabic), [])
  })

  test('names each missing key by its dotted path', () => {
    const incomplete: Messages = { home: { help: { devices: 'Appareils' } } }
    assert.deepEqual(missingKeys(reference, incomplete), ['title', 'home.lead', 'home.help.data', 'results'])
  })

  test('a string where a group of keys should be counts as missing', () => {
    assert.deepEqual(missingKeys(reference, { title: 'T', home: 'oops', results: { other: 'x' } }), ['home'])
  })
})

describe('translator', () => {
  const english = locale('en', {
    greeting: 'Hello {name}, welcome to {place}',
    results: { one: '{count} result', other: '{count} results' },
    onlyEnglish: 'Only in English',
  })

  test('fills placeholders, and leaves an unknown one visible rather than blank', () => {
    const t = translator(english, english)
    assert.equal(
      t('greeting', { name: 'Ada', place: 'Kensington Central Library' }),
      'Hello Ada, welcome to Kensington Central Library',
    )
    assert.equal(t('greeting', { name: 'Ada' }), 'Hello Ada, welcome to {place}')
  })

  test('English plurals: one and other', () => {
    const t = translator(english, english)
    assert.equal(t('results', { count: 1 }), '1 result')
    assert.equal(t('results', { count: 0 }), '0 results')
    assert.equal(t('results', { count: 2 }), '2 results')
    assert.equal(t('results', { count: 12_500 }), '12,500 results', 'thousands grouped')
  })

  test('Arabic plurals: zero, one, two, few, many and other, chosen by Intl.PluralRules', () => {
    const arabic = locale(
      'ar',
      {
        results: {
          zero: 'لا نتائج',
          one: 'نتيجة واحدة',
          two: 'نتيجتان',
          few: '{count} نتائج',
          many: '{count} نتيجة',
          other: '{count} نتيجة (other)',
        },
      },
      'rtl',
    )
    const t = translator(arabic, english)
    assert.equal(t('results', { count: 0 }), 'لا نتائج')
    assert.equal(t('results', { count: 1 }), 'نتيجة واحدة')
    assert.equal(t('results', { count: 2 }), 'نتيجتان')
    assert.equal(t('results', { count: 3 }), '3 نتائج')
    assert.equal(t('results', { count: 10 }), '10 نتائج')
    assert.equal(t('results', { count: 11 }), '11 نتيجة')
    assert.equal(t('results', { count: 99 }), '99 نتيجة')
    assert.equal(t('results', { count: 100 }), '100 نتيجة (other)')
    assert.equal(t('results', { count: 102 }), '102 نتيجة (other)')
  })

  test('a plural form a translation lacks falls back to its "other"', () => {
    const partial = locale('ar', { results: { one: 'واحدة', other: '{count} أخرى' } })
    const t = translator(partial, english)
    assert.equal(t('results', { count: 1 }), 'واحدة')
    assert.equal(t('results', { count: 2 }), '2 أخرى')
  })

  test('a key the translation lacks falls back to English; a key no one has is an error', () => {
    const t = translator(locale('cy', { greeting: 'Helo {name}' }), english)
    assert.equal(t('greeting', { name: 'Ada' }), 'Helo Ada')
    assert.equal(t('onlyEnglish'), 'Only in English')
    assert.throws(() => t('nowhere'), /No translation for nowhere/)
    // Asked again, from the words already looked up: the same answers.
    assert.equal(t('greeting', { name: 'Grace' }), 'Helo Grace')
    assert.equal(t('onlyEnglish'), 'Only in English')
    assert.throws(() => t('nowhere'), /No translation for nowhere/)
  })
})

describe('chooseLocale', () => {
  const locales = new Map<string, Locale>([
    ['en', locale('en', {})],
    ['ar', locale('ar', {}, 'rtl')],
    ['pl', locale('pl', {})],
  ])
  const choose = (cookie?: string, accept?: string) => chooseLocale(locales, cookie, accept).code

  test('the language cookie wins when it names a language we have', () => {
    assert.equal(choose('ar', 'pl'), 'ar')
    assert.equal(choose('xx', 'pl'), 'pl')
    assert.equal(choose('__proto__', undefined), 'en')
  })

  test("the browser's Accept-Language, by region-free language code", () => {
    assert.equal(choose(undefined, 'ar-EG,ar;q=0.9,en;q=0.8'), 'ar')
    assert.equal(choose(undefined, 'fr-FR, PL;q=0.5'), 'pl')
    assert.equal(choose(undefined, 'fr, de'), 'en')
    assert.equal(choose(undefined, ''), 'en')
    assert.equal(choose(undefined, undefined), 'en')
  })

  test('Accept-Language preferences by their q weight, not by their order; q=0 means "not this"', () => {
    assert.equal(choose(undefined, 'en;q=0.2, ar;q=0.9'), 'ar')
    assert.equal(choose(undefined, 'pl;q=0, ar;q=0.1'), 'ar')
    assert.equal(choose(undefined, 'pl;q=0'), 'en')
    assert.equal(choose(undefined, 'pl;q=0.5, ar'), 'ar', 'no q means 1')
  })
})
