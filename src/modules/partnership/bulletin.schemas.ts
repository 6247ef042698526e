import { z } from 'zod'
import { cleanText } from '#platform/validation.ts'
import { LIST_CODES } from './mailing-rules.ts'

const E = 'partnership.bulletins.errors.'

export const bulletinSchema = z.object({
  title: z.preprocess(
    (v) => (typeof v === 'string' ? cleanText(v.replace(/\s+/g, ' ')) : v),
    z
      .string({ error: `${E}titleMissing` })
      .min(1, `${E}titleMissing`)
      .max(150, `${E}titleTooLong`),
  ),
  body: z.preprocess(
    cleanText,
    z
      .string({ error: `${E}bodyMissing` })
      .min(1, `${E}bodyMissing`)
      .max(20_000, `${E}bodyTooLong`),
  ),
  list: z.enum(LIST_CODES, { error: `${E}listMissing` }),
})
