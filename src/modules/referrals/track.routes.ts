import { setTimeout } from 'node:timers/promises'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { Invalid } from '#platform/errors.ts'
import { postForm } from '#platform/forms.ts'
import { auditContext } from '#platform/http.ts'
import type { Platform } from '#platform/platform.ts'
import { dateOfBirth, optionalLine, postcode, requiredLine } from './refer.schemas.ts'
import type { ReferralService } from './referral.service.ts'
import { formatReference, parseReference } from './referral.ts'

const E = 'track.error.'

const trackSchema = z
  .object({
    reference: requiredLine(`${E}reference`, 20).refine(
      (v) => parseReference(v) !== null,
      `${E}referenceFormat`,
    ),
    'dob-day': optionalLine(2),
    'dob-month': optionalLine(2),
    'dob-year': optionalLine(4),
    postcode: optionalLine(10),
  })
  .transform((v, ctx) => {
    const anyDate = v['dob-day'] || v['dob-month'] || v['dob-year']
    if (!anyDate) {
      if (!v.postcode) {
        ctx.addIssue({ code: 'custom', path: ['dob-day'], message: `${E}detail` })
        return z.NEVER
      }
      const p = postcode.safeParse(v.postcode)
      if (!p.success) {
        ctx.addIssue({ code: 'custom', path: ['postcode'], message: p.error.issues[0]?.message ?? '' })
        return z.NEVER
      }
      return { reference: v.reference, postcode: p.data }
    }
    const pad = (s: string, n: number) => s.padStart(n, '0')
    const date = `${pad(v['dob-year'], 4)}-${pad(v['dob-month'], 2)}-${pad(v['dob-day'], 2)}`
    const d = dateOfBirth.safeParse(date)
    if (!d.success) {
      ctx.addIssue({ code: 'custom', path: ['dob-day'], message: `${E}dob` })
      return z.NEVER
    }
    return { reference: v.reference, dateOfBirth: d.data }
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
