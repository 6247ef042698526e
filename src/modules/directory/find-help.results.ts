import { escapeHtml } from '#platform/html.ts'
import type { Translate } from '#platform/i18n.ts'

/**
 * The /find-help results list and its pagination, written out as the template and govuk-frontend's tag
 * and pagination macros wrote them (find-help.results.test.ts keeps them the same, byte for byte). A
 * search nobody made before rendered those through Nunjucks at several times the cost of its search:
 * twenty results' loops and calls, and a pagination macro whose links carry each search's own address.
 */

const e = escapeHtml

export interface ListedService {
  id: string
  name: string
  description: string
  organisation: { name: string }
  how_to_get: string
  /** the place that suits the search best, if the service is at one */
  best: { name: string; borough: string; distanceMetres: number | null } | null
}

/** Where the service is, as the result says it: its nearest suitable place, or how it is given. */
function where(t: Translate, s: ListedService): string {
  if (s.best) {
    const distance =
      s.best.distanceMetres !== null
        ? t('findHelp.distanceKm', { km: Math.round((s.best.distanceMetres / 1000) * 10) / 10 })
        : s.best.borough
    return `            ${e(t('findHelp.nearest', { place: s.best.name, distance }))}\n`
  }
  if (s.how_to_get === 'online') return `${e(t('findHelp.online'))}\n`
  if (s.how_to_get === 'home-visit') return e(t('findHelp.atHome'))
  return ''
}

/**
 * What a result shows of a service whatever the search: the start of its item up to its link's address,
 * and the rest up to where it is. Escaping and translating these cost more than the search itself.
 */
type Kept = readonly [head: string, body: string]

/** Each service's kept parts, by id: for one language and one state of the directory (see resultsList). */
export type KeptResults = Map<string, Kept>

function keptParts(t: Translate, s: ListedService): Kept {
  return [
    '      <li class="govuk-!-margin-bottom-6">\n' +
      `        <h3 class="govuk-heading-s govuk-!-margin-bottom-1"><a class="govuk-link" href="/find-help/services/${e(s.id)}`,
    `">${e(s.name)}</a></h3>\n` +
      `        <p class="govuk-body-s govuk-!-margin-bottom-1">${e(t('findHelp.runBy', { organisation: s.organisation.name }))}</p>\n` +
      `        <p class="govuk-body govuk-!-margin-bottom-1">${e(s.description)}</p>\n` +
      '        <p class="govuk-body-s govuk-!-margin-bottom-0">\n' +
      `          <strong class="govuk-tag govuk-tag--blue">\n  ${e(t(`findHelp.howToGet.${s.how_to_get}`))}\n</strong>\n\n`,
  ]
}

/**
 * The results as an ordered list; `near`, a postcode district, goes on to each service's page. `kept`
 * holds each service's parts that no search changes, made on first showing: it must be for `t`'s
 * language and for the data the services come from (the route keeps one per state of the directory).
 */
export function resultsList(
  t: Translate,
  services: readonly ListedService[],
  near?: string,
  kept: KeptResults = new Map(),
): string {
  const from = near ? `?near=${e(encodeURIComponent(near))}` : ''
  let html = '<ol class="govuk-list hub-results">\n'
  for (const s of services) {
    let parts = kept.get(s.id)
    if (!parts) {
      parts = keptParts(t, s)
      kept.set(s.id, parts)
    }
    html += `${parts[0]}${from}${parts[1]}${where(t, s)}        </p>\n      </li>\n`
  }
  return `${html}    </ol>`
}

const ARROW_PREVIOUS =
  '      <svg class="govuk-pagination__icon govuk-pagination__icon--prev" xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13">\n' +
  '        <path d="m6.5938-0.0078125-6.7266 6.7266 6.7441 6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z"></path>\n' +
  '      </svg>\n'
const ARROW_NEXT =
  '      <svg class="govuk-pagination__icon govuk-pagination__icon--next" xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13">\n' +
  '        <path d="m8.107-0.0078125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z"></path>\n' +
  '      </svg>\n'

/**
 * govukPagination with numbered pages: the first, the last and two either side of this one, a gap
 * shown where pages are left out; previous and next where there are some.
 */
export function pagination(t: Translate, page: number, pages: number, link: (n: number) => string): string {
  let html = `<nav class="govuk-pagination" aria-label="${e(t('findHelp.pageOf', { page, pages }))}">\n`
  if (page > 1)
    html +=
      '  <div class="govuk-pagination__prev">\n' +
      `    <a class="govuk-link govuk-pagination__link" href="${e(link(page - 1))}" rel="prev">\n` +
      ARROW_PREVIOUS +
      '      <span class="govuk-pagination__link-title">\n' +
      `        ${e(t('findHelp.previous'))}\n` +
      '      </span>\n' +
      '    </a>\n' +
      '  </div>\n'
  html += '  <ul class="govuk-pagination__list">\n'
  for (let n = 1; n <= pages; n++) {
    const away = Math.abs(n - page)
    if (n === 1 || n === pages || away <= 2) {
      const current = n === page
      html +=
        `      <li class="govuk-pagination__item${current ? ' govuk-pagination__item--current' : ''}">\n` +
        `      <a class="govuk-link govuk-pagination__link" href="${e(link(n))}" aria-label="Page ${n}"${current ? ' aria-current="page"' : ''}>\n` +
        `        ${n}\n` +
        '      </a>\n' +
        '    </li>\n'
    } else if (away === 3) {
      html +=
        '      <li class="govuk-pagination__item govuk-pagination__item--ellipsis">\n' +
        '      &ctdot;\n' +
        '    </li>\n'
    }
  }
  html += '  </ul>\n'
  if (page < pages)
    html +=
      '  <div class="govuk-pagination__next">\n' +
      `    <a class="govuk-link govuk-pagination__link" href="${e(link(page + 1))}" rel="next">\n` +
      '      <span class="govuk-pagination__link-title">\n' +
      `        ${e(t('findHelp.next'))}\n` +
      '      </span>\n' +
      ARROW_NEXT +
      '    </a>\n' +
      '  </div>\n'
  return `${html}</nav>\n`
}
