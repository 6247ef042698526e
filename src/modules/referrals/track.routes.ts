import { setTimeout } from 'node:timers/promises'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { Invalid } from '#platform/errors.ts'
import { postForm } from '#platform/forms.ts'
import { auditContext } from '#platform/http.ts'
import type { Platform } from '#platform/platform.ts'
import { dateOfBirth, optionalLine, postcode } from './refer.schemas.ts'
import type { ReferralService } from './referral.service.ts'
import { formatReference, parseReference } from './referral.ts'
import { normaliseTrackingWords } from './tracking-words.ts'

const E = 'track.error.'

/**
 * The reference and one more detail: the three words given with it, or the date of birth, or the
 * postcode. Every problem is named at once, in the order of the fields.
 */
const trackSchema = z
  .object({
    reference: optionalLine('track.reference', 20),
    words: optionalLine('track.words', 100),
    'dob-day': optionalLine('refer.dob.day', 2),
    'dob-month': optionalLine('refer.dob.month', 2),
    'dob-year': optionalLine('refer.dob.year', 4),
    postcode: optionalLine('track.howPostcode', 10),
  })
  .transform((v, ctx) => {
    const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message })
    if (!v.reference) problem('reference', `${E}reference`)
    else if (parseReference(v.reference) === null) problem('reference', `${E}referenceFormat`)
    const anyDate = v['dob-day'] || v['dob-month'] || v['dob-year']
    const answer: { words?: string; dateOfBirth?: string; postcode?: string } = {}
    if (v.words) {
      if (normaliseTrackingWords(v.words).split(' ').length !== 3) problem('words', `${E}words`)
      else answer.words = v.words
    } else if (anyDate) {
      const pad = (s: string, n: number) => s.padStart(n, '0')
      const d = dateOfBirth.safeParse(
        `${pad(v['dob-year'], 4)}-${pad(v['dob-month'], 2)}-${pad(v['dob-day'], 2)}`,
      )
      if (d.success) answer.dateOfBirth = d.data
      else problem('dob-day', `${E}dob`)
    } else if (v.postcode) {
      const p = postcode.safeParse(v.postcode)
      if (p.success) answer.postcode = p.data
      else problem('postcode', p.error.issues[0]?.message ?? '')
    } else problem('words', `${E}detail`)
    return { reference: v.reference, ...answer }
  })

/**
 * Tries per reference per hour from one address, on top of the per-address limit every public form has.
 * Past the same number from everywhere, each try of that reference is slowed down rather than refused: a
 * stranger holding the reference can slow the resident's own lookup, never stop it.
 */
export const TRACK_THROTTLE = { perReferencePerHour: 10, slowDownMs: 1000 }

/**
 * "Check my request": the reference and a second answer show, in plain words, where each need is.
 * Answered on the POST itself (nothing about the request goes in a URL). A wrong answer and an unknown
 * reference get the same message.
 */
export function trackRoutes(app: FastifyInstance, platform: Platform, referrals: ReferralService) {
  const pub = { config: { access: 'public' as const } }
  const V = 'referrals/views/track'

  app.get('/track', pub, async (_request, reply) => reply.render(`${V}/track.njk`, { values: {} }))

  postForm(
    app,
    '/track',
    {
      access: 'public',
      rateLimit: 20,
      schema: trackSchema,
      invalid: (_request, reply, failure) => reply.render(`${V}/track.njk`, failure, 400),
    },
    async (request, reply, data) => {
      const reference = parseReference(data.reference) as string
      const { perReferencePerHour: max, slowDownMs } = TRACK_THROTTLE
      if (!(await platform.rateLimiter.hit(`track|${reference}|${request.ip}`, max, 3600)))
        return reply.render('errors/too-many.njk', {}, 429)
      if (!(await platform.rateLimiter.hit(`track|${reference}`, max, 3600))) await setTimeout(slowDownMs)
      const found = await referrals.track(reference, data, auditContext(request, 'public'))
      if (!found) throw new Invalid(`${E}notFound`, 'reference')
      return reply.render(`${V}/result.njk`, { ...found, reference: formatReference(found.reference) })
    },
  )
}
