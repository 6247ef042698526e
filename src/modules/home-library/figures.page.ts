import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import { dateInputItems, dateInputValues, joinDateInputs, linkToDay } from '#platform/date-input.ts'
import type { Translate } from '#platform/i18n.ts'
import { londonToday } from '#platform/london.ts'
import { formatDate } from '#platform/views.ts'
import { first } from './choices.ts'
import type { BoroughFigures } from './figures.ts'
import { monthName, monthsOf } from './figures.ts'
import { FORMATS, LEFT_REASONS } from './member.ts'

const E = 'homeLibrary.errors.'
const DATES = ['on'] as const

const askedSchema = z.object({
  on: z.union([z.literal(''), z.iso.date(`${E}figuresOn`)]).default(''),
  year: z.union([z.literal(''), z.string().regex(/^20\d{2}$/, `${E}figuresYear`)]).default(''),
})

/**
 * The date and year asked for (a GET form: figures are not personal data), the date as a GOV.UK date
 * input; today and this year when not given. What was typed is kept either way.
 */
export function askedFigures(request: FastifyRequest) {
  const q = request.query as Record<string, unknown>
  const typed = Object.fromEntries(
    ['on-day', 'on-month', 'on-year', 'year'].map((k) => [k, first(q[k]).trim()]),
  )
  const today = londonToday()
  const form = askedSchema.safeParse(joinDateInputs(typed, DATES))
  const on = form.success && form.data.on ? form.data.on : today
  const year = form.success && form.data.year ? Number(form.data.year) : Number(today.slice(0, 4))
  const dateTyped = Boolean(typed['on-day'] || typed['on-month'] || typed['on-year'])
  const values = {
    ...(dateTyped ? typed : dateInputValues('on', on)),
    year: typed.year || String(year),
  }
  const errors = form.success
    ? []
    : linkToDay(
        form.error.issues.map((i) => ({
          field: String(i.path[0]),
          text: i.message,
          href: `#${String(i.path[0])}`,
        })),
        DATES,
      )
  return { on, year, values, errors }
}

/**
 * The figures in words, put together once here rather than looked up row by row in the template (a
 * borough's tables are some thirty rows).
 */
export function figuresPage(
  t: Translate,
  result: { on: string; year: number; boroughs: BoroughFigures[] },
  asked: ReturnType<typeof askedFigures>,
) {
  const translated = asked.errors.map((e) => ({ href: e.href, text: t(e.text) }))
  const fieldErrors = Object.fromEntries(asked.errors.map((e) => [e.field, { text: t(e.text) }]))
  const year = String(result.year)
  const months = monthsOf(result.year).map((m) => ({ value: m, text: monthName(m) }))
  const formats = FORMATS.map((f) => ({ value: f, text: t(`homeLibrary.format.${f}`) }))
  const reasons = LEFT_REASONS.map((r) => ({ value: r, text: t(`homeLibrary.leftReason.${r}`) }))
  const onDate = formatDate(result.on)
  return {
    errors: translated,
    fieldErrors,
    values: asked.values,
    onItems: dateInputItems(asked.values, 'on', Boolean(fieldErrors.on)),
    year,
    csvQuery: new URLSearchParams({ ...dateInputValues('on', result.on), year }).toString(),
    boroughs: result.boroughs.map((b) => ({
      name: b.name,
      active: b.active,
      summary: [
        { key: `${t('homeLibrary.figures.joined')}, ${year}`, value: b.joined },
        { key: `${t('homeLibrary.figures.visitsDone')}, ${year}`, value: b.visitsDone },
        { key: `${t('homeLibrary.figures.visitsMissed')}, ${year}`, value: b.visitsMissed },
        { key: t('homeLibrary.figures.itemsTotal'), value: b.itemsTotal },
        { key: `${t('homeLibrary.figures.digitalMinutes')}, ${year}`, value: b.digitalMinutes },
        { key: `${t('homeLibrary.figures.peopleVisited')}, ${year}`, value: b.peopleVisited },
      ],
      activeKey: `${t('homeLibrary.figures.active')}, ${onDate}`,
      leavers: reasons.map((r) => ({ text: r.text, n: b.left[r.value] ?? 0 })),
      byMonth: months.map((m) => ({ text: m.text, n: b.itemsByMonth[m.value] ?? 0 })),
      byFormat: formats.map((f) => ({ text: f.text, n: b.itemsByFormat[f.value] ?? 0 })),
    })),
  }
}
