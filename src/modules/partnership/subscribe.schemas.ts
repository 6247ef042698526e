import { z } from 'zod'
import { cleanText } from '#platform/validation.ts'
import { LIST_CODES } from './mailing-rules.ts'

const E = 'partnership.mailing.errors.'
const lists = z.preprocess(
  (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.enum(LIST_CODES)),
)

/** The address's format and whether it is a throwaway one are the service's rules (mailing-rules.ts). */
export const subscribeSchema = z.object({
  email: z.preprocess(
    cleanText,
    z
      .string({ error: `${E}email-missing` })
      .min(1, `${E}email-missing`)
      .max(320, `${E}email-format`),
  ),
  lists: lists.pipe(z.array(z.enum(LIST_CODES)).min(1, `${E}listsMissing`)),
})

export const manageSchema = z.object({ lists })

/** RFC 8058: a mail program's one-click unsubscribe posts exactly this field. */
export const oneClickSchema = z.object({ 'List-Unsubscribe': z.literal('One-Click') })
