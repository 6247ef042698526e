import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import { type FormFailure, NO_ANSWERS, postForm } from '#platform/forms.ts'
import { auditContext, seeOther } from '#platform/http.ts'
import type { Answers, ApplicationService } from './application.service.ts'
import { CONSENTS, DAY_PARTS, DAYS } from './volunteer.ts'
import { APPLY_ORDER, APPLY_PAGES, type ApplyPage } from './volunteers.schemas.ts'

type PageParams = { Params: { page: string }; Querystring: { change?: string } }
type Draft = { id: string; answers: Answers }

const V = 'volunteers/views/apply'
const NO_FAILURE = { errors: [], fieldErrors: {}, values: {} }
const PAGE_POSTS_PER_10_MINUTES = 300
const SENDS_PER_10_MINUTES = 30

const isPage = (page: string): page is ApplyPage => Object.hasOwn(APPLY_PAGES, page)

/**
 * Applying to volunteer, with no account: a start page, one question a page, check answers, confirmation.
 * Answers wait in the database under a random cookie, never in the page or the address.
 */
export function applyRoutes(
  app: FastifyInstance,
  applications: ApplicationService,
  opts: { cookieSecure: boolean },
) {
  const pub = { config: { access: 'public' as const } }
  const pagePost = { access: 'public' as const, rateLimit: PAGE_POSTS_PER_10_MINUTES }
  const sendPost = { access: 'public' as const, rateLimit: SENDS_PER_10_MINUTES }
  const cookieName = opts.cookieSecure ? '__Host-hub_volunteer' : 'hub_volunteer'

  async function draft(request: FastifyRequest): Promise<Draft | null> {
    const raw = request.cookies[cookieName]
    const unsigned = raw ? request.unsignCookie(raw) : null
    return unsigned?.valid && unsigned.value ? applications.load(unsigned.value) : null
  }

  async function questionPage(
    request: FastifyRequest<PageParams>,
    reply: FastifyReply,
    failure: FormFailure,
  ) {
    const page = request.params.page as ApplyPage
    const d = await draft(request)
    if (!d) return seeOther(reply, '/volunteer?expired=1')
    const at = APPLY_ORDER.indexOf(page)
    const change = request.query.change === '1'
    return reply.render(
      `${V}-question.njk`,
      {
        ...failure,
        values: failure.errors.length ? failure.values : (d.answers[page] ?? {}),
        page,
        change,
        backHref: change ? '/volunteer/check' : at > 0 ? `/volunteer/${APPLY_ORDER[at - 1]}` : '/volunteer',
        days: DAYS,
        dayParts: DAY_PARTS,
        consents: CONSENTS,
        libraries: page === 'libraries' ? await applications.libraries() : [],
      },
      reply.statusCode,
    )
  }

  app.get('/volunteer', pub, async (request, reply) =>
    reply.render(`${V}-start.njk`, { expired: (request.query as { expired?: string }).expired === '1' }),
  )

  postForm(
    app,
    '/volunteer/start',
    { ...sendPost, schema: NO_ANSWERS, invalid: (_request, reply) => seeOther(reply, '/volunteer') },
    async (_request, reply) => {
      reply.setCookie(cookieName, await applications.start(), {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: opts.cookieSecure,
        signed: true,
      })
      return seeOther(reply, `/volunteer/${APPLY_ORDER[0]}`)
    },
  )

  app.get('/volunteer/check', pub, async (request, reply) => {
    const d = await draft(request)
    if (!d) return seeOther(reply, '/volunteer?expired=1')
    const missing = applications.firstUnanswered(d.answers)
    if (missing) return seeOther(reply, `/volunteer/${missing}`)
    const libraries = (await applications.libraries()).flatMap((b) => b.libraries)
    const chosen = ((d.answers.libraries?.libraries as string[]) ?? []).map(
      (id) => libraries.find((l) => l.id === id)?.name ?? '',
    )
    return reply.render(`${V}-check.njk`, { answers: d.answers, libraryNames: chosen })
  })

  postForm(
    app,
    '/volunteer/check',
    { ...sendPost, schema: NO_ANSWERS, invalid: (_request, reply) => seeOther(reply, '/volunteer/check') },
    async (request, reply) => {
      const d = await draft(request)
      if (!d) return seeOther(reply, '/volunteer?expired=1')
      const sent = await applications.submit(d.id, d.answers, auditContext(request))
      if (typeof sent === 'string') return seeOther(reply, `/volunteer/${sent}`)
      reply.clearCookie(cookieName, { path: '/' })
      return seeOther(reply, '/volunteer/sent')
    },
  )

  app.get('/volunteer/sent', pub, (_request, reply) => reply.render(`${V}-sent.njk`, {}))

  app.get<PageParams>('/volunteer/:page', pub, async (request, reply) => {
    const { page } = request.params
    if (!isPage(page)) {
      reply.callNotFound()
      return reply
    }
    const d = await draft(request)
    if (!d) return seeOther(reply, '/volunteer?expired=1')
    // A question is shown once those before it are answered.
    const missing = applications.firstUnanswered(d.answers)
    if (missing && APPLY_ORDER.indexOf(missing) < APPLY_ORDER.indexOf(page))
      return seeOther(reply, `/volunteer/${missing}`)
    return questionPage(request, reply, NO_FAILURE)
  })

  postForm<z.ZodType, PageParams>(
    app,
    '/volunteer/:page',
    {
      ...pagePost,
      schema: (request) => (isPage(request.params.page) ? APPLY_PAGES[request.params.page] : NO_ANSWERS),
      lists: ['slots', 'libraries', 'consents'],
      invalid: questionPage,
    },
    async (request, reply, data) => {
      const { page } = request.params
      if (!isPage(page)) {
        reply.callNotFound()
        return reply
      }
      const d = await draft(request)
      if (!d) return seeOther(reply, '/volunteer?expired=1')
      if (page === 'libraries') await applications.checkLibraries((data as { libraries: string[] }).libraries)
      const answers = { ...d.answers, [page]: data as Record<string, unknown> }
      await applications.answer(d.id, answers)
      const next = request.query.change === '1' ? null : applications.firstUnanswered(answers)
      return seeOther(reply, next ? `/volunteer/${next}` : '/volunteer/check')
    },
  )
}
