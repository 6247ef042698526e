/**
 * A device coordinator, as a new user would, in a real Chromium against the real Hub: takes in a donation,
 * records the wipe, lends a laptop to a referred resident with the signed agreement, sees the referral's
 * request move on and the directory's count change, and takes the laptop back. With JavaScript on (axe on
 * every page) and off, at 320 pixels wide without sideways scrolling.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Page } from 'playwright-core'
import { coordinator } from '#modules/devices/testing.ts'
import { referralBody } from '#modules/referrals/testing.ts'
import {
  type BrowserHub,
  expectNoAxeViolations,
  navigation,
  startBrowserHub,
} from '#tests/support/browser.ts'
import { createStaff, TEST_PASSWORD } from '#tests/support/users.ts'

const CTX = { userId: null, actor: 'test', ip: null, requestId: null }
let env: BrowserHub

before(async () => {
  env = await startBrowserHub()
})
after(async () => {
  await env?.close()
})

/** A referral from Westminster asking for a device, triaged and routed to the device team. */
async function routedReferral(name: string): Promise<string> {
  const { hub } = env
  const { reference } = await hub.referrals.submit(
    referralBody({ resident: { name, postcode: 'W1K 2PB' } }),
    { source: 'partner-web', privacyNoticeVersion: 'v1' },
    CTX,
  )
  const referral = await hub.database.db
    .selectFrom('referrals')
    .innerJoin('referral_needs', 'referral_needs.referral_id', 'referrals.id')
    .select(['referrals.id', 'referral_needs.id as needId'])
    .where('reference', '=', reference)
    .executeTakeFirstOrThrow()
  const triage = coordinator('all', ['referrals.view', 'referrals.triage'])
  for (const to of ['in-triage', 'routed'] as const)
    await hub.referrals.changeNeed(triage, { referralId: referral.id, needId: referral.needId, to }, CTX)
  return reference
}

async function needStatus(reference: string) {
  return env.hub.database.db
    .selectFrom('referral_needs')
    .innerJoin('referrals', 'referrals.id', 'referral_needs.referral_id')
    .select('referral_needs.status')
    .where('referrals.reference', '=', reference)
    .executeTakeFirstOrThrow()
}

async function laptopsAtChurchStreet(): Promise<number> {
  const row = await env.hub.database.db
    .selectFrom('service_capacities')
    .select('available')
    .where('unit', '=', 'laptops at Church Street Library')
    .executeTakeFirst()
  return row?.available ?? 0
}

