/**
 * Staff pages fit the screen (WCAG 2.2 reflow, 1.4.10): at 320 CSS pixels wide, and at 1280 pixels with
 * 200% zoom (a 640 px CSS viewport), no staff page scrolls sideways; wide tables scroll inside their own
 * labelled, focusable region; references never break in the middle. JavaScript on and off; axe on every
 * page with it on. The demo data fills the lists, as a new installation's trial would; the pages are
 * found by walking the staff navigation, so every module's pages are covered.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Page } from 'playwright-core'
import {
  type BrowserHub,
  expectNoAxeViolations,
  navigation,
  startBrowserHub,
} from '#tests/support/browser.ts'
import { createStaff, TEST_PASSWORD } from '#tests/support/users.ts'

let env: BrowserHub
let pages: string[] = []
let roles: string[] = []
let organisationId: string | undefined

/** Pages of one section visited at most, so a long list of records does not make the walk slow. */
const PER_SECTION = 15

/** A path's shape: ids and numbers stand for any, so one record of each kind is visited. */
const shape = (path: string) =>
  path
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ':id')
    .replace(/\/\d+(?=\/|$)/g, '/:n')

/** A browser signed in as someone holding every role, so the navigation shows every module's pages. */
async function signedIn(javaScript: boolean, width: number) {
  const me = await createStaff(env.hub, { roles, boroughs: 'all', organisationId })
  const context = await env.newContext({ javaScript })
  const page = await context.newPage()
  await page.setViewportSize({ width, height: 800 })
  await page.goto('/staff/sign-in')
  await page.fill('#email', me.email)
  await page.fill('#password', TEST_PASSWORD)
  await navigation(page, () => page.getByRole('button', { name: 'Sign in' }).click())
  return { context, page }
}

/** The links of a page's main part that lead to another page of `section`. */
async function linksWithin(page: Page, section: string): Promise<string[]> {
  const hrefs = await page
    .locator('main a[href]:not([download])')
    .evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).pathname))
  return hrefs.filter((p) => p.startsWith(`${section}/`))
}

/**
 * Every staff page is found by walking the staff navigation: each section's page, then the pages it
 * links to within its section (records of the demo data, their forms, figures), one of each shape. A new
 * module's pages are covered through its manifest's `staffNav` without changing this test.
 */
async function walkStaffPages(page: Page): Promise<string[]> {
  await page.goto('/staff')
  const sections = await page
    .locator('.govuk-service-navigation a[href^="/staff/"]')
    .evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).pathname))
  const seen = new Set<string>(['/staff'])
  const found = ['/staff']
  for (const section of sections) {
    const queue = [section]
    let visited = 0
    while (queue.length && visited < PER_SECTION) {
      const path = queue.shift() as string
      if (seen.has(shape(path))) continue
      seen.add(shape(path))
      // Asked first without the page, so a link to a file (an export) is passed over, not downloaded.
      const head = await page.request.get(path)
      if (head.status() !== 200 || !head.headers()['content-type']?.startsWith('text/html')) continue
      await page.goto(path)
      found.push(path)
      visited++
      queue.push(...(await linksWithin(page, section)))
    }
  }
  return found
}

before(async () => {
  env = await startBrowserHub()
  await env.hub.seedDemo()
  const db = env.hub.database.db
  roles = (await db.selectFrom('roles').select('code').execute()).map((r) => r.code)
  // A partner referrer refers for an organisation: one of the demo's partners.
  organisationId = (await env.hub.directory.findOrganisation('demo-westway-discharge'))?.id
  assert.ok(organisationId, 'the demo has a partner organisation')
  await createStaff(env.hub, { roles: ['volunteer'], boroughs: ['rbkc'], name: 'Val Volunteer' })
  const { context, page } = await signedIn(false, 1280)
  pages = await walkStaffPages(page)
  await context.close()
  // The walk reaches each module's staff pages and records, whatever modules there are.
  for (const expected of [
    '/staff/referrals/:id',
    '/staff/users/:id',
    '/staff/directory',
    '/staff/outbox',
    '/staff/audit',
    '/staff/devices/:id',
    '/staff/sessions/:id',
    '/staff/home-library/figures',
    '/staff/home-library/members/:id',
  ])
    assert.ok(
      pages.some((p) => shape(p) === expected),
      `the walk reaches ${expected}: ${pages.map(shape).join(', ')}`,
    )
})
after(async () => {
  await env?.close()
})

/** How far the page reaches past the viewport's right edge, and which elements stick out. */
async function overflow(page: Page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 1)
      // Inside a region that scrolls on its own, wide content is expected.
      .filter((el) => !el.closest('.hub-scroll-region'))
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
    return { scrollWidth: document.documentElement.scrollWidth, wide }
  })
}

for (const javaScript of [true, false]) {
  describe(`staff pages reflow with JavaScript ${javaScript ? 'on' : 'off'}`, () => {
    for (const width of [320, 640]) {
      test(`every staff page fits ${width} CSS pixels${width === 640 ? ' (1280 at 200% zoom)' : ''}`, async () => {
        const { context, page } = await signedIn(javaScript, width)
        // Every problem of every page is named at once, not only the first.
        const problems: string[] = []
        for (const path of pages) {
          const res = await page.goto(path)
          assert.equal(res?.status(), 200, path)
          const { scrollWidth, wide } = await overflow(page)
          if (scrollWidth > width) problems.push(`${path} is ${scrollWidth} px wide: ${wide.join(', ')}`)
          // Each table that may be wider than the screen scrolls in a labelled region the keyboard reaches.
          for (const region of await page.locator('.hub-scroll-region').all()) {
            if ((await region.getAttribute('tabindex')) !== '0')
              problems.push(`${path}: a region takes no focus`)
            if (!(await region.getAttribute('aria-labelledby')) && !(await region.getAttribute('aria-label')))
              problems.push(`${path}: a region has no label`)
          }
          // A reference is one unbroken line.
          for (const ref of await page.locator('.hub-reference').all())
            if ((await ref.evaluate((el) => el.getClientRects().length)) !== 1)
              problems.push(`${path}: a reference breaks`)
          if (javaScript)
            await expectNoAxeViolations(page).catch((e: Error) => problems.push(`${path}: ${e.message}`))
        }
        await context.close()
        assert.deepEqual(problems, [], `staff pages at ${width} CSS pixels`)
      })
    }
  })
}
