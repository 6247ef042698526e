import type { FastifyInstance } from 'fastify'
import type nunjucks from 'nunjucks'
import { can } from './access.ts'
import type { Config } from './config.ts'
import type { CsrfBinding } from './csrf-binding.ts'
import type { NavItem } from './http.ts'
import type { PageCache } from './page-cache.ts'

/** `reply.render(view, context, status)`: a page in the layout, with the staff navigation its reader may use. */
export function installRender(
  app: FastifyInstance,
  deps: {
    config: Config
    views: nunjucks.Environment
    staffNav: NavItem[]
    pages: PageCache
    binding: CsrfBinding
  },
): void {
  const { config, views, staffNav, pages, binding } = deps
  app.decorateReply('render', function (view: string, context: Record<string, unknown> = {}, status = 200) {
    const request = this.request
    const user = request.user
    const navigation = user
      ? [
          ...staffNav.filter(
            (n) => n.access === 'signed-in' || n.access === 'public' || can(user, n.access as never),
          ),
          { href: '/staff/account/password', text: 'Your account', access: 'signed-in' },
        ].map((n) => ({ href: n.href, text: n.text, active: request.url.startsWith(n.href) }))
      : []
    const nonce = this.cspNonce.script
    // One token for every form on the page: each costs three keyed hashes, and a case page has a dozen
    // forms. A fresh one (new salt) on the next page, as before.
    let token: string | undefined
    const html = views.render(view, {
      ...context,
      t: request.t,
      locale: request.locale,
      cspNonce: nonce,
      serviceName: config.SERVICE_NAME,
      partnershipName: config.PARTNERSHIP_NAME,
      user,
      navigation,
      query: request.query ?? {},
      // Called only by pages that show a form: the first token of a browser without one sets the cookie.
      csrfToken: () => {
        token ??= this.generateCsrf({ userInfo: binding.forReply(request, this) })
        return token
      },
    })
    if (request.pageKey && status === 200) pages.set(request.pageKey, html, nonce)
    return this.code(status).type('text/html; charset=utf-8').send(html)
  })
}
