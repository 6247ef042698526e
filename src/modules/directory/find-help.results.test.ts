import assert from 'node:assert/strict'
import path from 'node:path'
import { test } from 'node:test'
import { DEFAULT_LOCALE, type Locale, loadLocales, translator } from '#platform/i18n.ts'
import { createViews } from '#platform/views.ts'
import { APP_ROOT } from '#tests/support/hub.ts'
import { type KeptResults, type ListedService, pagination, resultsList } from './find-help.results.ts'
import { HOW_TO_GET } from './reference-taxonomy.ts'

const views = createViews(APP_ROOT, ['src/modules'])
const english = loadLocales(
  ['src/platform/locales', 'src/modules/directory/locales'].map((d) => path.join(APP_ROOT, d)),
).get(DEFAULT_LOCALE) as Locale
const t = translator(english, english)

/** find-help.njk's results and pages as they were, through the template and the macros. */
const MACROS = `    <ol class="govuk-list hub-results">
      {% for s in services %}
      <li class="govuk-!-margin-bottom-6">
        <h3 class="govuk-heading-s govuk-!-margin-bottom-1"><a class="govuk-link" href="/find-help/services/{{ s.id }}{% if near %}?near={{ near | urlencode }}{% endif %}">{{ s.name }}</a></h3>
        <p class="govuk-body-s govuk-!-margin-bottom-1">{{ t('findHelp.runBy', { organisation: s.organisation.name }) }}</p>
        <p class="govuk-body govuk-!-margin-bottom-1">{{ s.description }}</p>
        <p class="govuk-body-s govuk-!-margin-bottom-0">
          {{ component('tag', { text: t('findHelp.howToGet.' + s.how_to_get), classes: 'govuk-tag--blue' }) }}
          {% if s.best %}
            {% set dist = t('findHelp.distanceKm', { km: (s.best.distanceMetres / 1000) | round(1) }) if s.best.distanceMetres !== null else s.best.borough %}
            {{ t('findHelp.nearest', { place: s.best.name, distance: dist }) }}
          {% elif s.how_to_get == 'online' %}{{ t('findHelp.online') }}
          {% elif s.how_to_get == 'home-visit' %}{{ t('findHelp.atHome') }}{% endif %}
        </p>
      </li>
      {% endfor %}
    </ol>
    {% if pages > 1 %}
      {% set items = [] %}
      {% for n in range(1, pages + 1) %}{% if n == 1 or n == pages or (n - page) | abs <= 2 %}{% set items = (items.push({ number: n, href: pageLink(n), current: n == page }), items) %}{% elif (n - page) | abs == 3 %}{% set items = (items.push({ ellipsis: true }), items) %}{% endif %}{% endfor %}
      {{ component('pagination', {
        previous: { href: pageLink(page - 1), text: t('findHelp.previous') } if page > 1 else undefined,
        next: { href: pageLink(page + 1), text: t('findHelp.next') } if page < pages else undefined,
        items: items,
        landmarkLabel: t('findHelp.pageOf', { page: page, pages: pages })
      }) }}
    {% endif %}
`

/** The same lines of find-help.njk now. */
const WRITTEN = `    {{ results | safe }}
    {% if pages > 1 %}
      {{ paging | safe }}
    {% endif %}
`

function both(
  services: ListedService[],
  near: string | undefined,
  page: number,
  pages: number,
  kept?: KeptResults,
) {
  const pageLink = (n: number) => `/find-help?need=skills&postcode=W2+1AA&feature=<"b">&page=${n}`
  const context = { t, services, near, page, pages, pageLink }
  return {
    macros: views.renderString(MACROS, context),
    written: views.renderString(WRITTEN, {
      results: resultsList(t, services, near, kept),
      pages,
      paging: pages > 1 ? pagination(t, page, pages, pageLink) : '',
    }),
  }
}

const awkward = `<b>"Tom's" & \\ co</b>`
const service = (n: number, changes: Partial<ListedService> = {}): ListedService => ({
  id: `0190a1b2-0000-7000-8000-${String(n).padStart(12, '0')}`,
  name: `Service ${n}`,
  description: `What service ${n} does.`,
  organisation: { name: `Organisation ${n}` },
  how_to_get: HOW_TO_GET[n % HOW_TO_GET.length] as string,
  best: null,
  ...changes,
})

test('the results are the template and tag macro markup, byte for byte, escaped as they escape', () => {
  const services = [
    ...HOW_TO_GET.map((how, n) => service(n, { how_to_get: how })),
    ...[0, 49, 950, 1049.99, 3949, 10_000, 123_456].map((d, n) =>
      service(10 + n, { best: { name: `Hall ${n}`, borough: 'Westminster', distanceMetres: d } }),
    ),
    service(20, { best: { name: 'Hall', borough: 'Kensington and Chelsea', distanceMetres: null } }),
    service(21, {
      name: awkward,
      description: awkward,
      organisation: { name: awkward },
      best: { name: awkward, borough: awkward, distanceMetres: null },
    }),
  ]
  // Each service's parts kept from one search serve the next, whatever its district and distances.
  const kept: KeptResults = new Map()
  for (const near of [undefined, 'W10', 'SW1V', `W1 <&>'"`]) {
    const { macros, written } = both(services, near, 1, 1)
    assert.equal(written, macros)
    const moved = services.map((s) =>
      s.best ? { ...s, best: { ...s.best, distanceMetres: (s.best.distanceMetres ?? 0) + 1_234 } } : s,
    )
    for (const shown of [services, moved]) {
      const again = both(shown, near, 1, 1, kept)
      assert.equal(again.written, again.macros)
    }
  }
  assert.equal(kept.size, services.length)
  const none = both([], undefined, 1, 1)
  assert.equal(none.written, none.macros)
  assert.match(
    resultsList(t, services, undefined),
    /&lt;b&gt;&quot;Tom&#39;s&quot; &amp; &#92; co&lt;\/b&gt;/,
  )
})

test('the pages are govukPagination markup, byte for byte, for every page of up to 12 and of many', () => {
  const cases: [number, number][] = []
  for (let pages = 2; pages <= 12; pages++)
    for (let page = 1; page <= pages; page++) cases.push([page, pages])
  cases.push([1, 75], [9, 75], [37, 75], [74, 75], [75, 75], [500, 500])
  for (const [page, pages] of cases) {
    const { macros, written } = both([service(1)], undefined, page, pages)
    assert.equal(written, macros, `page ${page} of ${pages}`)
  }
})
