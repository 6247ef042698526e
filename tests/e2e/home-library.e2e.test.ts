/**
 * The Home Library in a real Chromium against the real Hub: a coordinator turns a referral's Home Library
 * request into a member, puts them on a round, prints the round sheet, records a visit on a phone-sized
 * screen with the items taken and the digital help given, and sees the borough's active-member figure
 * move. Once with JavaScript on (axe scans every page) and once with it off (everything still works).
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Page } from 'playwright-core'
import { CTX, staffIn } from '#modules/home-library/testing.ts'
import { referralBody } from '#modules/referrals/testing.ts'
import { londonToday } from '#platform/london.ts'
import {
  type BrowserHub,
  expectNoAxeViolations,
  navigation,
  startBrowserHub,
} from '#tests/support/browser.ts'
import { fillDateInput } from '#tests/support/date-input.ts'
import { boroughId, createStaff, TEST_PASSWORD } from '#tests/support/users.ts'

let env: BrowserHub

before(async () => {
  env = await startBrowserHub()
})
after(async () => {
  await env?.close()
})

/** A referral asking for the Home Library, routed by triage. */
async function routedRequest(name: string) {
  const { hub } = env
  const { reference } = await hub.referrals.submit(
    referralBody({
      resident: { name },
      needs: [{ kind: 'home-library', reason: 'housebound', interests: 'Sea stories' }],
    }),
    { source: 'partner-web', privacyNoticeVersion: 'v1' },
    CTX,
  )
  const row = await hub.database.db
    .selectFrom('referrals')
    .innerJoin('referral_needs', 'referral_needs.referral_id', 'referrals.id')
    .select(['referrals.id', 'referral_needs.id as needId'])
    .where('reference', '=', reference)
    .executeTakeFirstOrThrow()
  const officer = staffIn([await boroughId(hub, 'rbkc')], ['referrals.view', 'referrals.triage'])
  for (const to of ['in-triage', 'routed'] as const)
    await hub.referrals.changeNeed(officer, { referralId: row.id, needId: row.needId, to }, CTX)
}

/** Nothing on the page is wider than a 320 px screen. */
async function fitsNarrowScreen(page: Page, what: string) {
  await page.setViewportSize({ width: 320, height: 640 })
  const wide = await page.evaluate(() => document.documentElement.scrollWidth)
  assert.ok(wide <= 320, `${what} is ${wide}px wide at 320px`)
  await page.setViewportSize({ width: 1024, height: 768 })
}

