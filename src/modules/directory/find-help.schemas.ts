import { z } from 'zod'
import { cleanText } from '#platform/validation.ts'
import { normalisePostcode } from './postcodes.ts'

/**
 * The /find-help search (a GET form, so results can be bookmarked and shared). Messages are locale keys:
 * the route translates them. Unknown values (a need or feature that is not in the list) are ignored, not
 * errors, since they can only come from an edited address.
 */
const list = z.preprocess(
  (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.string().max(60)).max(30).catch([]),
)

const optionalText = (max: number) =>
  z.preprocess((v) => {
    const c = cleanText(Array.isArray(v) ? v[0] : v)
    return c === '' ? undefined : c
  }, z.string().max(max).optional().catch(undefined))

export const findHelpSchema = z
  .object({
    need: optionalText(60),
    borough: optionalText(60),
    postcode: z.preprocess(
      (v) => {
        const c = cleanText(Array.isArray(v) ? v[0] : v)
        return c === '' ? undefined : c
      },
      z
        .string()
        .max(10, 'findHelp.errors.postcode')
        // A real postcode beyond the districts we know is no mistake: the page says it is outside the boroughs.
        .refine((p) => normalisePostcode(p) !== null, 'findHelp.errors.postcode')
        .optional(),
    ),
    feature: list,
    day: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z.enum(['1', '2', '3', '4', '5', '6', '7']).optional().catch(undefined),
    ),
    time: z.preprocess(
      (v) => {
        const c = cleanText(Array.isArray(v) ? v[0] : v)
        return c === '' ? undefined : c
      },
      z
        .string()
        .regex(/^([01]?\d|2[0-3])[:.]?[0-5]\d$/, 'findHelp.errors.time')
        .optional(),
    ),
    page: z.coerce.number().int().min(1).max(10_000).catch(1),
  })
  .refine((v) => !v.time || v.day, { message: 'findHelp.errors.timeNeedsDay', path: ['day'] })

export type FindHelpQuery = z.infer<typeof findHelpSchema>

/** 9:30, 0930 and 09.30 all mean 09:30. */
export function normaliseTime(time: string): string {
  const digits = time.replace(/[:.]/g, '').padStart(4, '0')
  return `${digits.slice(0, 2)}:${digits.slice(2)}`
}
