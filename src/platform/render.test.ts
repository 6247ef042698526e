import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createViews } from '#platform/views.ts'
import { APP_ROOT, type TestHub, testHub } from '#tests/support/hub.ts'
import { signedInClient } from '#tests/support/users.ts'

const views = createViews(APP_ROOT, [])
const SECTION = /<section aria-label="Service information"[\s\S]*?<\/section>/
const LINK =
  /<a class="govuk-service-navigation__link" href="([^"]+)"( aria-current="true")?>\s*(?:<strong[^>]*>)?([^<]*?)\s*(?:<\/strong>)?\s*<\/a>/g

/** The page's navigation, and the macro's markup for the same items. */
function navigationOf(html: string, serviceName: string) {
  const section = html.match(SECTION)?.[0] ?? ''
  const items = [...section.matchAll(LINK)].map(([, href, current, text]) => ({
    href: href ?? '',
    text: text ?? '',
    active: Boolean(current),
  }))
  const macro = views.renderString(
    `{% from "govuk/components/service-navigation/macro.njk" import govukServiceNavigation %}{{ govukServiceNavigation(p) }}`,
    { p: { serviceName, serviceUrl: '/staff', navigation: items, menuButtonText: 'Menu' } },
  )
  return { section, items, macro: macro.match(SECTION)?.[0] }
}

describe("the staff navigation, kept per person's permissions and page", () => {
  let hub: TestHub
  before(async () => {
    hub = await testHub('sqlite')
  })
  after(() => hub.close())

  test("is the macro's markup, with each person's own items and the page's item active", async () => {
    const admin = await signedInClient(hub, { roles: ['administrator'], boroughs: 'all' })
    const officer = await signedInClient(hub, { roles: ['triage-officer'], boroughs: ['rbkc'] })
    const serviceName = hub.platform.config.SERVICE_NAME
    // In turns, so that what one person's page kept is never shown to the other.
    for (let round = 0; round < 2; round++) {
      for (const [client, url, activeHref, hasUsers] of [
        [admin.client, '/staff/users', '/staff/users', true],
        [officer.client, '/staff/account/password', '/staff/account/password', false],
        [admin.client, '/staff/account/password', '/staff/account/password', true],
        [officer.client, '/staff', null, false],
      ] as const) {
        const page = await client.get(url)
        assert.equal(page.statusCode, 200, url)
        const nav = navigationOf(page.body, serviceName)
        assert.equal(nav.section, nav.macro, `${url}: the macro's markup`)
        const hrefs = nav.items.map((i) => i.href)
        assert.equal(hrefs.includes('/staff/users'), hasUsers, `${url}: Users only for an administrator`)
        assert.deepEqual(
          nav.items.filter((i) => i.active).map((i) => i.href),
          activeHref ? [activeHref] : [],
          `${url}: the active item`,
        )
      }
    }
  })
})