for (const javaScript of [true, false]) {
  describe(`the Home Library with JavaScript ${javaScript ? 'on' : 'off'}`, () => {
    let page: Page
    const resident = javaScript ? 'Morwenna Scripted' : 'Morwenna Plain'
    const check = async () => {
      if (javaScript) await expectNoAxeViolations(page)
    }

    before(async () => {
      page = await (await env.newContext({ javaScript })).newPage()
      await routedRequest(resident)
      await createStaff(env.hub, { roles: ['volunteer'], boroughs: ['rbkc'], name: `Deliverer ${resident}` })
      const coordinator = await createStaff(env.hub, {
        roles: ['home-library-coordinator'],
        boroughs: ['rbkc'],
      })
      await page.goto('/staff/sign-in')
      await page.getByLabel('Email address').fill(coordinator.email)
      await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD)
      await navigation(page, () => page.getByRole('button', { name: 'Sign in' }).click())
    })

    const activeFigure = async () => {
      await page.goto('/staff/home-library/figures')
      return Number(await page.locator('[data-figure="active"]').innerText())
    }

    test('referral to member, round, round sheet, visit on the doorstep, and the figure moves', async () => {
      const before = await activeFigure()
      await check()

      await page.goto('/staff/home-library')
      await check()
      await navigation(page, () => page.getByRole('link', { name: `Make ${resident} a member` }).click())
      await check()
      // A mistake first: the error summary links to the field, and the answers stay.
      await page.getByLabel('Evidence of eligibility').fill('Confirmed with the referrer')
      const bad = await navigation(page, () =>
        page.getByRole('button', { name: `Make ${resident} a member` }).click(),
      )
      assert.equal(bad.status(), 400)
      assert.equal(
        await page.getByLabel('Evidence of eligibility').inputValue(),
        'Confirmed with the referrer',
      )
      await check()
      await page.getByLabel('Delivery day').selectOption({ label: 'Wednesday' })
      await page.getByLabel('Morning').check()
      await page.getByLabel('Weekly').check()
      // Dates are three fields: a month of 13 comes back linked to its day field, with what was typed.
      await fillDateInput(page, 'startsOn', '2026-13-01')
      await page.getByLabel('Most items per visit').fill('3')
      await page.getByLabel('Large print', { exact: true }).check()
      await page.getByLabel('Access notes (optional)').fill('Side gate; ring twice')
      await page.getByLabel('Yes', { exact: true }).check()
      const badDate = await navigation(page, () =>
        page.getByRole('button', { name: `Make ${resident} a member` }).click(),
      )
      assert.equal(badDate.status(), 400)
      const link = page.locator('.govuk-error-summary a', {
        hasText: 'Enter the first visit date as a real date',
      })
      assert.equal(await link.getAttribute('href'), '#startsOn-day')
      assert.equal(await page.locator('#startsOn-month').inputValue(), '13')
      await check()
      await fillDateInput(page, 'startsOn', londonToday())
      const joined = await navigation(page, () =>
        page.getByRole('button', { name: `Make ${resident} a member` }).click(),
      )
      assert.equal(joined.status(), 200)
      assert.match(await page.locator('.govuk-notification-banner').innerText(), /is now a member/)
      assert.doesNotMatch(await page.locator('main').innerText(), /Side gate/)
      await check()
      await fitsNarrowScreen(page, 'the member page')

      await page.goto('/staff/home-library/rounds')
      await navigation(page, () => page.getByRole('button', { name: 'Add a round' }).click())
      await check()
      await page.getByLabel('Round name').fill(`Wednesday ${resident}`)
      await page.getByLabel('Library', { exact: true }).fill('Kensington Central Library')
      await page.getByLabel('Weekday').selectOption({ label: 'Wednesday' })
      await page.getByLabel('Deliverer').selectOption({ label: `Deliverer ${resident}` })
      await navigation(page, () => page.getByRole('button', { name: 'Add round' }).click())
      await check()
      await page.getByLabel('Add a member to this round').selectOption({ label: resident })
      await navigation(page, () => page.getByRole('button', { name: 'Add to round' }).click())
      assert.match(await page.locator('#stops + ol').innerText(), new RegExp(resident))
      await check()

      await navigation(page, () =>
        page.getByRole('link', { name: "Print the deliverer's copy (with access notes)" }).click(),
      )
      assert.match(await page.locator('main').innerText(), /Side gate; ring twice/)
      await check()
      await page.emulateMedia({ media: 'print' })
      assert.equal(await page.locator('.govuk-template__header').isVisible(), false)
      await page.emulateMedia({ media: 'screen' })

      await page.setViewportSize({ width: 320, height: 640 })
      await navigation(page, () =>
        page.getByRole('link', { name: new RegExp(`Visit page\\W+${resident}`) }).click(),
      )
      await check()
      await page.getByLabel('Visit done').check()
      await page.locator('#title1').fill('Moby-Dick')
      await page.locator('#author1').fill('Herman Melville')
      await page.locator('#format1').selectOption({ label: 'Large print' })
      await page.getByLabel('Minutes of digital help (optional)').fill('30')
      await page.getByLabel('What help was given (optional)').fill('Set up a tablet')
      const wide = await page.evaluate(() => document.documentElement.scrollWidth)
      assert.ok(wide <= 320, `the visit page is ${wide}px wide at 320px`)
      const recorded = await navigation(page, () =>
        page.getByRole('button', { name: 'Record visit' }).click(),
      )
      assert.equal(recorded.status(), 200)
      assert.match(await page.locator('.govuk-notification-banner').innerText(), /Visit recorded/)
      await check()
      await page.setViewportSize({ width: 1024, height: 768 })

      assert.equal(await activeFigure(), before + 1)
      await check()
    })
  })
}
