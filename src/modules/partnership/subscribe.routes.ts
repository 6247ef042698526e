import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { NO_ANSWERS, postForm } from '#platform/forms.ts'
import { auditContext, seeOther } from '#platform/http.ts'
import type { BulletinService } from './bulletin.service.ts'
import { blocks } from './bulletin-format.ts'
import type { MailingListService } from './mailing-list.service.ts'
import { LIST_CODES } from './mailing-rules.ts'
import { manageSchema, oneClickSchema, subscribeSchema } from './subscribe.schemas.ts'

type Token = { Params: { token: string } }
const V = 'partnership/views/mailing'
const pub = { config: { access: 'public' as const } }

/**
 * The public pages of the mailing list: sign up, confirm, unsubscribe (a page with a button, and the
 * one-click POST of RFC 8058), choose lists, and a sent bulletin's web version. No sign-in anywhere: the
 * emailed links are the key. Nothing changes on a GET, so a mail scanner opening a link does nothing.
 */
export function subscribeRoutes(
  app: FastifyInstance,
  mailing: MailingListService,
  bulletins: BulletinService,
  opts: { confirmHours: number },
) {
  const listName = (request: FastifyRequest, code: string) =>
    request.t(`partnership.mailing.lists.${code}.name`)
  const say = (reply: FastifyReply, status: number, heading: string, body: string, extra: object = {}) =>
    reply.render(`${V}/message.njk`, { heading, body, ...extra }, status)

  app.get('/subscribe', pub, async (_request, reply) =>
    reply.render(`${V}/subscribe.njk`, { lists: LIST_CODES, values: {} }),
  )

  postForm(
    app,
    '/subscribe',
    {
      access: 'public',
      rateLimit: 10,
      schema: subscribeSchema,
      lists: ['lists'],
      invalid: (_request, reply, failure) =>
        reply.render(`${V}/subscribe.njk`, { lists: LIST_CODES, ...failure }, 400),
    },
    async (request, reply, data) => {
      // The exact words this person was shown, in their language, are the proof of what they agreed to.
      const wording = request.t('partnership.mailing.subscribe.consent')
      await mailing.signUp(auditContext(request), { ...data, wording })
      return seeOther(reply, '/subscribe/check-email')
    },
  )

  app.get('/subscribe/check-email', pub, async (request, reply) =>
    say(
      reply,
      200,
      request.t('partnership.mailing.checkEmail.title'),
      request.t('partnership.mailing.checkEmail.body', { hours: opts.confirmHours }),
      { items: [request.t('partnership.mailing.checkEmail.notThere')] },
    ),
  )

  /** The page for a confirmation link that cannot be used: 410 once used or expired, 404 if unknown. */
  function confirmationRefused(
    request: FastifyRequest,
    reply: FastifyReply,
    state: 'used' | 'expired' | 'unknown',
  ) {
    const again = { href: '/subscribe', text: request.t('partnership.mailing.confirm.again') }
    const status = state === 'unknown' ? 404 : 410
    return say(
      reply,
      status,
      request.t(`partnership.mailing.confirm.${state}`),
      request.t(`partnership.mailing.confirm.${state}Body`),
      { link: state === 'used' ? undefined : again },
    )
  }

  app.get<Token>('/subscribe/confirm/:token', pub, async (request, reply) => {
    const { state, lists } = await mailing.confirmation(request.params.token)
    if (state !== 'ready') return confirmationRefused(request, reply, state)
    return reply.render(`${V}/button.njk`, {
      heading: request.t('partnership.mailing.confirm.title'),
      body: request.t('partnership.mailing.confirm.body'),
      items: lists.map((code) => listName(request, code)),
      action: `/subscribe/confirm/${request.params.token}`,
      button: request.t('partnership.mailing.confirm.button'),
    })
  })

  postForm<typeof NO_ANSWERS, Token>(
    app,
    '/subscribe/confirm/:token',
    {
      access: 'public',
      schema: NO_ANSWERS,
      invalid: (request, reply) => seeOther(reply, `/subscribe/confirm/${request.params.token}`),
    },
    async (request, reply) => {
      const { lists } = await mailing.confirmation(request.params.token)
      const result = await mailing.confirm(auditContext(request), request.params.token)
      if (result.state !== 'ready') return confirmationRefused(request, reply, result.state)
      // A page, not a redirect: the manage link must not go in another address.
      return say(
        reply,
        200,
        request.t('partnership.mailing.confirm.done'),
        request.t('partnership.mailing.confirm.doneBody'),
        {
          items: lists.map((code) => listName(request, code)),
          link: { href: result.manageUrl, text: request.t('partnership.mailing.confirm.manage') },
        },
      )
    },
  )

  function badUnsubscribe(request: FastifyRequest, reply: FastifyReply) {
    return say(
      reply,
      404,
      request.t('partnership.mailing.unsubscribe.bad'),
      request.t('partnership.mailing.unsubscribe.badBody'),
    )
  }

  app.get<Token>('/unsubscribe/:token', pub, async (request, reply) => {
    const target = mailing.unsubscribeLink(request.params.token)
    if (!target) return badUnsubscribe(request, reply)
    const list = listName(request, target.code)
    return reply.render(`${V}/button.njk`, {
      heading: request.t('partnership.mailing.unsubscribe.title', { list }),
      body: request.t('partnership.mailing.unsubscribe.body', { list }),
      action: `/unsubscribe/${request.params.token}`,
      button: request.t('partnership.mailing.unsubscribe.button'),
    })
  })

  async function unsubscribed(
    request: FastifyRequest<Token>,
    reply: FastifyReply,
    how: 'link' | 'one-click',
  ) {
    const target = mailing.unsubscribeLink(request.params.token)
    if (!target || !(await mailing.unsubscribe(auditContext(request), request.params.token, how)))
      return badUnsubscribe(request, reply)
    const list = listName(request, target.code)
    return say(
      reply,
      200,
      request.t('partnership.mailing.unsubscribe.done'),
      request.t('partnership.mailing.unsubscribe.doneBody', { list }),
      {
        link: {
          href: mailing.urls.manage(target.subscriberId),
          text: request.t('partnership.mailing.confirm.manage'),
        },
      },
    )
  }

  postForm<typeof NO_ANSWERS, Token>(
    app,
    '/unsubscribe/:token',
    {
      access: 'public',
      schema: NO_ANSWERS,
      invalid: (request, reply) => seeOther(reply, `/unsubscribe/${request.params.token}`),
    },
    (request, reply) => unsubscribed(request, reply, 'link'),
  )

  // RFC 8058 one-click: the mail program posts `List-Unsubscribe=One-Click` to the address in the
  // List-Unsubscribe header, with no cookie, so it cannot carry a CSRF token; the RFC requires that it
  // work without one. The signed token in the path is the check instead: only the recipient has it, and
  // all it can do is take that one address off that one list. Mail providers post from a few addresses
  // for many people, hence the high rate limit. The RFC allows the field as multipart/form-data too.
  app.register(async (scope) => {
    scope.addContentTypeParser(
      'multipart/form-data',
      { parseAs: 'string', bodyLimit: 4096 },
      (_request, body, done) => {
        const value = /name="List-Unsubscribe"\r?\n\r?\n([^\r\n]*)/.exec(String(body))?.[1]
        done(null, value === undefined ? {} : { 'List-Unsubscribe': value })
      },
    )
    postForm<typeof oneClickSchema, Token>(
      scope,
      '/unsubscribe/:token/one-click',
      {
        access: 'public',
        csrf: false,
        rateLimit: 100_000,
        schema: oneClickSchema,
        invalid: (request, reply) =>
          say(
            reply,
            400,
            request.t('partnership.mailing.unsubscribe.bad'),
            request.t('partnership.mailing.unsubscribe.badBody'),
          ),
      },
      (request, reply) => unsubscribed(request, reply, 'one-click'),
    )
  })

  function badManage(request: FastifyRequest, reply: FastifyReply) {
    return say(
      reply,
      404,
      request.t('partnership.mailing.manage.bad'),
      request.t('partnership.mailing.manage.badBody'),
    )
  }

  app.get<Token & { Querystring: { saved?: string } }>(
    '/subscriptions/:token',
    pub,
    async (request, reply) => {
      const subscriber = await mailing.manage(request.params.token)
      if (!subscriber) return badManage(request, reply)
      return reply.render(`${V}/manage.njk`, {
        subscriber,
        saved: request.query.saved === '1',
        action: `/subscriptions/${request.params.token}`,
      })
    },
  )

  postForm<typeof manageSchema, Token>(
    app,
    '/subscriptions/:token',
    {
      access: 'public',
      schema: manageSchema,
      lists: ['lists'],
      invalid: (request, reply) => badManage(request, reply),
    },
    async (request, reply, data) => {
      const wording = request.t('partnership.mailing.manage.consent')
      if (!(await mailing.changeLists(auditContext(request), request.params.token, data.lists, wording)))
        return badManage(request, reply)
      return seeOther(reply, `/subscriptions/${request.params.token}?saved=1`)
    },
  )

  app.get<{ Params: { id: string } }>('/bulletins/:id', pub, async (request, reply) => {
    const bulletin = await bulletins.published(request.params.id)
    return reply.render(`${V}/web-version.njk`, { bulletin, blocks: blocks(bulletin.body) })
  })
}
