import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import { can } from '#platform/access.ts'
import { NO_ANSWERS, postForm } from '#platform/forms.ts'
import { auditContext, seeOther } from '#platform/http.ts'
import { PRIVACY_NOTICE_VERSION } from '#platform/pages.routes.ts'
import {
  type Answers,
  councilChoices,
  findPage,
  firstIncomplete,
  type JourneyContext,
  mayShow,
  nextAfter,
  type Page,
  pagesFor,
  withAnswer,
} from './refer.journey.ts'
import { checkAnswerRows } from './refer.summary.ts'
import type { ReferralService } from './referral.service.ts'
import { formatReference } from './referral.ts'
import type { ReferralRules } from './rules.ts'

type PageParams = { Params: { page: string }; Querystring: { change?: string } }
type Journey = { token: string; answers: Answers }
type PagePost = null | { redirect: string } | (Journey & { page: Page; ctx: JourneyContext })

const V = 'referrals/views/refer'
const JOURNEY_POSTS_PER_10_MINUTES = 600
const STARTS_PER_10_MINUTES = 60

/**
 * The public journey: a start page, one question per page, check answers, confirmation.
 * Answers live in the database under a random cookie (see referralService), never in the page or URL.
 */
export function referRoutes(
  app: FastifyInstance,
  referrals: ReferralService,
  rules: ReferralRules,
  opts: { cookieSecure: boolean },
) {
  const pub = { config: { access: 'public' as const } }
  // One journey is about 15 answers: the per-address limit is per journey page, and a library's
  // public computers share one address. Starting and sending keep a tighter limit.
  const journeyPage = { config: { access: 'public' as const, rateLimit: JOURNEY_POSTS_PER_10_MINUTES } }
  const sendPage = { config: { access: 'public' as const, rateLimit: STARTS_PER_10_MINUTES } }
  // __Host-: only this origin, only over HTTPS, path / (as the session and CSRF cookies).
  const cookieName = opts.cookieSecure ? '__Host-hub_refer' : 'hub_refer'

  async function context(): Promise<JourneyContext> {
    return { rules, boroughCodes: (await referrals.boroughs()).codes }
  }

  function token(request: FastifyRequest): string | null {
    const raw = request.cookies[cookieName]
    if (!raw) return null
    const unsigned = request.unsignCookie(raw)
    return unsigned.valid ? unsigned.value : null
  }

  /** The journey of this browser, or where to go instead: the start (none, expired), the confirmation (sent). */
  async function current(request: FastifyRequest): Promise<{ redirect: string } | Journey> {
    const t = token(request)
    const found = t ? await referrals.loadJourney(t) : null
    if (!t || !found) return { redirect: '/refer?expired=1' }
    if (found.submitted) return { redirect: '/refer/confirmation' }
    return { token: t, answers: found.answers }
  }

  /** The journey of this browser, or null with the redirect to where to go instead. */
  async function journey(request: FastifyRequest, reply: FastifyReply): Promise<Journey | null> {
    const j = await current(request)
    if (!('redirect' in j)) return j
    seeOther(reply, j.redirect)
    return null
  }

  /**
   * What a post to a journey page is about: the page, the journey and its context, or where to go instead
   * (null: no such page). Read once per request: the page's schema, its error page and the answer need it.
   */
  const pagePosts = new WeakMap<object, Promise<PagePost>>()
  function pagePost(request: FastifyRequest<PageParams>): Promise<PagePost> {
    let post = pagePosts.get(request)
    if (!post) {
      post = readPagePost(request)
      pagePosts.set(request, post)
    }
    return post
  }
  async function readPagePost(request: FastifyRequest<PageParams>): Promise<PagePost> {
    const page = findPage(request.params.page)
    if (!page) return null
    const j = await current(request)
    if ('redirect' in j) return j
    const ctx = await context()
    if (!mayShow(page.id, j.answers, ctx))
      return { redirect: `/refer/${firstIncomplete(j.answers, ctx)?.id ?? 'check'}` }
    return { page, ...j, ctx }
  }

  async function pageContext(request: FastifyRequest, id: string, a: Answers, ctx: JourneyContext) {
    const known = await referrals.boroughs()
    const pages = pagesFor(a, ctx).map((p) => p.id)
    const at = pages.indexOf(id)
    const change = (request.query as { change?: string }).change === '1'
    const council = id === 'council' ? councilChoices(a, ctx) : null
    return {
      page: id,
      who: a.who?.who === 'someone-else' ? 'other' : 'self',
      change,
      backHref: change ? '/refer/check' : at > 0 ? `/refer/${pages[at - 1]}` : '/refer',
      ageRangeItems: rules.ageRanges.map((r) => ({
        value: r,
        text: request.t(`refer.ageRange.ranges.${r}`),
      })),
      council: council,
      councilItems: council && [
        ...council.boroughs.map((code) => ({ value: code, text: known.byCode.get(code)?.name ?? code })),
        ...(council.outside
          ? [
              { divider: request.t('refer.safe.or') },
              { value: 'outside', text: request.t('refer.council.outside') },
            ]
          : []),
      ],
      hasAddress: a.address?.hasAddress === 'yes',
      contactMethods: (a.contact?.methods as string[] | undefined) ?? [],
      privacyVersion: PRIVACY_NOTICE_VERSION,
    }
  }

  app.get<{ Querystring: { expired?: string } }>('/refer', pub, async (request, reply) =>
    reply.render(`${V}/start.njk`, { expired: request.query.expired === '1', hours: rules.journeyHours }),
  )

  postForm(
    app,
    '/refer/start',
    { ...sendPage.config, schema: NO_ANSWERS, invalid: (_request, reply) => seeOther(reply, '/refer') },
    async (_request, reply) => {
      const t = await referrals.startJourney()
      reply.setCookie(cookieName, t, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: opts.cookieSecure,
        signed: true,
      })
      return seeOther(reply, '/refer/who')
    },
  )

  for (const simple of ['no-consent', 'out-of-area', 'home-library-not-eligible'] as const) {
    app.get(`/refer/${simple}`, pub, async (request, reply) => {
      const j = await journey(request, reply)
      if (!j) return reply
      return reply.render(`${V}/${simple}.njk`, {
        who: j.answers.who?.who === 'someone-else' ? 'other' : 'self',
      })
    })
  }

  // Not eligible for the Home Library Service: go on without it (or change the answer).
  postForm(
    app,
    '/refer/home-library-not-eligible',
    {
      ...journeyPage.config,
      schema: NO_ANSWERS,
      invalid: (_request, reply) => seeOther(reply, '/refer/home-library-not-eligible'),
    },
    async (request, reply) => {
      const j = await journey(request, reply)
      if (!j) return reply
      const needs = ((j.answers.needs?.needs as string[] | undefined) ?? []).filter(
        (n) => n !== 'home-library',
      )
      const answers: Answers = { ...j.answers, needs: { needs } }
      delete answers['need-home-library']
      if (!needs.length) delete answers.needs
      await referrals.saveJourney(j.token, answers)
      return seeOther(reply, `/refer/${firstIncomplete(answers, await context())?.id ?? 'check'}`)
    },
  )

  app.get('/refer/check', pub, async (request, reply) => {
    const j = await journey(request, reply)
    if (!j) return reply
    const ctx = await context()
    const first = firstIncomplete(j.answers, ctx)
    if (first) return seeOther(reply, `/refer/${first.id}`)
    return reply.render(`${V}/check.njk`, await checkContext(request, j.answers, ctx))
  })

  async function checkContext(request: FastifyRequest, a: Answers, ctx: JourneyContext) {
    const known = await referrals.boroughs()
    return {
      who: a.who?.who === 'someone-else' ? 'other' : 'self',
      sections: checkAnswerRows(request.t, a, ctx, known),
      privacyVersion: PRIVACY_NOTICE_VERSION,
    }
  }

  // The journey is read (and locked) once, by the send itself: one already sent gives its referral again.
  postForm(
    app,
    '/refer/check',
    {
      ...sendPage.config,
      schema: NO_ANSWERS,
      // A rule the send refused: the answers again with the problem; none left (expired) means starting again.
      async invalid(request, reply, failure) {
        const j = token(request)
        const found = j ? await referrals.loadJourney(j) : null
        if (!found) return seeOther(reply, '/refer?expired=1')
        const ctx = await context()
        // Sent before every question was answered (a crafted post): there is no summary to show again.
        if (firstIncomplete(found.answers, ctx)) return reply.render('errors/bad-request.njk', {}, 400)
        return reply.render(
          `${V}/check.njk`,
          { ...(await checkContext(request, found.answers, ctx)), ...failure },
          400,
        )
      },
    },
    async (request, reply) => {
      const j = token(request)
      if (!j) return seeOther(reply, '/refer?expired=1')
      // A signed-in partner referrer's referral is their organisation's, to follow at /staff/my-referrals.
      const partner = request.user && can(request.user, 'referrals.submit') ? request.user : null
      await referrals.submitJourney(j, PRIVACY_NOTICE_VERSION, auditContext(request, 'public'), {
        organisationId: partner?.organisationId ?? undefined,
      })
      return seeOther(reply, '/refer/confirmation')
    },
  )

  app.get('/refer/confirmation', pub, async (request, reply) => {
    const t = token(request)
    const found = t ? await referrals.loadJourney(t) : null
    if (!found?.submitted) return seeOther(reply, '/refer')
    return reply.render(`${V}/confirmation.njk`, {
      reference: formatReference(found.submitted.reference),
      byDate: found.submitted.byDate,
      who: found.submitted.onBehalf ? 'other' : 'self',
    })
  })

  app.get<PageParams>('/refer/:page', pub, async (request, reply) => {
    const page = findPage(request.params.page)
    if (!page) return reply.callNotFound()
    const j = await journey(request, reply)
    if (!j) return reply
    const ctx = await context()
    if (!mayShow(page.id, j.answers, ctx))
      return seeOther(reply, `/refer/${firstIncomplete(j.answers, ctx)?.id ?? 'check'}`)
    return reply.render(`${V}/${page.id}.njk`, {
      ...(await pageContext(request, page.id, j.answers, ctx)),
      values: j.answers[page.id] ?? {},
    })
  })

  postForm<z.ZodType, PageParams>(
    app,
    '/refer/:page',
    {
      ...journeyPage.config,
      // Each page asks its own questions, some shaped by earlier answers (the councils to choose from).
      // Where there is no page to answer, nothing is checked: the answer sends the person on.
      schema: async (request) => {
        const post = await pagePost(request)
        return post && 'page' in post ? post.page.schema(post.answers, post.ctx) : NO_ANSWERS
      },
      async invalid(request, reply, failure) {
        const post = await pagePost(request)
        // Only a page's own answers can be wrong (the schema checks nothing elsewhere).
        if (!post || !('page' in post)) return seeOther(reply, post?.redirect ?? '/refer')
        const page = await pageContext(request, post.page.id, post.answers, post.ctx)
        return reply.render(`${V}/${post.page.id}.njk`, { ...page, ...failure }, 400)
      },
    },
    async (request, reply, data) => {
      const post = await pagePost(request)
      if (!post) {
        reply.callNotFound()
        return reply
      }
      if (!('page' in post)) return seeOther(reply, post.redirect)
      const { page, ctx } = post
      const answers = withAnswer(post.answers, page.id, data as Record<string, unknown>)
      await referrals.saveJourney(post.token, answers)
      if (page.id === 'consent' && answers.consent?.consent === 'no')
        return seeOther(reply, '/refer/no-consent')
      if (page.id === 'council' && answers.council?.borough === 'outside')
        return seeOther(reply, '/refer/out-of-area')
      if (page.done && !page.done(answers, ctx) && page.id === 'need-home-library')
        return seeOther(reply, '/refer/home-library-not-eligible')
      const change = request.query.change === '1'
      const next = nextAfter(page.id, answers, ctx, change)
      return seeOther(reply, next === 'check' || !change ? `/refer/${next}` : `/refer/${next}?change=1`)
    },
  )
}
