/**
 * Staff pages fit the screen (WCAG 2.2 reflow, 1.4.10): at 320 CSS pixels wide, and at 1280 pixels with
 * 200% zoom (a 640 px CSS viewport), no staff page scrolls sideways; wide tables scroll inside their own
 * labelled, focusable region; references never break in the middle. JavaScript on and off; axe on every
 * page with it on. The demo data fills the lists, as a new installation's trial would.
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

before(async () => {
  env = await startBrowserHub()
  await env.hub.seedDemo()
  const db = env.hub.database.db
  const referral = await db
    .selectFrom('referrals')
    .select('id')
    .orderBy('created_at')
    .executeTakeFirstOrThrow()
  const user = await createStaff(env.hub, { roles: ['volunteer'], boroughs: ['rbkc'], name: 'Val Volunteer' })
  pages = [
    '/staff',
    '/staff/referrals',
    `/staff/referrals/${referral.id}`,
    '/staff/users',
    `/staff/users/${user.id}`,
    '/staff/directory',
    '/staff/directory/problems',
    '/staff/outbox',
    '/staff/audit',
  ]
  const bulletin = await db.selectFrom('bulletins').select('id').executeTakeFirstOrThrow()
  const bulletins = '/staff/partnership/bulletins'
  pages.push(
    bulletins,
    `${bulletins}/new`,
    `${bulletins}/${bulletin.id}`,
    `${bulletins}/${bulletin.id}/recipients`,
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
        const me = await createStaff(env.hub, {
          roles: ['administrator', 'triage-officer', 'directory-editor', 'partnership-lead'],
          boroughs: 'all',
        })
        const context = await env.newContext({ javaScript })
        const page = await context.newPage()
        await page.setViewportSize({ width, height: 800 })
        await page.goto('/staff/sign-in')
        await page.fill('#email', me.email)
        await page.fill('#password', TEST_PASSWORD)
        await navigation(page, () => page.getByRole('button', { name: 'Sign in' }).click())
        for (const path of pages) {
          const res = await page.goto(path)
          assert.equal(res?.status(), 200, path)
          const { scrollWidth, wide } = await overflow(page)
          assert.ok(scrollWidth <= width, `${path} is ${scrollWidth} px wide at ${width}: ${wide.join(', ')}`)
          // Each table that may be wider than the screen scrolls in a labelled region the keyboard reaches.
          for (const region of await page.locator('.hub-scroll-region').all()) {
            assert.equal(await region.getAttribute('tabindex'), '0', `${path}: the region takes focus`)
            assert.ok(await region.getAttribute('aria-labelledby'), `${path}: the region is labelled`)
          }
          // A reference is one unbroken line.
          for (const ref of await page.locator('.hub-reference').all())
            assert.equal(
              await ref.evaluate((el) => el.getClientRects().length),
              1,
              `${path}: a reference breaks`,
            )
          if (javaScript) await expectNoAxeViolations(page)
        }
        await context.close()
      })
    }
  })
}
