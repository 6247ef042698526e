import assert from 'node:assert/strict'
import path from 'node:path'
import { test } from 'node:test'
import { APP_ROOT } from '#tests/support/hub.ts'
import { DEFAULT_LOCALE, type Locale, loadLocales, translator } from './i18n.ts'
import { createViews, formatDate, formatDateTime } from './views.ts'

const views = createViews(APP_ROOT, ['src/modules'])
const english = loadLocales([path.join(APP_ROOT, 'src/platform/locales')]).get(DEFAULT_LOCALE) as Locale

function renderHome(locale: Locale): string {
  return views.render('pages/cookies.njk', {
    t: translator(locale, english),
    locale,
    cspNonce: 'n',
    serviceName: 'Hub',
    partnershipName: 'Partnership',
    navigation: [],
    query: {},
  })
}

test('a right-to-left language sets dir and takes the mirrored stylesheet', () => {
  const arabic: Locale = {
    code: 'ar',
    name: 'العربية',
    dir: 'rtl',
    messages: { cookies: { title: 'ملفات تعريف الارتباط' } },
  }
  const html = renderHome(arabic)
  assert.match(html, /<html lang="ar" dir="rtl"/)
  assert.match(html, /href="\/assets\/hub\.rtl\.css"/)
  assert.match(html, /<h1 class="govuk-heading-l">ملفات تعريف الارتباط<\/h1>/)
  // Keys the locale lacks fall back to English rather than breaking the page.
  assert.match(html, /Cookies we use/)
})

test('English pages are left to right with the ordinary stylesheet', () => {
  const html = renderHome(english)
  assert.match(html, /<html lang="en" dir="ltr"/)
  assert.match(html, /href="\/assets\/hub\.css"/)
})

test("the page frame writes nothing past Latin-1 itself, so an English page is encoded at one byte's cost", () => {
  const html = renderHome(english)
  // Written as Latin-1 and read back, a character past it would come back changed.
  assert.equal(Buffer.from(html, 'latin1').toString('latin1'), html)
  assert.match(html, /<title>[^<]+ &ndash; Hub<\/title>/)
})

test('what people typed is escaped, never run', () => {
  const html = views.renderString('{{ name }}', { name: '<script>alert(1)</script>' })
  assert.equal(html, '&lt;script&gt;alert(1)&lt;/script&gt;')
})

test('dates and times are shown in London time', () => {
  assert.equal(formatDate('2026-07-01'), '1 July 2026')
  // London's date, not UTC's: kept by the hour, so the hour after 23:00 UTC in summer is the next day.
  assert.equal(formatDate('2026-07-01T22:59:59.000Z'), '1 July 2026')
  assert.equal(formatDate('2026-07-01T23:00:00.000Z'), '2 July 2026')
  assert.equal(formatDate('2026-12-01T23:30:00.000Z'), '1 December 2026')
  assert.equal(formatDateTime('2026-07-01T23:30:00.000Z'), '2 Jul 2026, 00:30')
  assert.equal(formatDateTime('2026-12-01T23:30:00.000Z'), '1 Dec 2026, 23:30')
})

test("a component's kept markup is the macro's, for each set of parameters", () => {
  const macro = (text: string) =>
    views
      .renderString(
        `{% from "govuk/components/service-navigation/macro.njk" import govukServiceNavigation %}{{ govukServiceNavigation(p) }}`,
        { p: { serviceName: 'Hub', navigation: [{ href: '/staff/users', text, active: true }] } },
      )
      .trim()
  const kept = (text: string) =>
    views
      .renderString(`{{ component('service-navigation', p) }}`, {
        p: { serviceName: 'Hub', navigation: [{ href: '/staff/users', text, active: true }] },
      })
      .trim()
  assert.equal(kept('Users'), macro('Users'))
  assert.equal(kept('Users'), macro('Users'), 'the second call, from what was kept')
  assert.equal(kept('Accounts'), macro('Accounts'), 'other parameters, other markup')
  assert.match(kept('<b>'), /&lt;b&gt;/, 'escaped as the macro escapes')
})

test("a component kept under a key given is the macro's markup, and the key alone finds it again", () => {
  const macro = views.renderString(
    `{% from "govuk/components/select/macro.njk" import govukSelect %}{{ govukSelect(p) }}`,
    { p: { id: 'day', name: 'day', items: [{ value: '1', text: 'Monday', selected: true }] } },
  )
  const kept = (text: string, key: string) =>
    views.renderString(`{{ component('select', p, key) }}`, {
      p: { id: 'day', name: 'day', items: [{ value: '1', text, selected: true }] },
      key,
    })
  assert.equal(kept('Monday', 'days en 1'), macro)
  assert.equal(kept('Lundi', 'days en 1'), macro, "what the key names is the caller's to name")
  assert.match(kept('Lundi', 'days fr 1'), /Lundi/)
})

test('kept markup writes dashes and curly quotes as references, so a page of it stays one byte a character', () => {
  const p = { id: 'need', name: 'need', items: [{ value: 'laptops', text: '— Laptops ‘loaned’' }] }
  const kept = views.renderString(`{{ component('select', p) }}`, { p })
  assert.match(kept, /<option value="laptops">&#8212; Laptops &#8216;loaned&#8217;<\/option>/)
  assert.equal(Buffer.from(kept, 'latin1').toString('latin1'), kept)
  // Letters past Latin-1 (a language's own) are left as they are.
  assert.match(views.renderString(`{{ component('tag', p) }}`, { p: { text: 'ملفات' } }), /ملفات/)
})

test("the kept button and tag of the staff tables are the macros' markup", () => {
  const cases = [
    ['button', 'govukButton', { text: 'Invite a user', href: '/staff/users/new' }],
    ['tag', 'govukTag', { text: 'Active', classes: 'govuk-tag--green' }],
  ] as const
  for (const [name, macro, p] of cases) {
    const made = views.renderString(
      `{% from "govuk/components/${name}/macro.njk" import ${macro} %}{{ ${macro}(p) }}`,
      { p },
    )
    assert.equal(views.renderString(`{{ component('${name}', p) }}`, { p }), made)
  }
})

test('a macro file imported without context is run once; imported with context, for each page', () => {
  const env = createViews(APP_ROOT, ['tests/fixtures/views'])
  let runs = 0
  env.addGlobal('count', () => ++runs)
  for (const name of ['A', 'B', 'C'])
    assert.equal(
      env.renderString(`{% from "counted-macros.njk" import hello %}{{ hello(n) }}`, { n: name }).trim(),
      `Hello ${name}`,
    )
  assert.equal(runs, 1)
  for (const who of ['Ada', 'Grace'])
    assert.equal(
      env.renderString(`{% from "page-macros.njk" import greet with context %}{{ greet() }}`, { who }).trim(),
      `Hello ${who}`,
    )
})