for (const javaScript of [true, false]) {
  describe(`a device coordinator with JavaScript ${javaScript ? 'on' : 'off'}`, () => {
    let page: Page

    before(async () => {
      const context = await env.newContext({ javaScript })
      page = await context.newPage()
      await page.setViewportSize({ width: 320, height: 800 })
    })

    /** Every page: accessible, and no wider than the phone it is read on. */
    const check = async () => {
      const wide = await page.evaluate(() => document.documentElement.scrollWidth)
      assert.ok(wide <= 320, `${page.url()} is ${wide}px wide at 320`)
      if (javaScript) await expectNoAxeViolations(page)
    }
    const submit = async (name: string) => {
      const res = await navigation(page, () => page.getByRole('button', { name, exact: true }).click())
      assert.equal(res.status(), 200, `${name} on ${page.url()}`)
      await check()
    }

    test('takes in a donation, wipes a laptop, lends it from a referral and takes it back', async () => {
      const tag = javaScript ? 'ON' : 'OFF'
      const reference = await routedReferral(`Resident ${tag}`)
      const user = await createStaff(env.hub, { roles: ['device-coordinator'], boroughs: ['wcc'] })
      await page.goto('/staff/sign-in')
      await page.fill('#email', user.email)
      await page.fill('#password', TEST_PASSWORD)
      await navigation(page, () => page.getByRole('button', { name: 'Sign in' }).click())

      await page.goto('/staff/devices')
      await check()
      await navigation(page, () => page.getByRole('button', { name: 'Record a donation' }).click())
      await check()
      await page.getByLabel('Library where it came in').selectOption({ label: 'Church Street Library' })
      await page.getByLabel('An organisation').check()
      await page.getByLabel('Donor’s name').fill(`Acme ${tag}`)
      await page.getByLabel('What came in').fill('1 laptop with charger')
      await submit('Save donation')
      assert.match(await page.locator('h1').innerText(), new RegExp(`Donation from Acme ${tag}`))

      await navigation(page, () =>
        page.getByRole('button', { name: 'Add a device from this donation' }).click(),
      )
      await check()
      await page.getByLabel('Laptop').check()
      await page.getByLabel('Make and model').fill('Dell Latitude 5490')
      await page.getByLabel('Serial number (optional)').fill(`E2E-${tag}`)
      await page.getByLabel('Library where it is kept').selectOption({ label: 'Church Street Library' })
      // A wrong IMEI on a laptop's form is not asked for: the form goes through without one.
      await submit('Add device')
      assert.match(await page.locator('h1').innerText(), /^DEV-[A-Z2-9]{6}: Laptop$/)
      const devicePage = page.url()

      await navigation(page, () => page.getByRole('button', { name: 'Record a data wipe' }).click())
      await check()
      await page.getByLabel('Tool').fill('Blancco Drive Eraser 7')
      await page.getByLabel('Who did it').fill('Sam Tech')
      await page.getByLabel('Certificate reference').fill(`BLC-${tag}`)
      await submit('Save wipe')
      const before = await laptopsAtChurchStreet()
      await submit('Mark as ready')
      assert.equal(await laptopsAtChurchStreet(), before + 1, 'the directory counts it at once')

      await navigation(page, () => page.getByRole('button', { name: 'Allocate to a resident' }).click())
      await check()
      await page.getByLabel('Loan: the resident brings it back').check()
      // Dates are asked as day, month and year (the GOV.UK date input).
      const fillDue = async (date: string) => {
        const [year, month, day] = date.split('-')
        await page
          .getByRole('group', { name: 'Due back' })
          .getByLabel('Day')
          .fill(String(Number(day)))
        await page
          .getByRole('group', { name: 'Due back' })
          .getByLabel('Month')
          .fill(String(Number(month)))
        await page.getByRole('group', { name: 'Due back' }).getByLabel('Year').fill(String(year))
      }
      await fillDue('2020-01-01')
      await page.getByLabel('A resident who was referred').check()
      await page.getByLabel('Referral reference').fill(reference)
      const refused = await navigation(page, () =>
        page.getByRole('button', { name: 'Allocate', exact: true }).click(),
      )
      assert.equal(refused.status(), 400)
      assert.match(
        await page.locator('.govuk-error-summary').innerText(),
        /The due date must be today or later/,
      )
      assert.equal(await page.getByLabel('Referral reference').inputValue(), reference, 'answers kept')
      assert.equal(await page.locator('.govuk-error-summary a').getAttribute('href'), '#dueOn-day')
      assert.equal(await page.locator('#dueOn-year').inputValue(), '2020', 'the typed date kept')
      await check()
      const due = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)
      await fillDue(due)
      await submit('Allocate')
      assert.equal(await laptopsAtChurchStreet(), before, 'set aside: no longer counted')

      await navigation(page, () => page.getByRole('button', { name: 'Hand over' }).click())
      await check()
      await page.getByLabel('Resident’s full name, typed by them').fill(`Resident ${tag}`)
      await page.getByLabel('Yes, they accept it').check()
      await page.getByLabel('Charger').check()
      await page.getByLabel('Help setting it up').check()
      await page.getByLabel('By text message to their mobile').check()
      await submit('Hand over')
      assert.match(await page.locator('.govuk-summary-list').innerText(), /On loan/)
      assert.deepEqual(await needStatus(reference), { status: 'outcome-recorded' }, 'the referral moved on')

      await navigation(page, () => page.getByRole('link', { name: 'Print a label' }).click())
      await check()
      assert.equal(await page.locator('.hub-device-label svg').count(), 1)
      await page.goto(devicePage)

      // The follow-up a few weeks on: whether they use it and what for.
      await navigation(page, () => page.getByRole('button', { name: 'Record the follow-up' }).click())
      await check()
      const unanswered = await navigation(page, () =>
        page.getByRole('button', { name: 'Save the answers' }).click(),
      )
      assert.equal(unanswered.status(), 400)
      await check()
      await page.getByLabel('Yes, often').check()
      await page.getByLabel('Health: appointments, prescriptions, the NHS App').check()
      await submit('Save the answers')
      assert.match(await page.locator('main').innerText(), /Followed up: Yes, often/)

      await navigation(page, () => page.getByRole('button', { name: 'Take it back' }).click())
      await check()
      await page.getByLabel('Charger').check()
      await page.getByLabel('Fair').check()
      await submit('Take it back')
      assert.match(await page.locator('.govuk-summary-list').innerText(), /Returned/)

      await page.goto('/staff/devices/loans')
      await check()
      await page.goto('/staff/devices/figures')
      await check()
      assert.deepEqual(env.foreignRequests, [])
    })
  })
}
