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

export const AUDIENCES = ['list', 'attendees', 'attendees-and-apologies'] as const

/** Whom to send to: the list, or a meeting's attendees (the bulletin's meeting, or the one chosen). */
export const sendSchema = z.object({
  audience: z.enum(AUDIENCES, { error: `${E}audienceMissing` }),
  meeting: z.preprocess((v) => (v === '' ? undefined : v), z.string().max(40).optional()),
})
