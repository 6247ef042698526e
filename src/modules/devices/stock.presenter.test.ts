import assert from 'node:assert/strict'
import path from 'node:path'
import { test } from 'node:test'
import { DEFAULT_LOCALE, type Locale, loadLocales, translator } from '#platform/i18n.ts'
import { createViews } from '#platform/views.ts'
import { APP_ROOT } from '#tests/support/hub.ts'
import {
  filterSelects,
  readyItemsHtml,
  selectHtml,
  stockMarkup,
  stockRowsHtml,
  stockWords,
} from './stock.presenter.ts'

const views = createViews(APP_ROOT, ['src/modules'])
const english = loadLocales([
  path.join(APP_ROOT, 'src/platform/locales'),
  path.join(APP_ROOT, 'src/modules/devices/locales'),
]).get(DEFAULT_LOCALE) as Locale
const t = translator(english, english)
const words = stockWords(t)

// The stock page's rows and ready list as its template wrote them, before they were written out in code.
const TEMPLATE_ROWS = `  {% for d in rows %}
  <tr class="govuk-table__row">
    <td class="govuk-table__cell"><a class="govuk-link" href="/staff/devices/{{ d.id }}">{{ d.asset_tag }}</a><br>{{ kindNames[d.kind] }}: {{ d.make_model }}<br><span class="govuk-body-s">{{ names[d.library_id] }}</span></td>
    <td class="govuk-table__cell">{{ stateNames[d.status] }}</td>
  </tr>
  {% endfor %}
`
const TEMPLATE_READY = '  {% for r in ready %}<li>{{ r }}</li>{% endfor %}\n'

const libraries = [
  { id: 'l1', name: `Queen's Park <Library> & "Annexe" \\ West` },
  { id: 'l2', name: 'Church Street Library' },
]
const names = new Map(libraries.map((l) => [l.id, l.name]))
const rows = [
  {
    id: 'd1',
    kind: 'laptop',
    make_model: 'Lenovo <b>T480</b> & "Pro"',
    asset_tag: 'DEV-AAAA',
    library_id: 'l1',
    status: 'ready',
  },
  {
    id: "d'2",
    kind: 'sim',
    make_model: `O'Neill\\s SIM`,
    asset_tag: 'DEV-<B>',
    library_id: 'l2',
    status: 'on-loan',
  },
  // A library or a word the page has no name for: empty, as the template left it.
  { id: 'd3', kind: 'drone', make_model: 'X', asset_tag: 'DEV-C', library_id: 'gone', status: 'flying' },
]
const ready = [
  { library_id: 'l1', kind: 'laptop', n: 3 },
  { library_id: 'l2', kind: 'sim', n: '1' },
  { library_id: 'gone', kind: 'tablet', n: 2 },
]

test("the stock's rows written out are the template's markup, escaped as it escapes", () => {
  const template = views.renderString(TEMPLATE_ROWS, {
    rows,
    ...words,
    names: Object.fromEntries(names),
  })
  // The page puts the rows between its tbody's lines: the template's output without its last newline.
  assert.equal(stockRowsHtml(rows, words, names), template.replace(/\n$/, ''))
  assert.match(stockRowsHtml(rows, words, names), /Lenovo &lt;b&gt;T480&lt;\/b&gt; &amp; &quot;Pro&quot;/)
})

test("the ready list written out is the template's markup", () => {
  const lines = ready.map((s) =>
    t('devices.stock.readyRow', {
      n: Number(s.n),
      kind: words.kindNames[s.kind] ?? '',
      library: names.get(s.library_id) ?? '',
    }),
  )
  const template = views.renderString(TEMPLATE_READY, { ready: lines })
  assert.equal(readyItemsHtml(ready, words, names, t), template.replace(/\n$/, ''))
  assert.match(readyItemsHtml(ready, words, names, t), /<li>3 Laptop at Queen&#39;s Park &lt;Library&gt;/)
})

test('the markup is made once for the same kept rows, libraries and language, and again for others', () => {
  const markup = stockMarkup()
  let looked = 0
  const counting: typeof t = (key, params) => {
    looked++
    return t(key, params)
  }
  const first = markup.rows(rows, libraries, 'en', counting)
  assert.equal(first, stockRowsHtml(rows, words, names))
  const lookups = looked
  assert.equal(markup.rows(rows, libraries, 'en', counting), first)
  assert.equal(looked, lookups, 'nothing looked up again')
  const renamed = [{ ...libraries[0], name: 'Queens Park Library' }, libraries[1]] as typeof libraries
  assert.match(markup.rows(rows, renamed, 'en', counting), /Queens Park Library/, 'other libraries')
  assert.match(markup.rows([...rows], libraries, 'en', counting), /Queen&#39;s Park/, 'other rows')
  assert.equal(markup.ready(ready, libraries, 'en', t), readyItemsHtml(ready, words, names, t))
})

test("the filter's selects written out are govukSelect's markup, escaped as it escapes", () => {
  const macro = (id: string, label: string, items: unknown[]) =>
    views.renderString(
      '{% from "govuk/components/select/macro.njk" import govukSelect %}{{ govukSelect(p) }}',
      { p: { label: { text: label }, id, name: id, items } },
    )
  const items = [
    { value: '', text: 'Any library' },
    { value: 'l1', text: `Queen's Park <Library> & "Annexe" \\ West`, selected: true },
    { value: 'a"b', text: '', selected: false },
  ]
  assert.equal(selectHtml('library', 'Library <b>', items), macro('library', 'Library <b>', items))
  const selects = filterSelects(t, words, libraries, { kind: 'sim', library: 'l2' })
  assert.equal(
    selects.kindSelect,
    macro('kind', 'Type', [
      { value: '', text: 'Any type' },
      ...Object.entries(words.kindNames).map(([value, text]) => ({ value, text, selected: value === 'sim' })),
    ]),
  )
  assert.match(selects.stateSelect, /<option value="">Any state<\/option>\n {4}<option value="received">/)
  assert.doesNotMatch(selects.stateSelect, / selected/, 'no state chosen')
  assert.match(selects.librarySelect, /<option value="l2" selected>Church Street Library<\/option>/)
})
