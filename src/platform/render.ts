import type { FastifyInstance } from 'fastify'
import type nunjucks from 'nunjucks'
import { can, type Permission, type StaffUser } from './access.ts'
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
  const navigationOf = navigations(staffNav)
  app.decorateReply('render', function (view: string, context: Record<string, unknown> = {}, status = 200) {
    const request = this.request
    const user = request.user
    const navigation = user ? navigationOf(user, request.url) : NO_NAVIGATION
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
      navigation: navigation.items,
      navigationKey: navigation.key,
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

/** The layout's navigation items, and `key`, the items written out, for the kept markup (views.ts). */
interface Navigation {
  items: { href: string; text: string; active: boolean }[]
  key: string
}

const NO_NAVIGATION: Navigation = { items: [], key: '' }
const YOUR_ACCOUNT: NavItem = { href: '/staff/account/password', text: 'Your account', access: 'signed-in' }

/**
 * The navigation of a person's permissions on a page: the items they may use, the page's own marked
 * active. Made once per permission set (one object per person until their access changes, see the
 * accounts module) and per choice of active items, not mapped and written out again on every page.
 */
function navigations(staffNav: NavItem[]) {
  const kept = new WeakMap<
    ReadonlySet<Permission>,
    { allowed: NavItem[]; byActive: Map<string, Navigation> }
  >()
  return (user: StaffUser, url: string): Navigation => {
    let forSet = kept.get(user.permissions)
    if (!forSet) {
      const allowed = staffNav.filter(
        (n) => n.access === 'signed-in' || n.access === 'public' || can(user, n.access as never),
      )
      forSet = { allowed: [...allowed, YOUR_ACCOUNT], byActive: new Map() }
      kept.set(user.permissions, forSet)
    }
    let active = ''
    for (const n of forSet.allowed) active += url.startsWith(n.href) ? '1' : '0'
    let navigation = forSet.byActive.get(active)
    if (!navigation) {
      const items = forSet.allowed.map((n, i) => ({ href: n.href, text: n.text, active: active[i] === '1' }))
      navigation = { items, key: JSON.stringify(items) }
      forSet.byActive.set(active, navigation)
    }
    return navigation
  }
}
