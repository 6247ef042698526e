import { escapeHtml } from '#platform/html.ts'
import { formatDate } from '#platform/views.ts'
import type { ReferralWords } from './referral.labels.ts'

/** A referral as the queue lists it (the triage queue service's row). */
export interface QueueRow {
  id: string
  reference: string
  borough: string
  resident_name: string
  assigned_name: string | null
  created_at: string
  is_stale: boolean
  needs: readonly { kind: string; status: string; outcome: string | null }[]
}

export interface SelectItem {
  value: string
  text: string
  selected?: boolean
}

/**
 * The queue's markup written in code: the page is the one staff live in, and its template spent more
 * on 25 rows of tags and four selects than on the rest of the page. Each function writes what the
 * template wrote, byte for byte, escaped as autoescape escapes (queue.presenter.test.ts compares them).
 */

/** A filter's select: the label and the options, the chosen one selected. */
export function selectHtml(id: string, label: string, items: readonly SelectItem[]): string {
  let options = ''
  for (const item of items)
    options +=
      `    <option value="${escapeHtml(item.value)}"${item.selected ? ' selected' : ''}>` +
      `${escapeHtml(item.text)}</option>\n`
  const name = escapeHtml(id)
  return (
    `<div class="govuk-form-group">\n  <label class="govuk-label" for="${name}">${escapeHtml(label)}</label>\n` +
    `  <select class="govuk-select" id="${name}" name="${name}">\n${options}  </select>\n</div>\n`
  )
}

/** The table's rows, each request's state as a coloured tag, in the page's words. */
export function queueRowsHtml(rows: readonly QueueRow[], labels: ReferralWords): string {
  let html = ''
  for (const r of rows) {
    const officer = r.assigned_name
      ? `<br><span class="govuk-body-s">Officer: ${escapeHtml(r.assigned_name)}</span>`
      : ''
    let needs = ''
    for (const n of r.needs) {
      const state = labels.stateTag(n.status)
      const outcome = n.outcome
        ? ` <span class="govuk-body-s">${escapeHtml(labels.outcome(n.outcome))}</span>`
        : ''
      needs +=
        `<span class="govuk-body-s">${escapeHtml(labels.kind(n.kind))}:</span> ` +
        `<strong class="govuk-tag ${escapeHtml(state.classes)}">${escapeHtml(state.text)}</strong>${outcome}<br>`
    }
    const stale = r.is_stale ? '<strong class="govuk-tag govuk-tag--red">Not updated</strong>' : ''
    html +=
      `        <tr class="govuk-table__row">\n` +
      `          <td class="govuk-table__cell"><a class="govuk-link hub-reference" href="/staff/referrals/${escapeHtml(r.id)}">` +
      `${escapeHtml(r.reference)}</a><br><span class="govuk-body-s">${escapeHtml(r.borough)}</span></td>\n` +
      `          <td class="govuk-table__cell">${escapeHtml(r.resident_name)}${officer}</td>\n` +
      `          <td class="govuk-table__cell">\n${needs}${stale}          </td>\n` +
      `          <td class="govuk-table__cell">${escapeHtml(formatDate(r.created_at))}</td>\n` +
      `        </tr>\n`
  }
  return html
}
