import { z } from 'zod'
import { dateInputItems, joinDateInputs, linkToDay } from '#platform/date-input.ts'
import type { FormFailure } from '#platform/forms.ts'

/**
 * The device pages ask every date with the GOV.UK date input (day, month and year), never typed as
 * YYYY-MM-DD: these join the three fields before a form's schema checks the date, and give a page its date
 * inputs with what was typed kept and the error summary's links on the day field.
 */

/** The form's schema, taking each of `names` as a date input's three fields. */
export function withDateInputs<S extends z.ZodType>(names: readonly string[], schema: S) {
  return z.preprocess((body) => joinDateInputs(body, names), schema)
}

/** A date (YYYY-MM-DD) as a date input's three answers, to fill the fields in: `dueOn-day` and the rest. */
export function dateAnswers(name: string, date: string): Record<string, string> {
  const [year = '', month = '', day = ''] = date.split('-')
  return {
    [`${name}-day`]: String(Number(day)),
    [`${name}-month`]: String(Number(month)),
    [`${name}-year`]: year,
  }
}

/**
 * A page's context with its date inputs (`dates.<name>`, the items of govukDateInput) and the error
 * summary's links to each date's day field.
 */
export function withDateItems<C extends Partial<FormFailure> & Record<string, unknown>>(
  names: readonly string[],
  context: C,
): C & { dates: Record<string, ReturnType<typeof dateInputItems>> } {
  const values = context.values ?? {}
  const fieldErrors = context.fieldErrors ?? {}
  return {
    ...context,
    ...(context.errors ? { errors: linkToDay(context.errors, names) } : {}),
    dates: Object.fromEntries(names.map((n) => [n, dateInputItems(values, n, Boolean(fieldErrors[n]))])),
  }
}
