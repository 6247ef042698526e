/**
 * GOV.UK date inputs: a date asked as three fields (`<name>-day`, `<name>-month`, `<name>-year`), never typed
 * as YYYY-MM-DD. `joinDateInputs` puts each date's fields together before a form's schema checks it.
 */
import { z } from 'zod'

const PARTS = ['day', 'month', 'year'] as const

/** The form with each named date as YYYY-MM-DD (or 'invalid' for the schema to refuse); all empty: no date. */
export function joinDateInputs(form: unknown, names: readonly string[]): Record<string, unknown> {
  const values = { ...((form ?? {}) as Record<string, unknown>) }
  for (const name of names) {
    const [day, month, year] = PARTS.map((p) => String(values[`${name}-${p}`] ?? '').trim())
    if (!day && !month && !year) continue
    values[name] =
      /^\d{1,2}$/.test(day ?? '') && /^\d{1,2}$/.test(month ?? '') && /^\d{4}$/.test(year ?? '')
        ? `${year}-${month?.padStart(2, '0')}-${day?.padStart(2, '0')}`
        : 'invalid'
  }
  return values
}

/** The items of govukDateInput for `name`, with what was typed kept and the fields marked when in error. */
export function dateInputItems(values: Record<string, unknown>, name: string, error: boolean) {
  return PARTS.map((p) => ({
    name: p,
    value: String(values[`${name}-${p}`] ?? ''),
    classes: `govuk-input--width-${p === 'year' ? 4 : 2}${error ? ' govuk-input--error' : ''}`,
  }))
}

/** An error summary's link goes to the first field of a date input. */
export function linkToDay<E extends { href: string }>(errors: E[], names: readonly string[]): E[] {
  return errors.map((e) => (names.includes(e.href.slice(1)) ? { ...e, href: `${e.href}-day` } : e))
}

/** A stored date (YYYY-MM-DD) as the three fields of its date input, to fill a form with it. */
export function dateInputValues(name: string, date: string | null | undefined): Record<string, string> {
  const [year = '', month = '', day = ''] = (date ?? '').split('-')
  return {
    [`${name}-day`]: day.replace(/^0/, ''),
    [`${name}-month`]: month.replace(/^0/, ''),
    [`${name}-year`]: year,
  }
}

/** A form's schema whose named dates are asked as date inputs: each one's fields are joined first. */
export function withDateInputs<S extends z.ZodType>(names: readonly string[], schema: S) {
  return z.preprocess((form) => joinDateInputs(form, names), schema)
}
