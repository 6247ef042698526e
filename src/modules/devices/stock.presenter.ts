import { escapeHtml } from '#platform/html.ts'
import type { Translate } from '#platform/i18n.ts'
import { DEVICE_KINDS, DEVICE_STATES } from './device.ts'

/** The stock list's columns of a device. */
export interface StockRow {
  id: string
  kind: string
  make_model: string
  asset_tag: string
  library_id: string
  status: string
}

/** What is ready at a library, of a kind. */
export interface ReadyCount {
  library_id: string
  kind: string
  n: number | string | bigint
}

interface Library {
  id: string
  name: string
}

/** The names of the types and states in one language. */
export interface StockWords {
  kindNames: Record<string, string>
  stateNames: Record<string, string>
}

export function stockWords(t: Translate): StockWords {
  return {
    kindNames: Object.fromEntries(DEVICE_KINDS.map((k) => [k, t(`devices.kind.${k}`)])),
    stateNames: Object.fromEntries(DEVICE_STATES.map((s) => [s, t(`devices.state.${s}`)])),
  }
}

interface SelectItem {
  value: string
  text: string
  selected?: boolean
}

/**
 * The filter's selects of type, state and library, the filter's own chosen: govukSelect's markup for a
 * label and options, written out (a test compares it with the macro's byte for byte), as the page shows
 * one of each on every request.
 */
export function filterSelects(
  t: Translate,
  words: StockWords,
  libraries: readonly Library[],
  filter: { kind?: string; status?: string; library?: string },
) {
  const items = (any: string, values: readonly string[], names: Record<string, string>, chosen?: string) => [
    { value: '', text: t(any) },
    ...values.map((value) => ({ value, text: names[value] ?? '', selected: value === chosen })),
  ]
  return {
    kindSelect: selectHtml(
      'kind',
      t('devices.form.kind'),
      items('devices.stock.anyKind', DEVICE_KINDS, words.kindNames, filter.kind),
    ),
    stateSelect: selectHtml(
      'status',
      t('devices.stock.state'),
      items('devices.stock.anyState', DEVICE_STATES, words.stateNames, filter.status),
    ),
    librarySelect: selectHtml('library', t('devices.stock.library'), [
      { value: '', text: t('devices.stock.anyLibrary') },
      ...libraries.map((l) => ({ value: l.id, text: l.name, selected: l.id === filter.library })),
    ]),
  }
}

/** govukSelect({ label: { text: label }, id, name: id, items }) */
export function selectHtml(id: string, label: string, items: readonly SelectItem[]): string {
  const options = items
    .map(
      (item) =>
        `    <option value="${escapeHtml(item.value)}"${item.selected ? ' selected' : ''}>` +
        `${escapeHtml(item.text)}</option>\n`,
    )
    .join('')
  return (
    `<div class="govuk-form-group">\n  <label class="govuk-label" for="${escapeHtml(id)}">\n` +
    `    ${escapeHtml(label)}\n  </label>\n` +
    `  <select class="govuk-select" id="${escapeHtml(id)}" name="${escapeHtml(id)}">\n${options}  </select>\n</div>\n`
  )
}

/** The stock table's rows (its tbody's content), as the page's template wrote them row by row. */
export function stockRowsHtml(
  rows: readonly StockRow[],
  words: StockWords,
  libraries: ReadonlyMap<string, string>,
): string {
  return rows
    .map(
      (d) =>
        `  <tr class="govuk-table__row">\n` +
        `    <td class="govuk-table__cell"><a class="govuk-link" href="/staff/devices/${escapeHtml(d.id)}">` +
        `${escapeHtml(d.asset_tag)}</a><br>${escapeHtml(words.kindNames[d.kind])}: ${escapeHtml(d.make_model)}` +
        `<br><span class="govuk-body-s">${escapeHtml(libraries.get(d.library_id))}</span></td>\n` +
        `    <td class="govuk-table__cell">${escapeHtml(words.stateNames[d.status])}</td>\n` +
        `  </tr>`,
    )
    .join('\n')
}

/** The list of what is ready to hand out: one item per library and type. */
export function readyItemsHtml(
  ready: readonly ReadyCount[],
  words: StockWords,
  libraries: ReadonlyMap<string, string>,
  t: Translate,
): string {
  return ready
    .map(
      (s) =>
        `<li>${escapeHtml(
          t('devices.stock.readyRow', {
            n: Number(s.n),
            kind: words.kindNames[s.kind] ?? '',
            library: libraries.get(s.library_id) ?? '',
          }),
        )}</li>`,
    )
    .join('')
}

/**
 * The stock page's markup for its rows and its ready list, made once for the arrays the stock's caches
 * keep (every request asking the same of one version of the stock gets the same arrays, and nobody
 * changes them) with the same libraries, in the same language. The markup holds no one's personal data:
 * device details and library names.
 */
export function stockMarkup() {
  const words = new Map<string, StockWords>()
  const made = new WeakMap<object, { libraries: readonly Library[]; locale: string; html: string }>()

  function markup(of: object, libraries: readonly Library[], locale: string, make: () => string): string {
    const found = made.get(of)
    if (found && found.libraries === libraries && found.locale === locale) return found.html
    const html = make()
    made.set(of, { libraries, locale, html })
    return html
  }

  return {
    /** The types' and states' names in `locale`, looked up once a process. */
    words(locale: string, t: Translate): StockWords {
      let found = words.get(locale)
      if (!found) {
        found = stockWords(t)
        words.set(locale, found)
      }
      return found
    },

    rows(rows: readonly StockRow[], libraries: readonly Library[], locale: string, t: Translate): string {
      return markup(rows, libraries, locale, () =>
        stockRowsHtml(rows, this.words(locale, t), namesOf(libraries)),
      )
    },

    ready(ready: readonly ReadyCount[], libraries: readonly Library[], locale: string, t: Translate): string {
      return markup(ready, libraries, locale, () =>
        readyItemsHtml(ready, this.words(locale, t), namesOf(libraries), t),
      )
    },
  }
}

const namesOf = (libraries: readonly Library[]) => new Map(libraries.map((l) => [l.id, l.name]))
