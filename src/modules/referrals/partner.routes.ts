import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { auditContext, staffUser } from '#platform/http.ts'
import { referralWords } from './referral.labels.ts'
import type { ReferralService } from './referral.service.ts'

const pageSchema = z.object({ page: z.coerce.number().int().min(1).max(100_000).catch(1) })

/** A partner referrer's own page: where each of their organisation's referrals is, in plain words. */
export function partnerRoutes(app: FastifyInstance, referrals: ReferralService) {
  app.get('/staff/my-referrals', { config: { access: 'referrals.submit' } }, async (request, reply) => {
    const { page } = pageSchema.parse(request.query ?? {})
    const list = await referrals.partnerReferrals(staffUser(request), page, auditContext(request))
    return reply.render('referrals/views/staff/my-referrals.njk', {
      ...list,
      page,
      labels: referralWords(request.t),
    })
  })
}
